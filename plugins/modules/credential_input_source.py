#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: credential_input_source
short_description: Link an input of an AWX credential to an external secret lookup
version_added: 0.1.0
description:
  - Ensures an input of a credential (its O(input_field_name), for example V(password)) is read at run
    time from an external secret store through a source credential (HashiCorp Vault, CyberArk, Azure
    Key Vault ...), or is not.
  - An input source is identified by its target credential and input field; it is found with one
    filtered request (C(GET credential_input_sources/?input_field_name=password&target_credential__name=deploy)).
  - O(metadata) (what to look up, such as a secret path and a key) is compared as data.
options:
  input_field_name:
    description:
      - The input of the target credential that the lookup fills, for example V(password).
    type: str
    required: true
  target_credential:
    description:
      - The credential whose input is looked up, by name, named URL (V(deploy++Machine+ssh++Default))
        or id.
    type: raw
    required: true
  source_credential:
    description:
      - The external secret management credential that does the lookup, by name, named URL or id.
      - Required by AWX to create an input source.
    type: raw
  metadata:
    description:
      - What the source credential looks up (fields of its type's C(metadata), for example
        C(secret_path) and C(secret_key) for HashiCorp Vault). Compared as data.
    type: dict
  description:
    description:
      - Description of the input source.
    type: str
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Read the deploy password from HashiCorp Vault at run time
  gitops.awx.credential_input_source:
    input_field_name: password
    target_credential: deploy
    source_credential: Example Vault
    metadata:
      secret_path: /kv/deploy
      secret_key: password
    description: deploy password from Vault

- name: Stop looking it up
  gitops.awx.credential_input_source:
    input_field_name: password
    target_credential: deploy
    state: absent
"""

RETURN = r"""
credential_input_source:
  description:
    - The input source as AWX answered it (the write answer after a change, the predicted object in
      check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was none.
  returned: always
  type: dict
  sample:
    id: 4
    type: credential_input_source
    input_field_name: password
    target_credential: 18
    source_credential: 21
    metadata: {secret_path: /kv/deploy, secret_key: password}
id:
  description: Id of the input source; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 4
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [metadata]
diff:
  description: Before and after of the options you gave, as compared (credentials as ids, metadata as data).
  returned: in diff mode
  type: dict
  sample:
    before: {input_field_name: password, metadata: {secret_path: /kv/old, secret_key: password}}
    after: {input_field_name: password, metadata: {secret_path: /kv/deploy, secret_key: password}}
"""

from ansible_collections.gitops.awx.plugins.module_utils._module import resource_entry, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._spec import Field, Reference, ResourceSpec

SPEC = ResourceSpec(
    resource="credential_input_source",
    endpoint="credential_input_sources/",
    identity=("input_field_name", "target_credential"),
    rename=False,
    fields=[
        Field("input_field_name", required=True),
        Reference("target_credential", endpoint="credentials/", resource="target credential",
                  required=True),
        Reference("source_credential", endpoint="credentials/", resource="source credential"),
        Field("metadata", type="dict"),
        Field("description"),
    ],
)

# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = resource_entry(SPEC)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
