# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the client authenticates: a token, a password, or nothing.

Each strategy answers one question before every request, "which
``Authorization`` header now?", and may use the client's ``transport`` (a
callable ``transport(method, endpoint, data, authorization, recover=None) ->
parsed body`` that sends exactly one logical request, retries included; see
``Client.request`` for ``recover``) for the requests it needs itself.  Header
values are built here and nowhere else, and no message built here contains a
secret.  ``warnings`` collects what the user should hear about (a session token
that may be left behind); the client adds them to its own when it closes.

Why a password user gets a session token: AWX checks a Basic password with a
deliberately slow hash on every request (about 0.2 s measured on AWX 24.6.1),
while a Bearer token is one indexed lookup.  After ``switch_after`` Basic
requests the client therefore creates a personal token (``POST tokens/``, scope
write) and uses it; ``close()`` deletes it.  Short runs (a no-op task, an update, a
create: one to three requests) never pay for the token; see docs/authentication.md.

The token's value is only ever shown in the answer to its POST.  When that answer
is lost, the token may exist all the same: its description carries a random
nonce, so the client's recovery finds it (``GET tokens/?description=``) and
deletes it, and the POST is sent again for a token whose value we see.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import os

from ansible.module_utils.six.moves.urllib.parse import urlencode

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    AuthenticationError,
    AWXError,
    NotFound,
)

SESSION_TOKEN_DESCRIPTION = "gitops.awx session token"
# Basic requests sent before switching to a session token.  Creating and later
# deleting the token costs two requests (one of them Basic), so it pays off only
# when at least two more requests follow the switch.  Three keeps every common
# converge task on plain Basic (a no-op find: 1; an update: 2; a create that
# resolves its scope: 3), which measured faster than a token for those and adds
# no token rows to AWX; polls and page walks switch at their fourth request.
DEFAULT_SWITCH_AFTER = 3

_NONCE_BYTES = 8


def _new_nonce():
    return binascii.hexlify(os.urandom(_NONCE_BYTES)).decode("ascii")


_TOKEN_HINT = "check controller_oauthtoken (a valid, unexpired token)"
_PASSWORD_HINT = "check controller_username/controller_password"
_ANONYMOUS_HINT = "set controller_username/controller_password or controller_oauthtoken"


def _bearer(token):
    return "Bearer %s" % token


class NoAuth:
    """No credentials: only anonymous endpoints (``/api/``, ``ping/``) will answer."""

    hint = _ANONYMOUS_HINT
    kind = "none"
    warnings = ()

    def authorization(self, transport):
        return None

    def secrets(self):
        return []

    def rejected(self, authorization):
        return False

    def close(self, transport):
        return None


class TokenAuth:
    """A token the user gave: ``Authorization: Bearer``; never created or deleted here."""

    hint = _TOKEN_HINT
    kind = "token"
    warnings = ()

    def __init__(self, token):
        self._token = token
        self._header = _bearer(token)

    def secrets(self):
        return [self._token]

    def authorization(self, transport):
        return self._header

    def rejected(self, authorization):
        return False

    def close(self, transport):
        return None

    def __repr__(self):
        return "TokenAuth(***)"


