# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The thin edge between the client and ``requests``.

Holds the guarded ``requests`` import, the ``Response`` the client returns,
query encoding, the safe rendering of a request path for messages, and the
translation of ``requests`` exceptions into typed errors plus the retry
classification of ``_retry.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import traceback

from ansible.module_utils.six.moves.urllib.parse import urlencode, urlsplit

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    AWXConnectionError,
    RequestTimeout,
    TLSError,
    body_from_text,
)
from ansible_collections.gitops.awx.plugins.module_utils._retry import MAYBE_SENT, NOT_SENT

try:
    import requests
    from requests import exceptions as _rexc
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
    RequestException = _rexc.RequestException
except ImportError:
    requests = None
    _rexc = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

    class RequestException(Exception):
        """Stands in for requests' base exception when requests is missing."""

try:
    from urllib3 import exceptions as _u3exc
except ImportError:  # pragma: no cover - requests always brings urllib3
    _u3exc = None

# Query parameters whose values never appear in a message.
_SECRET_KEY = re.compile(r"pass|token|secret|key|auth", re.IGNORECASE)
# urllib3 prefixes its messages with the connection object ("<...HTTPSConnection
# object at 0x7f..>: " or "HTTPSConnection(host='h', port=443): "); the URL is
# already in our message.
_CONNECTION_REPR = re.compile(r"(<[^<>]* object at 0x[0-9a-fA-F]+>|\w*Connection\(host=[^)]*\)):?\s*")


class Response:
    """One HTTP answer: ``body`` is parsed JSON when the answer is JSON, else the text.

    ``recovered`` is True when the write's own answer was lost and the client
    found out that it was applied: ``body`` is then what the recovery found and
    ``status`` that of the failed attempt (None when no answer came); for a
    DELETE, the 404 of the attempt after."""

    __slots__ = ("status", "headers", "body", "text", "recovered")

    def __init__(self, status, headers, body, text, recovered=False):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = text
        self.recovered = recovered

    def __repr__(self):
        return "Response(status=%r)" % self.status


def parse_body(response):
    """Parsed JSON for a JSON answer, the text otherwise, None when empty."""
    text = response.text
    if not text:
        return None
    if "json" in response.headers.get("Content-Type", "").lower():
        return body_from_text(text)
    return text


def not_json(response):
    """What a non-empty answer is when it is not JSON ("an HTML page", ...), or
    None when it is JSON or empty (a 204, AWX's empty 200s and 202s)."""
    text = response.text
    if not text or not text.strip():
        return None
    content_type = response.headers.get("Content-Type", "").lower()
    if "json" in content_type:
        try:
            json.loads(text)
        except ValueError:
            return "a body that is not valid JSON (Content-Type %s)" % content_type.split(";")[0].strip()
        return None
    if "html" in content_type or text.lstrip().startswith("<"):
        return "an HTML page"
    return "a %s page" % (content_type.split(";")[0].strip() or "text")


def new_session():
    return requests.Session()


def encode_params(params):
    """Query parameters as a list of ``(key, text)`` pairs, or None.

    Accepts a dict or a list of pairs; a list value repeats its key
    (``or__name=a&or__name=b``).  Booleans become ``true``/``false``, which is
    what AWX's filters expect, and None values are dropped.
    """
    if not params:
        return None
    items = params.items() if isinstance(params, dict) else params
    encoded = []
    for key, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool):
                item = "true" if item else "false"
            encoded.append((key, str(item)))
    return encoded


def display_path(url, query=None):
    """``/api/v2/hosts/?name=web1``: the path for messages, without host and
    with the value of any secret-looking query parameter masked."""
    parts = urlsplit(url)
    pairs = []
    if parts.query:
        for chunk in parts.query.split("&"):
            key, _sep, value = chunk.partition("=")
            pairs.append((key, value))
    pairs.extend(query or [])
    if not pairs:
        return parts.path
    shown = [(key, "********" if _SECRET_KEY.search(key) else value) for key, value in pairs]
    return "%s?%s" % (parts.path, urlencode(shown, safe="*,_"))


