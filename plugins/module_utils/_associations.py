# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lists of references kept through AWX's association sub-endpoints.

For each ``ReferenceList`` the user gave, the engine needs the desired members
(resolved), the current ones (``GET <endpoint>/<id>/<sub_endpoint>``) and the
operations between them.  Requests:

- lookups: one ``name__in=`` request per distinct ``(endpoint, filters)``, so an
  organization's four notification template lists cost one request together
  (plus one ``id__in=`` request when ids are given);
- current members: one GET per list given (none before a create);
- writes: one ``POST <sub_endpoint> {"id": n}`` per member added and
  ``{"id": n, "disassociate": true}`` per member removed (see
  ``_compare.plan_association`` for the ordered case).

A list whose field has ``create_missing`` (a job template's labels: AWX creates
a label posted by name to the sub-endpoint, ``{"name", "organization"}``, and
answers 204 when it exists) keeps the names it did not find and creates them
on association, with the body ``field.create_body(name, obj)`` gives.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._compare import (
    association_view,
    plan_association,
)
from ansible_collections.gitops.awx.plugins.module_utils._references import (
    is_named_url,
    lookup_reference_values,
    resolve_reference_list,
)


class MemberPlan:
    """What the given association lists need: operations and before/after views."""

    def __init__(self):
        self.operations = []   # [(field, [(member_id, disassociate), ...])], changes only
        self.before = {}       # {option: view}, only when the object exists
        self.after = {}        # {option: view}

    @property
    def changed_fields(self):
        return [field.name for field, _operations in self.operations]


def _group_key(field):
    return (field.endpoint, tuple(sorted(field.filters.items())))


def resolve_members(client, spec, desired, current):
    """``{option: [(id, name), ...]}`` for every association list in ``desired``.

    Lists sharing an endpoint and filters are looked up with one request.
    """
    groups = {}
    order = []
    for field in spec.associations:
        if field.name not in desired:
            continue
        key = _group_key(field)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(field)
    wanted = {}
    for key in order:
        fields = groups[key]
        values = []
        for field in fields:
            values.extend(v for v in desired[field.name] if v not in values)
        found = lookup_reference_values(client, fields[0], values) if values else {}
        for field in fields:
            prefer = field.prefer(current, desired) if field.prefer is not None else None
            values = desired[field.name]
            new = _creatable(field, values, found)
            wanted[field.name] = resolve_reference_list(
                client, field, [v for v in values if v not in new], prefer=prefer,
                found=found) + [(None, name) for name in new]
    return wanted


def _creatable(field, values, found):
    """Names of a ``create_missing`` list that match nothing: created on association."""
    if not getattr(field, "create_missing", False):
        return []
    return [v for v in values if isinstance(v, str) and not found.get(v)
            and not is_named_url(v) and not v.strip().isdigit()]


def current_members(client, spec, field, obj_id):
    path = "%s%d/%s" % (spec.endpoint, obj_id, field.sub_endpoint)
    return [(obj["id"], obj.get("name")) for obj in client.list(path)]


def plan_members(client, spec, desired, current, members_of=None):
    """A :class:`MemberPlan` for the association lists in ``desired``.

    ``current`` is the object whose members are read (None before a create:
    it has none).  ``members_of`` overrides the object read for current members
    (a copy in check mode reads nothing: ``False``).
    """
    plan = MemberPlan()
    wanted = resolve_members(client, spec, desired, current)
    read_from = current if members_of is None else members_of
    for field in spec.associations:
        if field.name not in wanted:
            continue
        have = current_members(client, spec, field, read_from["id"]) if read_from else []
        operations = plan_association(field, [pair[0] for pair in have],
                                      [pair[0] for pair in wanted[field.name]
                                       if pair[0] is not None])
        # New members (by name) are created by their association, after the others.
        operations += [({"name": name}, False) for id_, name in wanted[field.name] if id_ is None]
        if operations:
            plan.operations.append((field, operations))
        if current is not None:
            plan.before[field.name] = association_view(field, have)
        plan.after[field.name] = association_view(field, wanted[field.name])
    return plan


def apply_members(client, spec, obj_id, plan, check_mode, obj=None):
    """Send the plan's association writes (none in check mode or without an id).

    ``obj`` is the object as written (a created member takes its organization).
    """
    if check_mode or obj_id is None:
        return
    for field, operations in plan.operations:
        path = "%s%d/%s" % (spec.endpoint, obj_id, field.sub_endpoint)
        for member_id, disassociate in operations:
            if isinstance(member_id, dict):
                body = field.create_body(member_id["name"], obj or {})
            else:
                body = {"id": member_id}
            if disassociate:
                body["disassociate"] = True
            # AWX's association POSTs are idempotent (associating a member twice or
            # removing an absent one answers 204), so they are retried like a PATCH.
            client.post(path, body, idempotent=True)
