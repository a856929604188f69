# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Declarative resource specs: which options a module has and what they mean.

A module describes its resource once, as a :class:`ResourceSpec` made of field
kinds; the module's ``argument_spec``, the API payload and the normalised view
that ``ensure`` compares and diffs are all derived from it.

Field kinds:

``Field``        a plain value (str/int/bool/float, optional choices).  ``None``
                 means "not managed": it is neither compared nor sent.
``Reference``    the id of another object, given as a name (resolved within a
                 scope, e.g. an inventory of an organization), an AWX named URL
                 (``prod++Default``) or an id.  Ints are ids; a numeric string
                 is looked up as a name first and taken as an id only when no
                 object has that name.
``ReferenceList`` a list of references kept through an association sub-endpoint
                 (``organizations/<id>/instance_groups/``), resolved with one
                 filtered request; ``ordered`` says whether order matters.
``Secret``       a no_log value AWX answers as ``$encrypted$``; it is sent only
                 on create, or when ``update_secrets`` is true.
``Variables``    YAML/JSON text or a dict, compared as data and sent as a string.
``WriteOnly``    a value AWX never returns: sent on create, never compared.
``Ignored``      an option kept for compatibility that AWX no longer honours;
                 giving it only produces a warning.
``CopyFrom``     the object to copy (AWX's ``copy/`` endpoint) when the target
                 does not exist yet; the other options then apply to the copy.

Per-resource quirks are :class:`Hooks` in the spec, never branches on the
resource name in generic code.

This file does no I/O and imports nothing from Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    ConfigurationError,
    ResourceError,
)
from ansible_collections.gitops.awx.plugins.module_utils._variables import (  # noqa: F401 pylint: disable=unused-import
    HAS_YAML,
    parse_variables,
)

STATES = ("present", "absent", "exists")
SECRET_MASK = "********"
SECRET_CHANGED = "******** (new value)"
ENCRYPTED = "$encrypted$"

_PYTHON_TYPES = {"str": str, "int": int, "bool": bool, "float": float}


class Field:
    """A plain value of the object, sent and compared as is."""

    kind = "plain"
    api = True          # part of the AWX object (False: an option that only steers lookups)
    compared = True
    association = False

    def __init__(self, name, type="str", required=False, choices=None, aliases=None,
                 api=True, api_name=None, default=None, no_log=None):
        self.name = name
        self.type = type
        self.required = required
        self.choices = list(choices) if choices is not None else None
        self.aliases = list(aliases or [])
        self.api = api
        self.api_name = api_name or name
        self.default = default
        self.no_log = no_log

    def argument_spec(self):
        spec = {"type": self.type}
        if self.required:
            spec["required"] = True
        if self.choices is not None:
            spec["choices"] = list(self.choices)
        if self.aliases:
            spec["aliases"] = list(self.aliases)
        if self.default is not None:
            spec["default"] = self.default
        if self.no_log is not None:
            # False too: says "not a secret" for a name that sounds like one (secret_fingerprint).
            spec["no_log"] = self.no_log
        return spec

    def normalise(self, value):
        """The comparable form of a value given by the user (pure, may raise)."""
        if value is None:
            return None
        if self.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    def current(self, obj):
        """The comparable form of this field in an AWX object."""
        value = obj.get(self.api_name)
        if self.type == "float" and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    def equal(self, desired, current):
        # AWX answers some unset text fields as null (host_filter), others as "":
        # a user asking for "" has what they want either way.
        if self.type == "str" and desired == "" and current is None:
            return True
        return desired == current

    def payload(self, value):
        """What to send to AWX for a value given by the user."""
        return value

    def display(self, value):
        """How a comparable value shows in before/after."""
        return value

    def view(self, obj, sent=None):  # pylint: disable=unused-argument
        """How this field of ``obj`` shows in before/after; ``sent`` is the payload
        just written (or predicted), for fields whose view depends on it."""
        return self.display(self.current(obj))


