# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine: find an object, decide, then write only what differs.

``ensure(client, spec, params, check_mode)`` is the whole life of a resource
module run:

1. normalise the options the user gave (invalid variables fail here, before
   any request);
2. find the object by identity within its scope with ONE filtered list request:
   a reference in the identity given by name is matched through AWX's related
   field lookups (``GET hosts/?name=web1&inventory__name=prod&
   inventory__organization__name=Default``), so a no-op costs one request;
3. ``absent``: DELETE (a 404 means someone else already did: fine; a 409
   because AWX's own update of the object runs is retried once it ended);
   ``exists``: create when missing, never update;
   ``present``: resolve the remaining references, compare, then POST the whole
   desired object or PATCH only the changed keys, and associate/disassociate
   list members through the sub-endpoints (``_associations.py``).  A missing
   object with ``copy_from`` given is first copied (``POST <endpoint>/<source
   id>/copy/``); the copy then gets the update path, but reports a create;
4. bring sub-resources kept on an endpoint of their own (a job template's
   ``survey_spec/``) to the desired value: read only when the task gives one,
   written after the object (``_subresources.py``);
5. run the spec's ``after_write`` hook (a project waits for the SCM update its
   write started), whose result keys join the module's result;
6. return an :class:`Outcome` whose object is AWX's own write answer (AWX
   answers POST and PATCH with the full object, so nothing is re-read).

The drop-in name rule: a ``name`` made of digits that matches no object by
that name is taken as the object's id, as ``awx.awx`` does (its tests delete a
host with ``name: "{{ result.id }}"``): one extra ``GET <endpoint>/<id>/``,
only in that case.  The object found that way keeps its own name.

Check mode is decided here, at the write boundary: every GET still happens,
no POST/PATCH/PUT/DELETE is sent, and the predicted object gives the same
before/after a real run produces (a created object has ``id`` None).

Every write follows the client's retry policy (``max_retries``,
``retry_max_time``, backoff, ``Retry-After``).  A POST is not idempotent: the
engine gives the client a recovery that re-finds the object by identity, which
the client runs after an answer that may hide an applied create (502/503/504, a
timeout, a dropped connection) and before sending it again, so a retried
create never makes a duplicate.  A create that AWX refuses because the object
now exists (another run made it between our read and our write: 400 "...
already exists") is a race, not a failure: the object is re-read and goes on to
the update path.  A DELETE whose answer was lost and whose retry answers 404
was ours (changed); a 404 to the first DELETE means someone else deleted it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._associations import (
    apply_members,
    plan_members,
)
from ansible_collections.gitops.awx.plugins.module_utils._compare import (
    changed_payload,
    create_payload,
    full_view,
    make_diff,
    object_view,
    predict_object,
)
from ansible_collections.gitops.awx.plugins.module_utils._deletion import delete_when_idle
from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    NotFound,
    ResourceError,
    ValidationError,
)
from ansible_collections.gitops.awx.plugins.module_utils._identity import Identity, resolve_references
from ansible_collections.gitops.awx.plugins.module_utils._recovery import already_exists, find_copy
from ansible_collections.gitops.awx.plugins.module_utils._references import resolve_reference
from ansible_collections.gitops.awx.plugins.module_utils._spec import Hooks
from ansible_collections.gitops.awx.plugins.module_utils._subresources import (
    apply_subresources,
    plan_subresources,
)


class EngineHooks(Hooks):
    """:class:`Hooks` plus the steps that run around the engine's writes.

    ``after_write(client, params, event, check_mode)``: called at the end of a
    ``present``/``exists`` run with an :class:`AfterWrite`; returns ``(changed,
    extra)``, where ``changed`` says the hook itself changed something (started
    a project update) and ``extra`` is merged into the module's result.  It may
    raise (an update that failed): the write stands, the task fails.
    """

    def __init__(self, after_write=None, **kwargs):
        super(EngineHooks, self).__init__(**kwargs)
        self.after_write = after_write


class AfterWrite:
    """What the engine did, for an ``after_write`` hook."""

    def __init__(self, obj, created, changed_fields, wrote):
        self.object = obj                    # AWX's answer (the predicted object in check mode)
        self.created = created
        self.changed_fields = list(changed_fields)
        self.wrote = wrote                   # a POST or PATCH of the object itself was sent


