#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: inventory
short_description: Create, update or delete an AWX inventory
version_added: 0.1.0
description:
  - Ensures an inventory exists in an organization with the options you give, or does not exist.
  - The inventory is found with one filtered request by its name within its organization.
  - Only the options you give are compared and sent; variables are compared as data.
  - The C(copy_from) and C(input_inventories) options of C(awx.awx.inventory) are not supported yet.
options:
  name:
    description:
      - Name of the inventory. Names are unique within an organization.
    type: str
    required: true
  organization:
    description:
      - Organization the inventory belongs to, by name, named URL or id.
      - An integer is an id. A numeric string is taken as a name first, and as an id only
        when no organization has that name.
    type: raw
    required: true
  description:
    description:
      - Description of the inventory.
    type: str
  variables:
    description:
      - Inventory variables, as a dict or as YAML/JSON text.
      - Compared as data, so a YAML text and the equal dict are the same. Text is sent as
        written; a dict is sent JSON-encoded (AWX accepts variables only as a string).
      - Invalid YAML fails before anything is written.
    type: raw
  kind:
    description:
      - Kind of inventory. V("") is a normal inventory, V(smart) builds its hosts from
        O(host_filter), V(constructed) from input inventories. AWX does not change the kind
        of an existing inventory.
    type: str
    choices: ["", smart, constructed]
  host_filter:
    description:
      - Host filter of a smart inventory, for example V(name__startswith=web).
    type: str
  instance_groups:
    description:
      - Instance groups of the inventory, by name or id. The list replaces the current
        associations; V([]) removes them all. Order is not compared.
    type: list
    elements: raw
  prevent_instance_group_fallback:
    description:
      - When true, jobs run only on the inventory's instance groups, not on those of the
        organization or the job template.
    type: bool
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Ensure the production inventory exists
  gitops.awx.inventory:
    name: production
    organization: Default
    description: Production hosts
    variables:
      ntp_server: ntp.example.com
      dns: [10.0.0.2, 10.0.0.3]

- name: Variables as YAML text are compared as data
  gitops.awx.inventory:
    name: production
    organization: Default
    variables: |
      ntp_server: ntp.example.com
      dns: [10.0.0.2, 10.0.0.3]

- name: A smart inventory of the web servers
  gitops.awx.inventory:
    name: web servers
    organization: Default
    kind: smart
    host_filter: name__startswith=web

- name: Rename an inventory
  gitops.awx.inventory:
    name: production
    new_name: prod
    organization: Default

- name: Remove an inventory (AWX deletes it in the background)
  gitops.awx.inventory:
    name: web servers
    organization: Default
    state: absent
"""

RETURN = r"""
inventory:
  description:
    - The inventory as AWX answered it (the write answer after a change, the predicted
      object in check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was no such inventory.
  returned: always
  type: dict
  sample:
    id: 41
    type: inventory
    url: /api/v2/inventories/41/
    name: production
    organization: 1
    kind: ""
    variables: "ntp_server: ntp.example.com"
    host_filter: null
    prevent_instance_group_fallback: false
id:
  description: Id of the inventory; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 41
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [variables]
diff:
  description:
    - Before and after of the options you gave, as compared (variables as data,
      organization as an id). A create is V({}) -> object, a delete object -> V({}).
  returned: in diff mode
  type: dict
  sample:
    before: {name: production, organization: 1, variables: {ntp_server: old.example.com}}
    after: {name: production, organization: 1, variables: {ntp_server: ntp.example.com}}
"""

from ansible_collections.gitops.awx.plugins.module_utils._module import run_resource_module
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    Field,
    Hooks,
    Reference,
    ReferenceList,
    ResourceSpec,
    Variables,
)


def _being_deleted(inventory):
    # AWX deletes inventories in the background (DELETE answers 202); until it is done
    # the inventory may still be listed with pending_deletion set. It is gone for us.
    return bool(inventory.get("pending_deletion"))


SPEC = ResourceSpec(
    resource="inventory",
    endpoint="inventories/",
    identity=("name", "organization"),
    fields=[
        Field("name", required=True),
        Reference("organization", endpoint="organizations/", required=True),
        Field("description"),
        Variables("variables"),
        Field("kind", choices=["", "smart", "constructed"]),
        Field("host_filter"),
        ReferenceList("instance_groups", endpoint="instance_groups/", resource="instance group"),
        Field("prevent_instance_group_fallback", type="bool"),
    ],
    hooks=Hooks(is_gone=_being_deleted),
)


def main():
    run_resource_module(SPEC)


if __name__ == "__main__":
    main()
