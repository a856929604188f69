# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors raised by the client and the resource engine.

Every failure a user can meet is one of these.  They are raised deep in the
stack and converted exactly once: by the module adapter into ``fail_json`` and
by the plugins into ``AnsibleError`` subclasses.  ``str(error)`` is always a
single line that is safe to show (no secrets, no traceback).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

# AWX answers errors in a few shapes: {"detail": "..."}, {"error": "..."},
# {"field": ["msg", ...]}, {"__all__": [...]}, nested dicts for bulk payloads.
_MESSAGE_KEYS = ("detail", "error", "msg", "message")
_MAX_MESSAGE = 500


def _one_line(text):
    text = " ".join(str(text).split())
    if len(text) > _MAX_MESSAGE:
        text = text[:_MAX_MESSAGE - 3] + "..."
    return text


def _flatten_field_errors(body, prefix=""):
    """Yield ``field: message`` strings from AWX's (possibly nested) field errors."""
    if isinstance(body, dict):
        for key, value in body.items():
            name = key if not prefix else "%s.%s" % (prefix, key)
            yield from _flatten_field_errors(value, name)
    elif isinstance(body, (list, tuple)):
        for value in body:
            yield from _flatten_field_errors(value, prefix)
    elif body not in (None, ""):
        yield "%s: %s" % (prefix, body) if prefix else str(body)


def describe_body(body):
    """Turn an AWX error body into one readable line."""
    if body is None or body == "":
        return ""
    if isinstance(body, dict):
        for key in _MESSAGE_KEYS:
            if isinstance(body.get(key), str) and len(body) == 1:
                return _one_line(body[key])
        parts = []
        for item in _flatten_field_errors(body):
            parts.append(item.replace("__all__: ", ""))
        return _one_line("; ".join(parts))
    if isinstance(body, (list, tuple)):
        return _one_line("; ".join(_flatten_field_errors(body)))
    text = str(body)
    if text.lstrip().startswith("<"):
        # An HTML error page (AWX in DEBUG mode, a proxy): the markup helps nobody.
        return "the server answered with an HTML page"
    return _one_line(text)


class AWXError(Exception):
    """Base of every error this collection raises on purpose.

    ``after_lost_answer`` is True when the client raised it for a repeat of a
    request whose earlier attempt may have been applied (its answer was lost):
    a 405 to a repeated cancel may then be our own cancel's doing.
    """

    after_lost_answer = False

    def __init__(self, message):
        super(AWXError, self).__init__(_one_line(message))
        self.message = _one_line(message)

    def __str__(self):
        return self.message


class ConfigurationError(AWXError):
    """Options that cannot work, found before any request is sent."""


class AWXConnectionError(AWXError):
    """The server could not be reached (DNS, refused, reset, proxy)."""


class TLSError(AWXConnectionError):
    """The TLS handshake or certificate verification failed."""


class RequestTimeout(AWXError):
    """The server did not answer within ``request_timeout``."""


class HTTPError(AWXError):
    """A non-2xx answer.  Carries method, path, status and AWX's own text."""

    status = None

    def __init__(self, method, path, status, body=None, headers=None):
        self.method = method
        self.path = path
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        detail = describe_body(body)
        text = "%s %s returned %s" % (method, path, status)
        if detail:
            text += ": " + detail
        super(HTTPError, self).__init__(text)

    @property
    def field_errors(self):
        """AWX's ``{"field": ["message"]}`` map for 400 answers, else ``{}``."""
        if isinstance(self.body, dict):
            return dict((k, v) for k, v in self.body.items() if k not in _MESSAGE_KEYS)
        return {}


class ValidationError(HTTPError):
    """400: AWX rejected the payload; ``field_errors`` says why."""


class AuthenticationError(HTTPError):
    """401: missing or wrong credentials or token."""


class PermissionDenied(HTTPError):
    """403: authenticated, but not allowed."""


class NotFound(HTTPError):
    """404: the object or endpoint does not exist."""


class MethodNotAllowed(HTTPError):
    """405: e.g. cancelling a job that already finished."""


class Conflict(HTTPError):
    """409: e.g. deleting a template while its jobs run."""


class RateLimited(HTTPError):
    """429: too many requests (after the client's retries ran out)."""


class ServerError(HTTPError):
    """5xx: the server failed (after the client's retries ran out)."""


class NotAWXAnswer(AWXError):
    """A 2xx answer to a request expecting AWX's JSON that is not JSON: an HTML
    login or proxy page, a web server that is not AWX.  Nothing can be read
    from it, and repeating the request would get the same page."""

    def __init__(self, method, url, status, what):
        self.method = method
        self.url = url
        self.status = status
        super(NotAWXAnswer, self).__init__(
            "%s %s answered %s with %s, not AWX's JSON; check controller_host" % (method, url, status, what))


class ResourceError(AWXError):
    """The engine cannot do what was asked: an unknown or ambiguous reference,
    a state that cannot be met, invalid input caught before any write."""


class JobFailed(AWXError):
    """A job ended in failed, error or canceled; ``job`` is its last state."""

    def __init__(self, message, job=None):
        super(JobFailed, self).__init__(message)
        self.job = job


class WaitTimeout(AWXError):
    """Waiting for a job or an object ran past its timeout."""

    def __init__(self, message, job=None):
        super(WaitTimeout, self).__init__(message)
        self.job = job


_BY_STATUS = {
    400: ValidationError,
    401: AuthenticationError,
    403: PermissionDenied,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    429: RateLimited,
}


def error_from_response(method, path, status, body=None, headers=None):
    """The typed error for a non-2xx answer."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = ServerError if status >= 500 else HTTPError
    return cls(method, path, status, body, headers)


def body_from_text(text):
    """Parse a response text as JSON when it is JSON, else return the text."""
    try:
        return json.loads(text)
    except ValueError:
        return text
