#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: host
short_description: Create, update or delete a host in an AWX inventory
version_added: 0.1.0
description:
  - Ensures a host exists in an inventory with the options you give, or does not exist.
  - The host and its inventory are found together with one filtered request
    (C(GET hosts/?name=web1&inventory__name=prod&inventory__organization__name=Default)),
    so a run that changes nothing costs one request on AWX.
  - Only the options you give are compared and sent; variables are compared as data.
  - For many hosts at once, prefer a bulk module.
options:
  name:
    description:
      - Name of the host (usually its DNS name or address). Unique within an inventory.
    type: str
    required: true
  inventory:
    description:
      - Inventory of the host, by name, named URL (V(prod++Default)) or id.
      - An inventory name is looked up within O(organization) when given; inventory names
        are only unique within an organization, so a name found in several organizations
        fails with the candidates listed.
      - An integer is an id. A numeric string is taken as a name first, and as an id only
        when no inventory has that name.
    type: raw
    required: true
  organization:
    description:
      - Organization of O(inventory), by name or id; it only narrows the inventory lookup.
      - Not an option of C(awx.awx.host).
    type: raw
  description:
    description:
      - Description of the host.
    type: str
  enabled:
    description:
      - Whether the host is used by jobs.
    type: bool
  variables:
    description:
      - Host variables, as a dict or as YAML/JSON text.
      - Compared as data, so a YAML text and the equal dict are the same. Text is sent as
        written; a dict is sent JSON-encoded (AWX accepts variables only as a string).
      - Invalid YAML fails before anything is written.
    type: raw
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Ensure a web server is in the production inventory
  gitops.awx.host:
    name: web1.example.com
    inventory: production
    organization: Default
    variables:
      ansible_host: 192.0.2.10
      http_port: 8080

- name: Disable a host during maintenance
  gitops.awx.host:
    name: web1.example.com
    inventory: production++Default
    enabled: false

- name: Rename a host
  gitops.awx.host:
    name: web1.example.com
    new_name: web01.example.com
    inventory: production
    organization: Default

- name: Remove a host
  gitops.awx.host:
    name: web01.example.com
    inventory: production
    organization: Default
    state: absent
"""

RETURN = r"""
host:
  description:
    - The host as AWX answered it (the write answer after a change, the predicted object in
      check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was no such host.
  returned: always
  type: dict
  sample:
    id: 2368
    type: host
    url: /api/v2/hosts/2368/
    name: web1.example.com
    inventory: 41
    enabled: true
    description: ""
    variables: "ansible_host: 192.0.2.10"
id:
  description: Id of the host; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 2368
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [enabled]
diff:
  description:
    - Before and after of the options you gave, as compared (variables as data,
      inventory as an id). A create is V({}) -> object, a delete object -> V({}).
  returned: in diff mode
  type: dict
  sample:
    before: {name: web1.example.com, inventory: 41, enabled: true}
    after: {name: web1.example.com, inventory: 41, enabled: false}
"""

from ansible_collections.gitops.awx.plugins.module_utils._module import resource_entry, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    Field,
    Reference,
    ResourceSpec,
    Variables,
)

SPEC = ResourceSpec(
    resource="host",
    endpoint="hosts/",
    identity=("name", "inventory"),
    fields=[
        Field("name", required=True),
        Reference("inventory", endpoint="inventories/", scope=("organization",), required=True),
        # Only narrows the inventory lookup; not a field of the host.
        Reference("organization", endpoint="organizations/", api=False),
        Field("description"),
        Field("enabled", type="bool"),
        Variables("variables"),
    ],
)

# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = resource_entry(SPEC)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
