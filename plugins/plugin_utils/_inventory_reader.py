# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read a whole AWX inventory with as few requests as AWX allows, free of Ansible.

``read_inventory(client, inventory, organization, ...)`` returns plain data
(JSON-serialisable, so the inventory cache can store it)::

    {"inventory": {"id": 7, "name": "prod", "organization": 1, "kind": ""},
     "source": "script" | "pages",
     "vars": {...},                                       # the inventory's variables (group ``all``)
     "hosts": {"web1": {"vars": {...}, "id": 12, "enabled": True}, ...},
     "groups": {"web": {"vars": {...}, "hosts": ["web1"], "children": ["eu"]}, ...}}

Two ways to read it:

* ``script``: ``GET inventories/<id>/script/?hostvars=1[&all=1][&towervars=1]``
  answers the whole inventory (groups, memberships, children, variables) in one
  request.  Cost: resolve (1) + script (1).
* ``pages``: hosts pages (``inventories/<id>/hosts/``, 200 a page; a host's
  ``summary_fields.groups`` lists its groups when AWX did not cut it short),
  groups pages, one filtered request for the groups that have children, then
  the children of those groups.  Cost for 1,000 hosts in 20 groups, 2 of
  them parents: resolve (1) + hosts (5) + groups (1) + parents (1) + children (2).

``auto`` uses the script endpoint and falls back to pages when the server has
no script endpoint (404/405 on it, after the inventory itself was found).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    ConfigurationError,
    MethodNotAllowed,
    NotFound,
    ResourceError,
    ValidationError,
)

try:
    import yaml
    _YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
except ImportError:  # pragma: no cover - ansible-core always brings PyYAML
    yaml = None

READ_METHODS = ("auto", "script", "pages")
_PAGE = {"page_size": "200"}


def parse_variables(text, owner):
    """AWX keeps variables as the JSON or YAML text it was given; return a dict."""
    if text is None or text == "":
        return {}
    if isinstance(text, dict):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        if yaml is None:
            raise ResourceError("variables of %s are not JSON and PyYAML is missing" % owner)
        try:
            data = yaml.load(text, Loader=_YAML_LOADER)  # a safe loader; plain yaml.load is never used
        except yaml.YAMLError:
            raise ResourceError("variables of %s are neither JSON nor YAML" % owner)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ResourceError("variables of %s are not a mapping" % owner)
    return data


def _is_id(value):
    return isinstance(value, int) or (isinstance(value, str) and value.isdigit())


def resolve_inventory(client, inventory, organization=None):
    """An inventory object from an id, a named URL (``prod++Default``) or a name
    (within ``organization``, a name or an id).  One request."""
    if inventory is None or inventory == "":
        raise ConfigurationError("inventory is required: a name, an id or a named URL such as prod++Default")
    if _is_id(inventory):
        try:
            return client.get("inventories/%s/" % int(inventory))
        except NotFound:
            raise ResourceError("inventory id %s does not exist (or is not visible to this user)" % inventory)
    if "++" in inventory:
        try:
            return client.get("inventories/%s/" % inventory)
        except NotFound:
            raise ResourceError("inventory %s (named URL) does not exist (or is not visible to this user)"
                                % inventory)
    params = {"name": inventory, "page_size": "200"}
    if organization is not None and organization != "":
        params["organization" if _is_id(organization) else "organization__name"] = str(organization)
    page = client.get("inventories/", params=params)
    results = page.get("results") or []
    where = "inventory %r%s" % (inventory, "" if organization in (None, "") else " in organization %r" % organization)
    if page.get("count", len(results)) == 0:
        raise ResourceError("%s does not exist (or is not visible to this user)" % where)
    if page.get("count", len(results)) > 1:
        candidates = sorted("%s (id %s, organization %s)" % (
            item.get("name"), item.get("id"),
            (item.get("summary_fields") or {}).get("organization", {}).get("name", item.get("organization")))
            for item in results)
        raise ResourceError("%s is ambiguous, set organization; candidates: %s" % (where, ", ".join(candidates)))
    return results[0]


def _empty(inventory_obj, source):
    return {
        "inventory": dict((key, inventory_obj.get(key)) for key in ("id", "name", "organization", "kind")),
        "source": source,
        "vars": parse_variables(inventory_obj.get("variables"), "inventory %s" % inventory_obj.get("name")),
        "hosts": {},
        "groups": {},
    }


def _group(data, name):
    return data["groups"].setdefault(name, {"vars": {}, "hosts": [], "children": []})