class PasswordAuth:
    """HTTP Basic for the first requests, then a session token of our own."""

    hint = _PASSWORD_HINT
    kind = "password"

    def __init__(self, username, password, switch_after=DEFAULT_SWITCH_AFTER, nonce=_new_nonce):
        raw = ("%s:%s" % (username, password)).encode("utf-8")
        self._password = password
        self._encoded = base64.b64encode(raw).decode("ascii")
        self._basic = "Basic %s" % self._encoded
        self._session_token = None
        self._nonce = nonce
        self.switch_after = switch_after
        self.basic_sent = 0
        self.token_id = None
        self.token_description = None
        self._token_header = None
        self.warnings = []
        # Set once a token was tried (made or refused): never try twice per client.
        self._token_tried = switch_after is None

    @property
    def using_token(self):
        return self._token_header is not None

    def secrets(self):
        return [value for value in (self._password, self._encoded, self._session_token) if value]

    def authorization(self, transport):
        if not self._token_tried and self.basic_sent >= self.switch_after:
            self._create_token(transport)
        if self._token_header is not None:
            return self._token_header
        self.basic_sent += 1
        return self._basic

    def _create_token(self, transport):
        self._token_tried = True
        # The nonce makes the description ours alone, so a token made behind a lost
        # answer can be found by it, and only ours.
        description = self.token_description = "%s %s" % (SESSION_TOKEN_DESCRIPTION, self._nonce())
        lost = _LostTokenRecovery(transport, description, self._basic)
        try:
            body = transport("POST", "tokens/", {"description": description, "scope": "write"},
                             self._basic, recover=lost)
        except AuthenticationError:
            # The password itself was refused: that is the user's error to see.
            raise
        except AWXError:
            # 400/403/404/405/5xx, a reset or a time-out: tokens disabled (a gateway),
            # not allowed for this user, or the server hiccuped.  Basic still works and
            # the user's own request must not fail for our optimisation: keep Basic.
            if lost.unresolved:
                self.warnings.append(lost.unresolved)
            return
        finally:
            self.basic_sent += 1
        if isinstance(body, dict) and body.get("token") and body.get("id") is not None:
            self.token_id = body["id"]
            self._session_token = body["token"]
            self._token_header = _bearer(body["token"])

    def rejected(self, authorization):
        """A 401 came back.  If our session token was refused (deleted, expired),
        drop it and go back to Basic: the caller may repeat the request once."""
        if self._token_header is not None and authorization == self._token_header:
            self._token_header = None
            self.token_id = None
            return True
        return False

    def close(self, transport):
        """Delete the session token; returns a warning text when that failed."""
        if self.token_id is None:
            return None
        token_id, header = self.token_id, self._token_header
        self.token_id = None
        self._token_header = None
        try:
            transport("DELETE", "tokens/%s/" % token_id, None, header)
        except (NotFound, AuthenticationError):
            return None  # already gone: deleted, expired or revoked
        except AWXError as exc:
            return ("could not delete the session token %s (description %r): %s"
                    % (token_id, self.token_description, exc))
        return None

    def __repr__(self):
        return "PasswordAuth(***)"


class _LostTokenRecovery:
    """``recover()`` for the session token POST (see ``Client.request``).

    Finds the token that a POST whose answer was lost made, by its description
    (unique: it carries a nonce), and deletes it: its value was only in the lost
    answer, so it cannot be used, and left alone it would live on in AWX.  It
    always answers None ("not applied"), so the client sends the POST again (or,
    out of retries, raises, and Basic stays).  ``unresolved`` is the warning for
    the user while a token may be left behind: set when a check starts, cleared
    when it ends cleanly.
    """

    def __init__(self, transport, description, basic):
        self._transport = transport
        self._description = description
        self._basic = basic
        self.unresolved = None

    def __call__(self):
        self.unresolved = (
            "the answer to creating a session token was lost and checking for the token failed: "
            "a token with description %r may be left in AWX; delete it there" % self._description)
        body = self._transport("GET", "tokens/?%s" % urlencode({"description": self._description}),
                               None, self._basic)
        found = body.get("results") if isinstance(body, dict) else None
        for token in found or []:
            if token.get("description") != self._description or token.get("id") is None:
                continue  # not ours: a server that ignored the filter
            self.unresolved = (
                "the answer to creating a session token was lost, and deleting the token it made "
                "failed: delete token %s (description %r) in AWX" % (token["id"], self._description))
            try:
                self._transport("DELETE", "tokens/%s/" % token["id"], None, self._basic)
            except NotFound:
                pass  # gone already
        self.unresolved = None
        return None


def auth_from_settings(settings, switch_after=DEFAULT_SWITCH_AFTER):
    """The strategy for validated ``ConnectionSettings`` (a token wins)."""
    if settings.token is not None:
        return TokenAuth(settings.token)
    if settings.username is not None and settings.password is not None:
        return PasswordAuth(settings.username, settings.password, switch_after=switch_after)
    return NoAuth()
