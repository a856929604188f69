#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: credential_type
short_description: Create, update or delete a custom AWX credential type
version_added: 0.1.0
description:
  - Ensures a custom credential type exists with the inputs and injectors you give, or does not exist.
  - O(inputs) and O(injectors) are compared as data, so a rerun reports no change and the diff shows
    the structures, not their text.
  - A managed credential type (V(Machine), V(Source Control) ... shipped with AWX) is found by name
    and never modified; a task that would change or delete one fails with a clear message before any
    write. O(state=exists) or a task that matches it is fine.
options:
  name:
    description:
      - Name of the credential type.
    type: str
    required: true
  description:
    description:
      - Description of the credential type.
    type: str
  kind:
    description:
      - Kind of the credential type. AWX accepts V(cloud) and V(net) for custom types; the other
        choices are accepted for compatibility with C(awx.awx.credential_type) and refused by AWX.
      - Required by AWX to create a type.
    type: str
    choices: [ssh, vault, net, scm, cloud, insights]
  inputs:
    description:
      - The input schema (C(fields) with C(id), C(label), C(type), C(secret) ..., and C(required)).
      - Compared as data. As YAML/JSON text or a dict.
    type: dict
  injectors:
    description:
      - How the inputs reach a job (C(env), C(extra_vars), C(file)). Compared as data.
    type: dict
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Ensure a custom credential type for an API token
  gitops.awx.credential_type:
    name: Example API
    description: token for the example API
    kind: cloud
    inputs:
      fields:
        - id: api_token
          label: API Token
          type: string
          secret: true
        - id: region
          label: Region
          type: string
          choices: [eu, us]
      required: [api_token]
    injectors:
      env:
        EXAMPLE_TOKEN: "{{ '{{ api_token }}' }}"
      extra_vars:
        example_region: "{{ '{{ region }}' }}"

- name: A managed type may be required to exist (it is never modified)
  gitops.awx.credential_type:
    name: Machine
    state: exists

- name: Remove the custom type (AWX refuses while credentials use it)
  gitops.awx.credential_type:
    name: Example API
    state: absent
"""

RETURN = r"""
credential_type:
  description:
    - The credential type as AWX answered it (the write answer after a change, the predicted object
      in check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was no such type.
  returned: always
  type: dict
  sample:
    id: 36
    type: credential_type
    name: Example API
    kind: cloud
    managed: false
    inputs: {fields: [{id: api_token, label: API Token, type: string, secret: true}]}
    injectors: {env: {EXAMPLE_TOKEN: "{{ api_token }}"}}
id:
  description: Id of the credential type; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 36
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [injectors]
diff:
  description: Before and after of the options you gave, as compared (inputs and injectors as data).
  returned: in diff mode
  type: dict
  sample:
    before: {name: Example API, injectors: {env: {EXAMPLE_TOKEN: "{{ api_token }}"}}}
    after: {name: Example API, injectors: {env: {EXAMPLE_API_TOKEN: "{{ api_token }}"}}}
"""

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry, resource_result, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._resource import ensure
from ansible_collections.gitops.awx.plugins.module_utils._spec import Field, Hooks, ResourceSpec

KINDS = ("ssh", "vault", "net", "scm", "cloud", "insights")


def _managed_error(obj, changes):
    return ResourceError("credential type '%s' is managed by AWX and cannot be %s; create a custom type "
                         "instead" % (obj.get("name"), changes))


def _refuse_managed(payload, _params, current):
    if current is not None and current.get("managed"):
        raise _managed_error(current, "modified (%s)" % ", ".join(sorted(payload)))
    return payload


SPEC = ResourceSpec(
    resource="credential_type",
    endpoint="credential_types/",
    identity=("name",),
    fields=[
        Field("name", required=True),
        Field("description"),
        Field("kind", choices=KINDS),
        Field("inputs", type="dict"),
        Field("injectors", type="dict"),
    ],
    hooks=Hooks(prepare_payload=_refuse_managed),
)


def _handler(ctx):
    params = ctx.params
    if params.get("state") == "absent":
        # AWX answers 403 to a managed type's DELETE; say so before, check mode included.
        probe = ensure(ctx.client, SPEC, params, check_mode=True)
        if probe.object is not None and probe.object.get("managed"):
            raise _managed_error(probe.object, "deleted")
        if not probe.changed or ctx.check_mode:
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
