#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: execution_environment
short_description: Create, update or delete an AWX execution environment
version_added: 0.1.0
description:
  - Ensures an execution environment (a container image that jobs run in) exists with the options
    you give, or does not exist.
  - Only the options you give are compared and sent; a second run reports no change.
options:
  name:
    description:
      - Name of the execution environment.
    type: str
    required: true
  image:
    description:
      - Container image location, for example V(quay.io/ansible/awx-ee:latest). Required by AWX to
        create one.
    type: str
  description:
    description:
      - Description of the execution environment.
    type: str
  organization:
    description:
      - Organization that owns the execution environment, by name, named URL or id. Leave it out
        for a global execution environment (available to every organization).
    type: raw
  credential:
    description:
      - Registry credential to pull the image with (a V(Container Registry) credential), by name,
        named URL or id.
    type: raw
  pull:
    description:
      - When to pull the image before running. V("") leaves it to AWX's default.
      - Unlike C(awx.awx.execution_environment) (which always sends V(missing)), nothing is sent when
        this option is left out.
    type: str
    choices: ["", always, missing, never]
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Ensure a global execution environment
  gitops.awx.execution_environment:
    name: Example EE
    image: quay.io/ansible/awx-ee:24.6.1
    pull: missing
    description: the AWX EE, pinned

- name: An organization's own execution environment
  gitops.awx.execution_environment:
    name: Example EE (Default)
    image: registry.example.com/ee/platform:1.0
    organization: Default
    pull: always

- name: Remove them
  gitops.awx.execution_environment:
    name: "{{ item }}"
    state: absent
  loop:
    - Example EE
    - Example EE (Default)
"""

RETURN = r"""
execution_environment:
  description:
    - The execution environment as AWX answered it (the write answer after a change, the predicted
      object in check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was none.
  returned: always
  type: dict
  sample:
    id: 3
    type: execution_environment
    name: Example EE
    image: quay.io/ansible/awx-ee:24.6.1
    pull: missing
    organization: null
    credential: null
    managed: false
id:
  description: Id of the execution environment; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 3
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [image]
diff:
  description: Before and after of the options you gave, as compared (references as ids).
  returned: in diff mode
  type: dict
  sample:
    before: {name: Example EE, image: quay.io/ansible/awx-ee:24.6.0}
    after: {name: Example EE, image: quay.io/ansible/awx-ee:24.6.1}
"""

from ansible_collections.gitops.awx.plugins.module_utils._module import resource_entry, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._spec import Field, Reference, ResourceSpec

SPEC = ResourceSpec(
    resource="execution_environment",
    endpoint="execution_environments/",
    identity=("name",),
    fields=[
        Field("name", required=True),
        Field("image"),
        Field("description"),
        Reference("organization", endpoint="organizations/"),
        Reference("credential", endpoint="credentials/", resource="registry credential",
                  filters={"credential_type__kind": "registry"}),
        Field("pull", choices=("", "always", "missing", "never")),
    ],
)

# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = resource_entry(SPEC)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