class Reference(Field):
    """The id of another object, resolved from a name, a named URL or an id."""

    kind = "reference"

    def __init__(self, name, endpoint, resource=None, scope=(), required=False,
                 aliases=None, api=True, api_name=None, filters=None):
        super(Reference, self).__init__(name, type="raw", required=required,
                                        aliases=aliases, api=api, api_name=api_name)
        self.endpoint = endpoint
        self.resource = resource or name.replace("_", " ")
        self.scope = tuple(scope)
        # Fixed filters for every name lookup (e.g. only Galaxy credentials).
        self.filters = dict(filters or {})

    def normalise(self, value):
        return check_reference_value(self.name, value)

    def current(self, obj):
        return obj.get(self.api_name)

    def equal(self, desired, current):
        return _as_id(desired) == _as_id(current)


class ReferenceList(Field):
    """A list of references kept through ``<endpoint>/<id>/<sub_endpoint>``.

    ``ordered``: the order is AWX's (a preference list such as instance groups);
    it is compared and kept.  ``prefer(current, desired)``: filters (``{"organization": 3}``)
    that settle a name matching several objects, from the object being managed
    (``current``: AWX's object or None before a create) and the desired values
    (references already ids).  Lists sharing ``endpoint`` and ``filters`` are
    looked up together, with one request.
    """

    kind = "reference_list"
    association = True

    def __init__(self, name, endpoint, sub_endpoint=None, resource=None, ordered=False,
                 aliases=None, filters=None, prefer=None):
        super(ReferenceList, self).__init__(name, type="list", aliases=aliases)
        self.endpoint = endpoint
        self.sub_endpoint = sub_endpoint or (name + "/")
        self.resource = resource or name.replace("_", " ").rstrip("s")
        self.ordered = ordered
        self.filters = dict(filters or {})
        self.prefer = prefer

    def argument_spec(self):
        spec = super(ReferenceList, self).argument_spec()
        spec["elements"] = "raw"
        return spec

    def normalise(self, value):
        if value is None:
            return None
        if any(item is None for item in value):
            raise ConfigurationError("%s: must not contain empty entries" % self.name)
        items = [check_reference_value(self.name, item) for item in value]
        # AWX holds each member once: keep the first of duplicates (its place counts
        # when the list is ordered).
        seen = []
        for item in items:
            if item not in seen:
                seen.append(item)
        return seen


class CopyFrom(Field):
    """An object to copy (``POST <endpoint>/<id>/copy/``) when the target is missing.

    Given by name, named URL or id; looked up in the whole endpoint (not in the
    target's scope: a copy may cross organizations).  Ignored when the target exists.
    """

    kind = "copy_from"
    api = False
    compared = False

    def __init__(self, name="copy_from", aliases=None):
        super(CopyFrom, self).__init__(name, type="raw", aliases=aliases, api=False)

    def normalise(self, value):
        return check_reference_value(self.name, value)


class Secret(Field):
    """A no_log value that AWX answers as ``$encrypted$``."""

    kind = "secret"

    def __init__(self, name, aliases=None, api_name=None, required=False):
        super(Secret, self).__init__(name, type="str", aliases=aliases, api_name=api_name,
                                     required=required, no_log=True)

    def display(self, value):
        return SECRET_MASK if value not in (None, "") else value

    def view(self, obj, sent=None):
        if sent is not None and self.api_name in sent:
            return SECRET_CHANGED
        return self.display(self.current(obj))


class WriteOnly(Field):
    """A value AWX accepts but never returns: sent on create, never compared."""

    kind = "write_only"
    compared = False


class Ignored(Field):
    """An option kept so that existing playbooks still parse; AWX ignores it."""

    kind = "ignored"
    api = False
    compared = False

    def __init__(self, name, reason, type="str", aliases=None):
        super(Ignored, self).__init__(name, type=type, aliases=aliases, api=False)
        self.reason = reason