def display_url(url, query=None):
    """``https://awx.example.com/api/v2/hosts/?name=web1``: ``display_path``
    with the scheme and host, for messages that must say which server answered."""
    parts = urlsplit(url)
    return "%s://%s%s" % (parts.scheme, parts.netloc, display_path(url, query))


def _base(url):
    """The URL without its query string, for connection messages."""
    parts = urlsplit(url)
    return "%s://%s%s" % (parts.scheme, parts.netloc, parts.path)


def _short_reason(exc):
    """One readable line from the urllib3 exception buried inside a requests one."""
    reason = exc.args[0] if exc.args else exc
    # requests wraps urllib3's MaxRetryError, which wraps the real cause.
    reason = getattr(reason, "reason", None) or reason
    if _u3exc is not None and isinstance(reason, _u3exc.ProtocolError) and len(reason.args) > 1:
        reason = reason.args[1]
    text = _CONNECTION_REPR.sub("", str(reason))
    text = text.replace("Failed to establish a new connection: ", "")
    text = " ".join(text.split())
    return text or type(reason).__name__


def _not_sent(exc):
    """True when the connection was never established, so the server saw nothing."""
    if isinstance(exc, _rexc.ConnectTimeout):
        return True
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", None) or reason
    return _u3exc is not None and isinstance(reason, _u3exc.NewConnectionError)


def _name_resolution_failed(exc):
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", None) or reason
    resolution_error = getattr(_u3exc, "NameResolutionError", None)
    return resolution_error is not None and isinstance(reason, resolution_error)


def translate_exception(exc, method, url, timeout):
    """``(failure, error)`` for a requests exception: ``failure`` is NOT_SENT,
    MAYBE_SENT or None (do not retry); ``error`` the typed error to raise when
    no retry follows, or None if ``exc`` is not a requests exception."""
    if not HAS_REQUESTS or not isinstance(exc, RequestException):
        return None, None
    where = _base(url)
    if isinstance(exc, _rexc.SSLError):
        reason = _short_reason(exc)
        if "CERTIFICATE_VERIFY_FAILED" in reason or "certificate verify failed" in reason:
            return None, TLSError(
                "TLS verification failed for %s: %s; set validate_certs: false or ca_path" % (where, reason))
        # Not a certificate problem: often plain HTTP on the port, or an old protocol.
        return None, TLSError(
            "TLS handshake failed for %s: %s; check the scheme and port of controller_host" % (where, reason))
    if isinstance(exc, _rexc.ConnectTimeout):
        return NOT_SENT, AWXConnectionError(
            "cannot connect to %s: no connection within %s s (request_timeout)" % (where, timeout))
    if isinstance(exc, _rexc.Timeout):
        return MAYBE_SENT, RequestTimeout(
            "%s %s: no answer within %s s (request_timeout)" % (method, where, timeout))
    if isinstance(exc, _rexc.ConnectionError):
        error = AWXConnectionError("cannot connect to %s: %s" % (where, _short_reason(exc)))
        if _name_resolution_failed(exc):
            return None, error  # a misspelt host name will not heal in a few seconds
        return (NOT_SENT if _not_sent(exc) else MAYBE_SENT), error
    if isinstance(exc, _rexc.InvalidHeader):
        # Its text quotes the header value, which may be a credential.
        return None, AWXConnectionError(
            "%s %s: a request header could not be sent; check controller_oauthtoken" % (method, where))
    if isinstance(exc, (_rexc.ChunkedEncodingError, _rexc.ContentDecodingError)):
        return MAYBE_SENT, AWXConnectionError(
            "%s %s: the answer was cut off: %s" % (method, where, _short_reason(exc)))
    return None, AWXConnectionError("%s %s failed: %s" % (method, where, _short_reason(exc)))
