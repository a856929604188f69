# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An ``inputs`` object whose secret fields AWX answers as ``$encrypted$``.

A credential's ``inputs`` mixes plain values (a username, a region) with
secrets (a password, a key).  AWX answers the secrets as ``$encrypted$``, and a
PATCH of ``inputs`` replaces the whole object: a secret left out is dropped,
a secret sent back as ``$encrypted$`` is kept.  So:

- plain inputs are compared as data; the inputs a task gives are the whole
  object (an input AWX holds that the task leaves out is removed, as AWX does);
- a secret is sent on create, when AWX holds none, or when the fingerprint of
  the declared secrets (``_fingerprint.py``) differs from the one kept in the
  object's description (or none is kept); otherwise it goes back as
  ``$encrypted$``, so AWX keeps it;
- ``update_secrets: false`` sends a secret only when AWX holds none;
  ``secret_fingerprint: false`` keeps no fingerprint and sends the secrets on
  every run (``update_secrets`` true), as ``awx.awx`` does.

:func:`plan_inputs` makes these decisions (pure); :class:`SecretInputs` and
:class:`MarkedText` are the spec fields that compare, send and show the result
(secrets masked, a sent one as ``******** (new value)``, the description
without the fingerprint marker).

This file does no I/O and imports nothing from Ansible.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError
from ansible_collections.gitops.awx.plugins.module_utils._fingerprint import (
    fingerprint,
    join_marked,
    matches,
    split_marked,
)
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    ENCRYPTED,
    SECRET_CHANGED,
    SECRET_MASK,
    Field,
)


def _is_set(value):
    return value not in (None, "")


class AnsweredInputs(dict):
    """The ``inputs`` payload; :meth:`as_answered` is how AWX will show it."""

    def __init__(self, values, secret_keys):
        super(AnsweredInputs, self).__init__(values)
        self.secret_keys = frozenset(secret_keys)

    def as_answered(self):
        return dict((key, ENCRYPTED if key in self.secret_keys and _is_set(value) else value)
                    for key, value in self.items())


class PlannedInputs:
    """The desired inputs once it is known which are secret and which secrets go out.

    ``plain``: non-secret inputs; ``secrets``: declared secret inputs (a value of
    ``$encrypted$`` means "keep what AWX holds"); ``send``: the secret keys whose
    value is sent; ``held``: the secret keys AWX holds a value for.
    """

    def __init__(self, plain, secrets, send, held):
        self.plain = dict(plain)
        self.secrets = dict(secrets)
        self.send = frozenset(send)
        self.held = frozenset(held)

    def expected_keys(self):
        kept = set(k for k, v in self.secrets.items() if v != ENCRYPTED or k in self.held)
        return set(self.plain) | kept

    def matches(self, current_inputs):
        if self.send:
            return False
        if set(k for k, v in current_inputs.items() if v is not None) != self.expected_keys():
            return False
        return all(current_inputs.get(k) == v for k, v in self.plain.items())

    def payload(self):
        values = dict(self.plain)
        for key, value in self.secrets.items():
            values[key] = value if key in self.send else ENCRYPTED
        return AnsweredInputs(values, self.secrets)

    def __eq__(self, other):
        return isinstance(other, PlannedInputs) and vars(self) == vars(other)

    def __ne__(self, other):
        return not self == other


class SecretInputs(Field):
    """``inputs``: a dict whose secret fields are compared through a fingerprint."""

    kind = "secret_inputs"

    def __init__(self, name="inputs", aliases=None):
        super(SecretInputs, self).__init__(name, type="dict", aliases=aliases)

    def normalise(self, value):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise ConfigurationError("%s: expected a dict of input names to values" % self.name)
        return dict(value)

    def current(self, obj):
        return dict(obj.get(self.api_name) or {})

    def equal(self, desired, current):
        if isinstance(desired, PlannedInputs):
            return desired.matches(current)
        return desired == current

    def payload(self, value):
        if isinstance(value, PlannedInputs):
            return value.payload()
        return value

    def view(self, obj, sent=None):
        sent_inputs = (sent or {}).get(self.api_name) or {}
        shown = {}
        for key, value in self.current(obj).items():
            if value == ENCRYPTED:
                new = _is_set(sent_inputs.get(key)) and sent_inputs.get(key) != ENCRYPTED
                shown[key] = SECRET_CHANGED if new else SECRET_MASK
            else:
                shown[key] = value
        return shown


class Marked:
    """A free text field's desired value: the user's text and the fingerprint kept after it."""

    def __init__(self, text, encoded):
        self.text = text or ""
        self.encoded = encoded

    def stored(self):
        return join_marked(self.text, self.encoded)


class MarkedText(Field):
    """A text field (a description) that ends with a fingerprint marker this collection
    owns: compared, shown and diffed without the marker, written with it."""

    kind = "marked_text"

    def current(self, obj):
        return obj.get(self.api_name) or ""

    def equal(self, desired, current):
        if isinstance(desired, Marked):
            return desired.stored() == (current or "")
        return (desired or "") == split_marked(current)[0]

    def payload(self, value):
        if isinstance(value, Marked):
            return value.stored()
        return value

    def view(self, obj, sent=None):
        return split_marked(self.current(obj))[0]


def known_secret_keys(declared, current_inputs):
    """The secret keys among ``declared``, when AWX's current inputs tell them; else None.

    Every declared key that AWX answers ``$encrypted$`` is secret; a key whose
    value equals the declared one needs no decision.  Any other key (new, or a
    plain value that changes) needs the credential type to tell.
    """
    secret = set()
    for key, value in declared.items():
        if current_inputs.get(key) == ENCRYPTED:
            secret.add(key)
        elif key not in current_inputs or current_inputs[key] != value:
            return None
    return secret


def plan_inputs(declared, secret_keys, current, user_text, update_secrets=True, keep_fingerprint=True,
                make_fingerprint=fingerprint):
    """``(PlannedInputs, Marked or None)``: what to compare and send for ``declared`` inputs.

    ``current`` is AWX's object (None before a create); ``user_text`` the description
    the task gives (None: not managed).  The ``Marked`` value is None when the
    description needs no write (no text given, the fingerprint unchanged).
    """
    plain = dict((k, v) for k, v in declared.items() if k not in secret_keys)
    secrets = dict((k, v) for k, v in declared.items() if k in secret_keys)
    managed = dict((k, v) for k, v in secrets.items() if v != ENCRYPTED)
    if current is None:
        encoded = make_fingerprint(managed) if keep_fingerprint and managed else None
        planned = PlannedInputs(plain, secrets, managed, ())
        marked = Marked(user_text, encoded) if (encoded or user_text is not None) else None
        return planned, marked
    stored_inputs = current.get("inputs") or {}
    stored_text, stored = split_marked(current.get("description") or "")
    held = set(k for k in secrets if stored_inputs.get(k) == ENCRYPTED)
    missing = set(k for k in managed if k not in held)
    encoded = stored
    if not update_secrets:
        send = missing
    elif not keep_fingerprint:
        send, encoded = set(managed), None
    elif not managed:
        send = set()
    elif matches(managed, stored):
        send = missing
    else:
        send, encoded = set(managed), make_fingerprint(managed)
    planned = PlannedInputs(plain, secrets, send, held)
    if user_text is None and encoded == stored:
        return planned, None
    return planned, Marked(stored_text if user_text is None else user_text, encoded)
