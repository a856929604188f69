"""``inventories/<id>/script/``: an inventory in the format of an inventory script's ``--list``
(or ``--host NAME``), as AWX serves it to ``ansible-inventory`` and the ``controller`` plugin.

Shape (AWX 24): ``all`` always has ``hosts`` (enabled hosts in no group), ``children`` (every
group, when there are groups) and ``vars`` (the inventory's variables, when there are any).
Each group appears at the top level with only the keys it has (``hosts``, ``children``,
``vars``); a group with none of them is only a child of ``all``. ``?hostvars=1`` adds
``_meta.hostvars`` (every listed host, even without variables); ``?towervars=1`` (with
``hostvars``) adds ``remote_tower_enabled`` ("true"/"false") and ``remote_tower_id``.
Without ``?all=1`` disabled hosts are left out everywhere. ``?subset=sliceNofM`` keeps every
M-th host from the N-th. Any non-empty value switches a flag on (AWX tests ``bool(value)``).
Order, as on AWX 24.6.1 (checked on a real one): the top-level groups, ``all.children`` and a
group's hosts are by name, but a group's ``children`` come in the order they were added to it
(children added as zeta, alpha, mid are listed so), although ``groups/<id>/children/`` lists
them by name.
"""
import json
import re

import yaml
from rest_framework import exceptions
from rest_framework.response import Response

from awxsim.models import Group, Host
from awxsim.res_inventory import HOSTS, INVENTORIES
from awxsim.resource import ResourceView


def variables_dict(text):
    """The mapping a variables string holds (JSON or YAML); {} when empty or not a mapping."""
    if not text or not str(text).strip():
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            return {}
    return data if isinstance(data, dict) else {}


def parse_slice(subset):
    """(number, count) of ``sliceNofM``, with AWX's messages for what it cannot use."""
    if not subset.startswith("slice"):
        raise exceptions.ParseError("Subset does not use any supported syntax.")
    match = re.match(r"slice(?P<number>\d+)of(?P<count>\d+)", subset)
    if not match:
        raise exceptions.ParseError("Could not parse subset as slice specification.")
    number, count = int(match.group("number")), int(match.group("count"))
    if number > count:
        raise exceptions.ParseError("Slice number must be less than total number of slices.")
    if number < 1:
        raise exceptions.ParseError("Slice number must be 1 or higher.")
    return number, count


def script_data(inventory, hostvars=False, towervars=False, show_all=False, slice_number=1,
                slice_count=1):
    hosts = Host.objects.filter(inventory=inventory)
    if not show_all:
        hosts = hosts.filter(enabled=True)
    hosts = list(hosts.order_by("name").only("id", "name", "enabled", "variables"))
    if slice_count > 1:
        hosts = hosts[slice_number - 1::slice_count]
    listed = {host.name for host in hosts}

    data = {}
    everything = data.setdefault("all", {})
    inventory_vars = variables_dict(inventory.variables)
    if inventory_vars:
        everything["vars"] = inventory_vars

    if inventory.kind == "smart":
        everything["hosts"] = [host.name for host in hosts]
    else:
        members, grouped = {}, set()
        rows = (Group.hosts.through.objects
                .filter(group__inventory=inventory, host__inventory=inventory)
                .order_by("host__name", "id").values_list("group_id", "host__name"))
        for group_id, host_name in rows:
            if host_name in listed:
                members.setdefault(group_id, []).append(host_name)
                grouped.add(host_name)
        children = {}
        links = (Group.parents.through.objects
                 .filter(from_group__inventory=inventory, to_group__inventory=inventory)
                 .order_by("id")  # the order the children were added in, as AWX
                 .values_list("to_group_id", "from_group__name"))
        for parent_id, child_name in links:
            children.setdefault(parent_id, []).append(child_name)
        everything["hosts"] = [host.name for host in hosts if host.name not in grouped]
        names = []
        for group in Group.objects.filter(inventory=inventory).order_by("name", "id"):
            info = {}
            if group.id in members:
                info["hosts"] = members[group.id]
            if group.id in children:
                info["children"] = children[group.id]
            group_vars = variables_dict(group.variables)
            if group_vars:
                info["vars"] = group_vars
            if info:
                data[group.name] = info
            names.append(group.name)
        if names:
            everything["children"] = names

    if hostvars:
        meta = data.setdefault("_meta", {}).setdefault("hostvars", {})
        for host in hosts:
            host_vars = variables_dict(host.variables)
            if towervars:
                host_vars.update(remote_tower_enabled=str(host.enabled).lower(),
                                 remote_tower_id=host.id)
            meta[host.name] = host_vars
    return data


class InventoryScriptView(ResourceView):
    options_name = None

    def get(self, request, key):
        inventory = INVENTORIES.get_object(request.user, key)
        params = request.query_params
        show_all = bool(params.get("all", ""))
        subset = params.get("subset", "")
        slice_number, slice_count = parse_slice(subset) if subset else (1, 1)
        hostname = params.get("host", "")
        if hostname:
            hosts = Host.objects.filter(inventory=inventory, name=hostname)
            if not show_all:
                hosts = hosts.filter(enabled=True)
            host = hosts.first()
            if host is None:
                raise HOSTS.not_found()
            return Response(variables_dict(host.variables))
        return Response(script_data(
            inventory, hostvars=bool(params.get("hostvars", "")),
            towervars=bool(params.get("towervars", "")), show_all=show_all,
            slice_number=slice_number, slice_count=slice_count))
