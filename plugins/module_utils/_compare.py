# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare a desired state with an AWX object; build views, diffs and predictions.

Everything here is pure: no request, no Ansible.  The "view" of an object is
the normalised, comparable form of the fields the user gave (variables as
data, references as ids, secrets masked, association lists as names); the diff
is the before/after of that view, so it shows exactly what ``ensure`` compared.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.gitops.awx.plugins.module_utils._spec import ENCRYPTED


def _secret_is_set(value):
    return value not in (None, "")


def object_fields(spec, names):
    """The compared fields of the object itself (not associations), in spec order."""
    return [f for f in spec.fields
            if f.name in names and f.api and f.compared and not f.association]


def _encode(field, value, raw_params):
    if field.kind == "variables" and isinstance(raw_params.get(field.name), str):
        # Send the user's own text, so AWX stores (and answers) it verbatim.
        return raw_params[field.name]
    return field.payload(value)


def changed_payload(spec, desired, current, raw_params, update_secrets=False):
    """``{api_name: value}`` of the given fields whose value differs from ``current``.

    ``desired`` maps option names to normalised values with references already
    resolved to ids.  A secret is sent when AWX holds none, or when
    ``update_secrets`` is true (AWX answers every secret as ``$encrypted$``, so
    a changed secret cannot be detected).
    """
    payload = {}
    for field in object_fields(spec, desired):
        value = desired[field.name]
        if field.kind == "secret":
            if value == ENCRYPTED:
                # AWX's own placeholder means "keep the stored secret": nothing to send.
                continue
            if update_secrets or not _secret_is_set(current.get(field.api_name)):
                payload[field.api_name] = _encode(field, value, raw_params)
            continue
        if not field.equal(value, field.current(current)):
            payload[field.api_name] = _encode(field, value, raw_params)
    return payload


def create_payload(spec, desired, raw_params):
    """Everything the user gave, encoded for AWX (write-only fields included)."""
    payload = {}
    for field in spec.fields:
        if field.name not in desired or not field.api or field.association:
            continue
        payload[field.api_name] = _encode(field, desired[field.name], raw_params)
    return payload


def object_view(spec, names, obj, sent=None):
    """The comparable view of ``obj`` restricted to the option ``names``.

    ``sent`` (the payload just written) marks secrets that were changed.
    """
    view = {}
    for field in object_fields(spec, names):
        view[field.name] = field.view(obj, sent)
    return view


def full_view(spec, obj):
    """The view of every compared field the object carries (used for deletes)."""
    names = [f.name for f in spec.fields if f.api and f.api_name in obj]
    return object_view(spec, names, obj)


def predict_object(current, payload):
    """The object AWX would answer after a PATCH (or a POST when ``current`` is None).

    AWX stores what it is sent (variables included, verbatim), so the prediction
    is the current object with the payload applied; a create has no id yet.
    """
    if current is None:
        predicted = {"id": None, "url": None}
    else:
        predicted = copy.deepcopy(current)
    for key, value in payload.items():
        if value == ENCRYPTED:
            continue
        # A payload value may say how AWX answers it (secrets inside as $encrypted$):
        # a prediction must never hold a secret that AWX would not show.
        answered = getattr(value, "as_answered", None)
        predicted[key] = answered() if answered is not None else value
    return predicted


def association_view(field, pairs):
    """Names (ids when nameless) of associated objects: sorted unless order matters."""
    names = [name if name is not None else id_ for id_, name in pairs]
    if field.ordered:
        return names
    return sorted(names, key=lambda n: (not isinstance(n, str), str(n)))


def plan_association(field, current_ids, desired_ids):
    """The ``(id, disassociate)`` operations that turn ``current_ids`` into ``desired_ids``.

    Unordered lists: associate what is missing, disassociate what is extra.

    Ordered lists: AWX appends an associated member at the end and keeps the
    others in place when one is removed.  So the members that can stay are the
    longest head of the desired list found, in order, among the current ones;
    every other current member is disassociated (extra or out of place), then
    the rest of the desired list is associated in order.  Writes =
    ``len(current) + len(desired) - 2 * kept``, the fewest this API allows:
    ``[a, b, c] -> [a, c]`` is one write, ``[a, b] -> [b, a]`` two.
    """
    if field.ordered:
        kept = 0
        for member in current_ids:
            if kept < len(desired_ids) and member == desired_ids[kept]:
                kept += 1
        keep = set(desired_ids[:kept])
        removals = [(i, True) for i in current_ids if i not in keep]
        additions = [(i, False) for i in desired_ids[kept:]]
        return removals + additions
    current_set = set(current_ids)
    desired_set = set(desired_ids)
    removals = [(i, True) for i in current_ids if i not in desired_set]
    additions = [(i, False) for i in desired_ids if i not in current_set]
    return removals + additions


def make_diff(before, after):
    return {"before": before, "after": after}
