#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: label
short_description: Create or rename an AWX label of an organization
version_added: 0.1.0
description:
  - Ensures a label exists in an organization. Labels tag job templates, workflows and inventories.
  - The label is found with one filtered request (C(GET labels/?name=prod&organization__name=Default)).
  - AWX has no way to delete a label (C(DELETE labels/<id>/) answers 405). AWX removes a label
    itself when it is disassociated from the last object that used it, or with its organization.
    O(state=absent) is therefore a no-op for a missing label and fails with that explanation for an
    existing one (C(awx.awx.label) has no O(state=absent)); remove the label from its job templates
    instead.
options:
  name:
    description:
      - Name of the label. Unique within an organization.
    type: str
    required: true
  organization:
    description:
      - Organization of the label, by name, named URL or id.
    type: raw
    required: true
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Ensure a label
  gitops.awx.label:
    name: production
    organization: Default

- name: Rename it (idempotent)
  gitops.awx.label:
    name: production
    new_name: prod
    organization: Default
"""

RETURN = r"""
label:
  description:
    - The label as AWX answered it (the write answer after a change, the predicted object in check
      mode). V(null) when O(state=absent) and there was no such label.
  returned: always
  type: dict
  sample:
    id: 11
    type: label
    name: production
    organization: 1
id:
  description: Id of the label; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 11
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [name]
diff:
  description: Before and after of the options you gave, as compared (the organization as an id).
  returned: in diff mode
  type: dict
  sample:
    before: {}
    after: {name: production, organization: 1}
"""

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry, resource_result, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._resource import ensure
from ansible_collections.gitops.awx.plugins.module_utils._spec import Field, Reference, ResourceSpec

SPEC = ResourceSpec(
    resource="label",
    endpoint="labels/",
    identity=("name", "organization"),
    fields=[
        Field("name", required=True),
        Reference("organization", endpoint="organizations/", required=True),
    ],
)


def _handler(ctx):
    params = ctx.params
    if params.get("state") == "absent":
        # Never sent: AWX answers DELETE on a label with 405.
        probe = ensure(ctx.client, SPEC, params, check_mode=True)
        if probe.object is not None:
            raise ResourceError("label '%s' cannot be deleted: AWX has no delete for labels and removes a "
                                "label itself when no job template, workflow or inventory uses it any "
                                "more (or with its organization)" % params["name"])
        return resource_result(SPEC, probe, ctx.diff_mode)
    outcome = ensure(ctx.client, SPEC, params, check_mode=ctx.check_mode)
    for warning in outcome.warnings:
        ctx.warn(warning)
    return resource_result(SPEC, outcome, ctx.diff_mode)


# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = ModuleEntry(SPEC.argument_spec(), _handler)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
