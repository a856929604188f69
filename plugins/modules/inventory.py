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
  - With O(copy_from), a missing inventory is made as a copy of another one (AWX's copy
    endpoint copies its hosts, groups and instance groups), then the other options apply.
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
  copy_from:
    description:
      - Inventory to copy when the inventory O(name) does not exist yet, by name, named URL
        (V(template++Default)) or id. The copy gets the name O(name) (or O(new_name)) and the
        other options given are then applied to it, O(organization) included (AWX makes the
        copy in the organization of the source).
      - Looked up among all inventories, not only in O(organization), so that a copy can
        cross organizations; a name found in several organizations fails with the
        candidates listed (give a named URL or an id).
      - Ignored when the inventory exists. In check mode the copy is predicted, nothing is sent.
      - A copy that fails is not repeated by the module (it may have been made).
    type: raw
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
      - Instance groups of the inventory, by name or id, in order of preference (AWX tries
        them in this order). The list replaces the current associations and its order is
        compared; V([]) removes them all.
      - To reorder, the members out of place are disassociated and associated again at the
        end, in order; members already in order stay.
    type: list
    elements: raw
  input_inventories:
    description:
      - Input inventories of a constructed inventory (O(kind=constructed)), by name, named
        URL or id, in order. Later inventories override variables of earlier ones, so the
        order is compared and kept. The list replaces the current ones; V([]) removes them all.
      - A name found in several organizations is taken from O(organization); otherwise give
        a named URL or an id.
      - Refused when O(kind) is another kind.
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

- name: A constructed inventory over two inventories, in this order
  gitops.awx.inventory:
    name: all servers
    organization: Default
    kind: constructed
    input_inventories:
      - production
      - web servers

- name: Start a staging inventory as a copy of production (only when it is missing)
  gitops.awx.inventory:
    name: staging
    organization: Default
    copy_from: production
    description: Staging hosts

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

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError
from ansible_collections.gitops.awx.plugins.module_utils._module import resource_entry, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    CopyFrom,
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


def _in_the_same_organization(_current, desired):
    # Inventory names are unique within an organization only.
    return {"organization": desired.get("organization")}


def _validate(params):
    if params.get("input_inventories") and params.get("kind") not in (None, "constructed"):
        raise ConfigurationError("input_inventories: only a constructed inventory "
                                 "(kind=constructed) has input inventories")


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
        ReferenceList("instance_groups", endpoint="instance_groups/", resource="instance group",
                      ordered=True),
        ReferenceList("input_inventories", endpoint="inventories/", resource="input inventory",
                      ordered=True, prefer=_in_the_same_organization),
        Field("prevent_instance_group_fallback", type="bool"),
        CopyFrom("copy_from"),
    ],
    hooks=Hooks(is_gone=_being_deleted, validate=_validate),
)

# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = resource_entry(SPEC)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
