# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the client authenticates: a token, a password, or nothing.

Each strategy answers one question before every request, "which
``Authorization`` header now?", and may use the client's ``transport`` (a
callable ``transport(method, endpoint, data, authorization) -> parsed body``
that sends exactly one logical request, retries included) for the requests it
needs itself.  Header values are built here and nowhere else, and no message
built here contains a secret.

Why a password user gets a session token: AWX checks a Basic password with a
deliberately slow hash on every request (about 0.2 s measured on AWX 24.6.1),
while a Bearer token is one indexed lookup.  After ``switch_after`` Basic
requests the client therefore creates a personal token (``POST tokens/``, scope
write) and uses it; ``close()`` deletes it.  Short runs (a no-op task, an update, a
create: one to three requests) never pay for the token; see docs/authentication.md.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

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

_TOKEN_HINT = "check controller_oauthtoken (a valid, unexpired token)"
_PASSWORD_HINT = "check controller_username/controller_password"
_ANONYMOUS_HINT = "set controller_username/controller_password or controller_oauthtoken"


def _bearer(token):
    return "Bearer %s" % token


class NoAuth:
    """No credentials: only anonymous endpoints (``/api/``, ``ping/``) will answer."""

    hint = _ANONYMOUS_HINT
    kind = "none"

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

    def __init__(self, username, password, switch_after=DEFAULT_SWITCH_AFTER):
        raw = ("%s:%s" % (username, password)).encode("utf-8")
        self._password = password
        self._encoded = base64.b64encode(raw).decode("ascii")
        self._basic = "Basic %s" % self._encoded
        self._session_token = None
        self.switch_after = switch_after
        self.basic_sent = 0
        self.token_id = None
        self._token_header = None
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
        try:
            body = transport("POST", "tokens/",
                             {"description": SESSION_TOKEN_DESCRIPTION, "scope": "write"},
                             self._basic)
        except AuthenticationError:
            # The password itself was refused: that is the user's error to see.
            raise
        except AWXError:
            # 400/403/404/405/5xx, a reset or a time-out: tokens disabled (a gateway),
            # not allowed for this user, or the server hiccuped.  Basic still works and
            # the user's own request must not fail for our optimisation: keep Basic.
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
                    % (token_id, SESSION_TOKEN_DESCRIPTION, exc))
        return None

    def __repr__(self):
        return "PasswordAuth(***)"


def auth_from_settings(settings, switch_after=DEFAULT_SWITCH_AFTER):
    """The strategy for validated ``ConnectionSettings`` (a token wins)."""
    if settings.token is not None:
        return TokenAuth(settings.token)
    if settings.username is not None and settings.password is not None:
        return PasswordAuth(settings.username, settings.password, switch_after=switch_after)
    return NoAuth()
