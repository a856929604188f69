# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sub-resources: values kept on an endpoint of the object's own, not in its fields.

A job template's survey is the example: ``GET job_templates/<id>/survey_spec/``
answers it (``{}`` when there is none), ``POST`` sets the whole of it and
``DELETE`` removes it.  It is part of the object for the user, so the engine
compares it, shows it in the diff and predicts it in check mode like a field,
but reads it with a request of its own (only when the task gives a value) and
writes it after the object exists.

A :class:`SubResource` is a field kind: ``api`` and ``compared`` are false, so
the payload and view code of ``_compare`` leaves it alone; this file plans and
applies it.  A kind with its own rules (the survey's validation, its masked
password defaults) subclasses it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._spec import Field


class SubResource(Field):
    """A value read from and written to ``<endpoint>/<id>/<sub_endpoint>``."""

    kind = "subresource"
    api = False
    compared = False

    def __init__(self, name, sub_endpoint, type="dict", aliases=None):
        super(SubResource, self).__init__(name, type=type, aliases=aliases, api=False)
        self.sub_endpoint = sub_endpoint

    def from_answer(self, body):
        """The comparable value of AWX's GET answer."""
        return body if body is not None else {}

    def is_empty(self, value):
        return not value

    def same(self, desired, current):
        return desired == current

    def view(self, value):
        """How a value shows in before/after (secrets masked)."""
        return value

    def write(self, client, path, value):
        """Bring AWX to ``value``: POST it, or DELETE when it is empty."""
        if self.is_empty(value):
            client.delete(path)
        else:
            client.post(path, self.payload(value), idempotent=True)


class SubResourcePlan:
    """The sub-resources a task gives: what to write and the before/after views."""

    def __init__(self):
        self.operations = []   # [(field, desired value)], changes only
        self.before = {}
        self.after = {}

    @property
    def changed_fields(self):
        return [field.name for field, _value in self.operations]


def subresource_fields(spec):
    return [f for f in spec.fields if f.kind == "subresource"]


def _path(spec, field, obj_id):
    return "%s%d/%s" % (spec.endpoint, obj_id, field.sub_endpoint)


def plan_subresources(client, spec, desired, current):
    """A :class:`SubResourcePlan` for the sub-resources in ``desired``.

    ``current`` is the existing object (None before a create, or for a copy
    predicted in check mode: it has none yet).  One GET per sub-resource given.
    """
    plan = SubResourcePlan()
    for field in subresource_fields(spec):
        if field.name not in desired:
            continue
        wanted = desired[field.name]
        if current is not None:
            have = field.from_answer(client.get(_path(spec, field, current["id"])))
            plan.before[field.name] = field.view(have)
            differs = not field.same(wanted, have)
        else:
            differs = not field.is_empty(wanted)
        if differs:
            plan.operations.append((field, wanted))
        plan.after[field.name] = field.view(wanted)
    return plan


def apply_subresources(client, spec, obj_id, plan, check_mode):
    """Send the plan's writes (none in check mode or without an id)."""
    if check_mode or obj_id is None:
        return
    for field, value in plan.operations:
        field.write(client, _path(spec, field, obj_id), value)