class Outcome:
    """What ``ensure`` did (or, in check mode, would do)."""

    def __init__(self, changed, before, after, obj, changed_fields=(), warnings=(), state=None,
                 extra=None):
        self.changed = changed
        self.before = before
        self.after = after
        self.object = obj
        self.changed_fields = list(changed_fields)
        self.warnings = list(warnings)
        self.state = state
        self.extra = dict(extra or {})   # result keys added by an after_write hook

    @property
    def diff(self):
        return make_diff(self.before, self.after)

    def __repr__(self):
        return "Outcome(changed=%r, before=%r, after=%r)" % (self.changed, self.before, self.after)


def _ignored_warnings(spec, params):
    return ["%s is ignored: %s" % (f.name, f.reason) for f in spec.fields
            if f.kind == "ignored" and params.get(f.name) is not None]


# How a create ended (see ``_create``).
CREATED, RECOVERED, EXISTED = "created", "recovered", "existed"


def _create(client, spec, identity, payload):
    """POST the new object: ``(object, how)``.

    ``how`` is ``CREATED`` (AWX's answer), ``RECOVERED`` (the answer was lost and
    the re-find by identity found the object: ours, most likely) or ``EXISTED``
    (AWX refused it as already existing: made by someone else since our read).
    """
    name = payload[spec.name_field]
    found = []

    def refind():
        obj = identity.find(name)
        if obj is not None:
            found.append(obj)
        return obj

    try:
        obj = client.post(spec.endpoint, payload, recover=refind)
    except ValidationError as error:
        if not already_exists(error, [spec.name_field] + [r.api_name for r in spec.identity_references]):
            raise
        existing = identity.find(name)
        if existing is None:
            raise  # "exists", yet not where the identity says: AWX's message is the best clue
        return existing, EXISTED
    return obj, (RECOVERED if found and obj is found[-1] else CREATED)


def _delete(client, spec, current, check_mode, warnings):
    before = full_view(spec, current)
    if not check_mode:
        try:
            delete_when_idle(client, "%s%d/" % (spec.endpoint, current["id"]))
        except NotFound:
            # Gone between our read and our delete: the state is met, by someone else.
            return Outcome(False, {}, {}, None, warnings=warnings, state="absent")
    return Outcome(True, before, {}, current, changed_fields=sorted(before), warnings=warnings,
                   state="absent")


class _CopySource:
    """The copy source is looked up like a reference to the resource's own endpoint."""

    filters = {}

    def __init__(self, spec):
        self.endpoint = spec.endpoint
        self.resource = "%s to copy" % spec.resource


def _copy(client, spec, params, name, check_mode):
    """The copy of ``copy_from`` named ``name``: AWX's answer, or the prediction in check mode.

    ``POST <endpoint>/<source id>/copy/ {"name": name}`` answers 201 with the new
    object (in the source's organization; the options given then apply to it).
    A copy whose answer was lost is looked for by name in the source's
    organization (where AWX puts it) before it is sent again: AWX copies to a
    name that is taken without complaint, so a blind repeat would make two.
    """
    source = resolve_reference(client, _CopySource(spec), params[spec.copy_field.name])
    if not check_mode:
        return client.post("%s%d/copy/" % (spec.endpoint, source["id"]), {spec.name_field: name},
                           recover=lambda: find_copy(client, spec.endpoint, source, name,
                                                     spec.name_field))
    predicted = predict_object(source, {spec.name_field: name})
    predicted.update({"id": None, "url": None})
    return predicted