def _from_script(inventory_obj, script, awx_vars=False):
    """Our shape from AWX's script answer (the format of ``ansible-inventory --list``)."""
    data = _empty(inventory_obj, "script")
    everything = script.get("all") or {}
    if everything.get("vars"):
        data["vars"] = everything["vars"]
    hostvars = (script.get("_meta") or {}).get("hostvars") or {}
    for name, host_vars in hostvars.items():
        host_vars = dict(host_vars or {})
        host = {"vars": host_vars, "id": None, "enabled": None}
        if awx_vars:
            # towervars=1 adds these two to every host's variables; they are metadata, not variables.
            host["id"] = host_vars.pop("remote_tower_id", None)
            enabled = host_vars.pop("remote_tower_enabled", None)
            if enabled is not None:
                host["enabled"] = str(enabled).lower() == "true"
        data["hosts"][name] = host
    for name in everything.get("hosts") or []:
        data["hosts"].setdefault(name, {"vars": {}, "id": None, "enabled": None})
    for name in everything.get("children") or []:
        _group(data, name)
    for name, info in script.items():
        if name in ("all", "_meta"):
            continue
        group = _group(data, name)
        group["vars"] = dict((info or {}).get("vars") or {})
        group["hosts"] = [host for host in (info or {}).get("hosts") or [] if host in data["hosts"]]
        group["children"] = list((info or {}).get("children") or [])
        for child in group["children"]:
            _group(data, child)
    return data


def _read_script(client, inventory_obj, only_enabled, awx_vars):
    params = {"hostvars": "1"}
    if not only_enabled:
        params["all"] = "1"
    if awx_vars:
        params["towervars"] = "1"
    script = client.get("inventories/%s/script/" % inventory_obj["id"], params=params)
    if not isinstance(script, dict):
        raise ResourceError("inventories/%s/script/ did not answer an inventory" % inventory_obj["id"])
    data = _from_script(inventory_obj, script, awx_vars)
    if awx_vars:
        _fill_missing_enabled(data, only_enabled)
    return data


def _fill_missing_enabled(data, only_enabled):
    # Without all=1 AWX lists only enabled hosts, so "enabled" is known for them.
    for host in data["hosts"].values():
        if host["enabled"] is None and only_enabled:
            host["enabled"] = True


def _read_pages(client, inventory_obj, only_enabled):
    data = _empty(inventory_obj, "pages")
    inventory_id = inventory_obj["id"]
    host_params = dict(_PAGE)
    if only_enabled:
        host_params["enabled"] = "true"
    memberships = {}            # group id -> set of host names
    unknown_memberships = []    # (host id, host name): summary_fields.groups was cut short or absent
    for host in client.iter_objects("inventories/%s/hosts/" % inventory_id, host_params):
        name = host["name"]
        data["hosts"][name] = {"vars": parse_variables(host.get("variables"), "host %s" % name),
                               "id": host.get("id"), "enabled": host.get("enabled")}
        summary = (host.get("summary_fields") or {}).get("groups")
        if isinstance(summary, dict) and summary.get("count") == len(summary.get("results") or []):
            for group in summary["results"]:
                memberships.setdefault(group["id"], set()).add(name)
        else:
            unknown_memberships.append((host.get("id"), name))

    names_by_id = {}
    for group in client.iter_objects("inventories/%s/groups/" % inventory_id, dict(_PAGE)):
        names_by_id[group["id"]] = group["name"]
        _group(data, group["name"])["vars"] = parse_variables(group.get("variables"), "group %s" % group["name"])

    if unknown_memberships:
        if len(unknown_memberships) <= len(names_by_id):
            for host_id, host_name in unknown_memberships:
                for group in client.iter_objects("hosts/%s/groups/" % host_id, dict(_PAGE)):
                    memberships.setdefault(group["id"], set()).add(host_name)
        else:
            # Cheaper to read each group's hosts than each host's groups.
            for group_id in names_by_id:
                for host in client.iter_objects("groups/%s/hosts/" % group_id, dict(_PAGE)):
                    if host["name"] in data["hosts"]:
                        memberships.setdefault(group_id, set()).add(host["name"])

    for group_id, host_names in memberships.items():
        if group_id in names_by_id:
            group = data["groups"][names_by_id[group_id]]
            group["hosts"] = [name for name in data["hosts"] if name in host_names]

    for group_id in _parent_group_ids(client, inventory_id, names_by_id):
        children = [child["name"] for child in client.iter_objects("groups/%s/children/" % group_id, dict(_PAGE))]
        data["groups"][names_by_id[group_id]]["children"] = children
    return data


def _parent_group_ids(client, inventory_id, names_by_id):
    """Ids of the groups that have children: one filtered request instead of one per group."""
    if not names_by_id:
        return []
    params = dict(_PAGE)
    params["children__isnull"] = "false"
    try:
        found = set(group["id"] for group in client.iter_objects("inventories/%s/groups/" % inventory_id, params))
    except ValidationError:
        # A server without that related lookup: ask every group.
        return list(names_by_id)
    return [group_id for group_id in names_by_id if group_id in found]


def read_inventory(client, inventory, organization=None, only_enabled=True, read_method="auto", awx_vars=False):
    """Resolve the inventory and read all of it; see the module docstring for the shape and costs."""
    if read_method not in READ_METHODS:
        raise ConfigurationError("read_method must be one of %s, not %r" % (", ".join(READ_METHODS), read_method))
    inventory_obj = resolve_inventory(client, inventory, organization)
    if read_method in ("auto", "script"):
        try:
            return _read_script(client, inventory_obj, only_enabled, awx_vars)
        except (NotFound, MethodNotAllowed):
            if read_method == "script":
                raise
    return _read_pages(client, inventory_obj, only_enabled)