class Variables(Field):
    """YAML/JSON text or a dict: compared as data, always sent as a string."""

    kind = "variables"

    def __init__(self, name="variables", aliases=None, api_name=None):
        super(Variables, self).__init__(name, type="raw", aliases=aliases, api_name=api_name)

    def normalise(self, value):
        if value is None:
            return None
        return parse_variables(value, self.name)

    def current(self, obj):
        text = obj.get(self.api_name)
        try:
            return parse_variables(text, self.name)
        except ResourceError:
            # What AWX stores is its business; an unparsable value simply differs.
            return text

    def payload(self, value):
        # AWX rejects a JSON object with 400 "Not a valid string." and stores a string
        # verbatim, so a user's text goes as written and a dict goes JSON-encoded.
        if isinstance(value, dict):
            return json.dumps(value, sort_keys=True)
        return value


def _as_id(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def check_reference_value(option, value):
    """Accept a reference as an int id or a non-empty string; reject the rest."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ConfigurationError("%s: expected a name, a named URL or an id, got %s"
                                 % (option, type(value).__name__))
    if isinstance(value, str) and not value.strip():
        raise ConfigurationError("%s: must not be empty" % option)
    return value


class Hooks:
    """Per-resource quirks, all optional.

    ``is_gone(obj)``: True for an object that is listed but already being deleted
    (an inventory with ``pending_deletion``); it is treated as absent.
    ``prepare_payload(payload, params, current)``: adjust a create/update payload.
    ``validate(params)``: raise ``ConfigurationError`` for option combinations the
    argument spec cannot express.
    ``complete(client, desired, current, params)``: the desired values once the
    object was looked for (``current``: AWX's object or None) and references are
    ids, before anything is compared; returns the desired values to compare and
    send.  For what only AWX's current object (or one more read) can settle, such
    as which inputs of a credential are secret and whether they must be sent.
    """

    def __init__(self, is_gone=None, prepare_payload=None, validate=None, complete=None):
        self.is_gone = is_gone
        self.prepare_payload = prepare_payload
        self.validate = validate
        self.complete = complete


class ResourceSpec:
    """What a resource is: its endpoint, how it is identified, which fields it has."""

    def __init__(self, resource, endpoint, fields, identity=("name",), states=STATES,
                 rename=True, update_secrets=None, hooks=None):
        if not resource:
            raise ValueError("a ResourceSpec needs an explicit resource name")
        self.resource = resource
        self.endpoint = endpoint
        self.fields = list(fields)
        self.by_name = dict((f.name, f) for f in self.fields)
        self.identity = tuple(identity)
        self.states = tuple(states)
        self.rename = rename
        if update_secrets is None:
            update_secrets = any(f.kind == "secret" for f in self.fields)
        self.update_secrets = update_secrets
        self.hooks = hooks or Hooks()
        for name in self.identity:
            if name not in self.by_name:
                raise ValueError("identity field %r is not a field of %s" % (name, resource))
        for field in self.fields:
            for scope in getattr(field, "scope", ()):
                if scope not in self.by_name:
                    raise ValueError("scope %r of %s is not an option" % (scope, field.name))

    @property
    def name_field(self):
        return self.identity[0]

    @property
    def identity_references(self):
        return [self.by_name[n] for n in self.identity[1:]]

    @property
    def references(self):
        return [f for f in self.fields if f.kind == "reference" and f.api]

    @property
    def associations(self):
        return [f for f in self.fields if f.association]

    @property
    def copy_field(self):
        for field in self.fields:
            if field.kind == "copy_from":
                return field
        return None

    def argument_spec(self):
        """The module's own options (connection options are added by _module.py)."""
        spec = {}
        for field in self.fields:
            spec[field.name] = field.argument_spec()
        if self.rename:
            spec["new_name"] = {"type": "str"}
        if self.update_secrets:
            spec["update_secrets"] = {"type": "bool", "default": True, "no_log": False}
        spec["state"] = {"type": "str", "choices": list(self.states), "default": "present"}
        return spec

    def given(self, params):
        """The fields the user gave (``is not None``), in spec order."""
        return [f for f in self.fields if params.get(f.name) is not None]

    def desired(self, params):
        """Normalise every given option; raises before any request is sent."""
        if self.hooks.validate is not None:
            self.hooks.validate(params)
        values = {}
        for field in self.given(params):
            values[field.name] = field.normalise(params[field.name])
        return values