def ensure(client, spec, params, check_mode=False):
    """Bring one object to ``params['state']``; returns an :class:`Outcome`."""
    state = params.get("state") or "present"
    if state not in spec.states:
        raise ResourceError("state '%s' is not supported for %s" % (state, spec.resource))
    desired = spec.desired(params)
    warnings = _ignored_warnings(spec, params)
    name = params[spec.name_field]
    new_name = params.get("new_name") if spec.rename else None

    identity = Identity(client, spec, params)
    current = identity.find(name)
    if current is None and new_name and new_name != name and state != "absent":
        # Renamed by an earlier run: the object now answers to its new name.
        current = identity.find(new_name)
    found_by_id = False
    if current is None and isinstance(name, str) and name.strip().isdigit():
        current = identity.find_by_id(name)
        found_by_id = current is not None
        if found_by_id and not new_name:
            # The digits were its id, not a new name: the object keeps its own.
            desired.pop(spec.name_field, None)

    if state == "absent":
        if current is None:
            return Outcome(False, {}, {}, None, warnings=warnings, state=state)
        return _delete(client, spec, current, check_mode, warnings)

    if new_name:
        desired[spec.name_field] = new_name
    shown = [f.name for f in spec.fields if f.name in desired]

    if current is not None and state == "exists":
        view = object_view(spec, shown, current)
        return _after_write(client, spec, params, check_mode,
                            Outcome(False, view, view, current, warnings=warnings, state=state),
                            AfterWrite(current, False, (), False))

    desired = resolve_references(client, spec, desired, params, identity, current)
    if spec.hooks.complete is not None:
        desired = spec.hooks.complete(client, desired, current, params)

    created = False  # the object is new from this task: reported as a create
    if current is None and spec.copy_field is not None and desired.get(spec.copy_field.name) is not None:
        current = _copy(client, spec, params, desired[spec.name_field], check_mode)
        created = True

    if current is None:
        members = plan_members(client, spec, desired, None)
        payload = create_payload(spec, desired, params)
        if spec.hooks.prepare_payload is not None:
            payload = spec.hooks.prepare_payload(payload, params, None)
        how = CREATED
        if check_mode:
            obj = predict_object(None, payload)
        else:
            obj, how = _create(client, spec, identity, payload)
        if how == EXISTED and state == "exists":
            view = object_view(spec, shown, obj)
            return _after_write(client, spec, params, check_mode,
                                Outcome(False, view, view, obj, warnings=warnings, state=state),
                                AfterWrite(obj, False, (), False))
        if how == CREATED or state == "exists":
            # (``exists`` never updates: our create found after a lost answer stands as made.)
            subs = plan_subresources(client, spec, desired, None)
            after = object_view(spec, shown, obj, sent=payload)
            after.update(members.after)
            after.update(subs.after)
            apply_members(client, spec, obj.get("id"), members, check_mode, obj)
            apply_subresources(client, spec, obj.get("id"), subs, check_mode)
            outcome = Outcome(True, {}, after, obj, changed_fields=sorted(after), warnings=warnings,
                              state=state)
            return _after_write(client, spec, params, check_mode, outcome,
                                AfterWrite(obj, True, outcome.changed_fields, True))
        # Found instead of answered: the update path sends whatever still differs
        # (nothing, when it was our own create) and reads the members it has.
        current = obj
        created = how == RECOVERED  # our own create, found after its answer was lost

    # A copy made in check mode has no id: its members cannot be read (none are predicted).
    members = plan_members(client, spec, desired, current,
                           members_of=False if current.get("id") is None else None)
    subs = plan_subresources(client, spec, desired,
                             None if current.get("id") is None else current)
    payload = changed_payload(spec, desired, current, params,
                              update_secrets=bool(params.get("update_secrets")))
    if payload and spec.hooks.prepare_payload is not None:
        payload = spec.hooks.prepare_payload(payload, params, current)
    before = object_view(spec, shown, current)
    before.update(members.before)
    before.update(subs.before)
    if not payload:
        obj = current
    elif check_mode:
        obj = predict_object(current, payload)
    else:
        obj = client.patch("%s%d/" % (spec.endpoint, current["id"]), payload)
    after = object_view(spec, shown, obj, sent=payload)
    after.update(members.after)
    after.update(subs.after)
    apply_members(client, spec, current.get("id"), members, check_mode, obj)
    apply_subresources(client, spec, current.get("id"), subs, check_mode)
    if created:
        # A copy, or our own create found after its answer was lost: the object
        # did not exist before this task.
        outcome = Outcome(True, {}, after, obj, changed_fields=sorted(after), warnings=warnings,
                          state=state)
        return _after_write(client, spec, params, check_mode, outcome,
                            AfterWrite(obj, True, outcome.changed_fields, True))
    changed_fields = sorted(k for k in after if after[k] != before.get(k))
    changed_fields += sorted(name for name in members.changed_fields + subs.changed_fields
                             if name not in changed_fields)
    outcome = Outcome(bool(payload or members.operations or subs.operations), before, after, obj,
                      changed_fields=changed_fields, warnings=warnings, state=state)
    return _after_write(client, spec, params, check_mode, outcome,
                        AfterWrite(obj, False, changed_fields, bool(payload)))


def _after_write(client, spec, params, check_mode, outcome, event):
    hook = getattr(spec.hooks, "after_write", None)
    if hook is None:
        return outcome
    changed, extra = hook(client, params, event, check_mode)
    outcome.changed = outcome.changed or bool(changed)
    outcome.extra.update(extra or {})
    return outcome
