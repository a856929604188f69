# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP client: the API root, auth, requests, pages, retries.

One ``requests.Session`` per client (keep-alive).  Every non-2xx answer and
every ``requests`` exception leaves this file as one of the typed errors of
``_errors.py``; nothing here knows about Ansible modules.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import time

from ansible.module_utils.six.moves.urllib.parse import urlsplit

from ansible_collections.gitops.awx.plugins.module_utils._api_root import (
    DEFAULT_API_ROOT,
    confirms_root,
    is_absolute,
    root_from_index,
)
from ansible_collections.gitops.awx.plugins.module_utils._auth import auth_from_settings, DEFAULT_SWITCH_AFTER
from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    AuthenticationError,
    AWXError,
    ConfigurationError,
    NotAWXAnswer,
    NotFound,
    ResourceError,
    error_from_response,
)
from ansible_collections.gitops.awx.plugins.module_utils._pages import PAGE_SIZE, iter_objects, iter_pages
from ansible_collections.gitops.awx.plugins.module_utils._retry import RetryPolicy, maybe_applied
from ansible_collections.gitops.awx.plugins.module_utils._transport import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    RequestException,
    Response,
    display_path,
    display_url,
    encode_params,
    new_session,
    not_json,
    parse_body,
    translate_exception,
)

__all__ = ["Client", "Response", "HAS_REQUESTS", "REQUESTS_IMPORT_ERROR", "COLLECTION_VERSION", "PAGE_SIZE"]

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "gitops.awx/%s" % COLLECTION_VERSION
CLEANUP_MAX_RETRIES = 2
CLEANUP_MAX_TIME = 10.0

_AUTO = object()  # "use the client's auth strategy" (as opposed to an explicit header or None)


class Client:
    """Talks to one AWX / automation controller.  Use as a context manager or
    call ``close()`` in ``finally``: a session token it created is deleted then."""

    def __init__(self, settings, session=None, sleep=time.sleep, clock=time.monotonic,
                 random=None, switch_after=DEFAULT_SWITCH_AFTER):
        if not HAS_REQUESTS:
            raise ConfigurationError("the Python library 'requests' is required to talk to AWX")
        self.settings = settings
        self._own_session = session is None
        self.session = session if session is not None else new_session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.session.headers["Accept"] = "application/json"
        retry_kwargs = {"sleep": sleep, "clock": clock}
        if random is not None:
            retry_kwargs["random"] = random
        self.retry_policy = RetryPolicy(max_retries=settings.max_retries,
                                        max_time=settings.retry_max_time, **retry_kwargs)
        # The session token is an optimisation: creating it (and finding one a lost
        # answer made) must not cost the user's task long waits, and cleaning up after
        # a failure must not double its wait.  The auth's own requests get a short
        # budget of their own.
        self._cleanup_policy = RetryPolicy(max_retries=min(settings.max_retries, CLEANUP_MAX_RETRIES),
                                           max_time=min(settings.retry_max_time, CLEANUP_MAX_TIME),
                                           **retry_kwargs)
        self._policy = self.retry_policy
        self.auth = auth_from_settings(settings, switch_after=switch_after)
        self.request_count = 0
        self.retry_count = 0       # attempts repeated after a failed one (waits taken)
        self.recovered_count = 0   # writes found applied after their answer was lost
        self.warnings = list(getattr(settings, "warnings", None) or [])
        # Without api_prefix the root is a guess (AWX's /api/v2/) until an answer
        # under it confirms it or discovery replaces it; see _exchange.
        self._api_root = settings.api_prefix or DEFAULT_API_ROOT
        self._root_known = settings.api_prefix is not None
        self._discovering = False
        self._closed = False
        # controller_host may carry a path prefix (AWX behind https://example.com/awx).
        host = urlsplit(settings.host)
        self._origin = "%s://%s" % (host.scheme, host.netloc)
        self._prefix = host.path.rstrip("/")

    # -- lifecycle ---------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
        return False

    def close(self):
        """Delete our session token (if any) and release the connection pool.
        Never raises: it runs in ``finally`` and must not hide the real error."""
        if self._closed:
            return
        self._closed = True
        self._policy = self._cleanup_policy
        try:
            warning = self.auth.close(self._transport)
        finally:
            self._policy = self.retry_policy
        self.warnings.extend(self.auth.warnings)
        if warning:
            self.warnings.append(warning)
        if self._own_session:
            self.session.close()

    # -- the API root --------------------------------------------------------

    @property
    def api_root(self):
        """``/api/v2/`` on AWX, ``/api/controller/v2/`` behind the AAP 2.5+ gateway,
        or ``api_prefix``.  Requests do not need it known: they start under
        ``/api/v2/`` and only a 404 there asks ``GET /api/``.  Asked while no
        answer has confirmed the root yet, this property runs that discovery
        request itself, so its value is never a guess."""
        if not self._root_known:
            self._fix_root(self._discover())
        return self._api_root

    def _fix_root(self, root):
        self._api_root = root
        self._root_known = True

    def _discover(self):
        self._discovering = True
        try:
            body = self._read_api_index()
        finally:
            self._discovering = False
        if body is None:
            return DEFAULT_API_ROOT
        root = root_from_index(body)
        if root is None:
            raise ConfigurationError(
                "%s does not look like an AWX or automation controller API; "
                "check controller_host, or set api_prefix if the API lives elsewhere"
                % self.url_for("/api/"))
        return root

    def _read_api_index(self):
        """The body of ``GET /api/``, or None when there is no such page."""
        # Anonymous on purpose: /api/ needs no credentials on AWX or the gateway,
        # and an anonymous request costs the server no password hash.
        try:
            return self._exchange("GET", "/api/", authorization=None).body
        except NotFound:
            return None
        except NotAWXAnswer:
            return {}  # a web page, not an API index: not AWX (see _discover)
        except AuthenticationError:
            return self._exchange("GET", "/api/").body

    def _guessed_root_for(self, endpoint):
        """The unconfirmed root this endpoint's URL relies on, or None: the root is
        known, or the endpoint is a path of its own outside it."""
        if self._root_known:
            return None
        if not is_absolute(endpoint):
            return self._api_root
        path = urlsplit(endpoint).path
        if self._prefix and path.startswith(self._prefix + "/"):
            path = path[len(self._prefix):]
        return self._api_root if path.startswith(self._api_root) else None

    def _root_was_wrong(self, guessed_root):
        """After a 404 under the unconfirmed ``guessed_root``: True when the API
        lives under another root (now fixed), False when the 404 stands."""
        if self._discovering:
            # A request made while reading /api/ (a session token POST): the
            # discovery under way decides the root, not a second one.
            return False
        if not self._root_known:
            self._fix_root(self._discover())
        return self._api_root != guessed_root

    # -- requests ----------------------------------------------------------

    def request(self, method, endpoint, params=None, data=None, accept=None, idempotent=None,
                recover=None):
        """Send one logical request (retries included); a non-2xx raises.

        ``idempotent=True`` vouches that sending a POST twice does what sending it
        once does (AWX's association POSTs), so it is retried like a PATCH.
        ``recover`` makes a write that is not idempotent retryable: after an
        attempt that may have been applied (see ``_retry.maybe_applied``) the
        client waits as for any retry, then calls ``recover()``; an object means
        the write was applied (it becomes the answer's body, ``recovered`` is
        True), None means it was not and the request is sent again.
        Without ``accept`` the request expects AWX's JSON: a 2xx answer that is
        not JSON raises ``NotAWXAnswer`` (an empty one is fine, body None); with
        it (``accept="*/*"`` for job stdout) the answer's text is the caller's.
        """
        return self._exchange(method.upper(), endpoint, params=params, data=data, accept=accept,
                              idempotent=idempotent, recover=recover)

    def get(self, endpoint, params=None):
        return self.request("GET", endpoint, params=params).body

    def options(self, endpoint, params=None):
        return self.request("OPTIONS", endpoint, params=params).body

    def post(self, endpoint, data=None, params=None, idempotent=None, recover=None):
        return self.request("POST", endpoint, params=params, data=data, idempotent=idempotent,
                            recover=recover).body

    def patch(self, endpoint, data, params=None):
        return self.request("PATCH", endpoint, params=params, data=data).body

    def put(self, endpoint, data, params=None):
        return self.request("PUT", endpoint, params=params, data=data).body

    def delete(self, endpoint, params=None):
        """The ``Response``; a 404 raises ``NotFound``, except after an attempt
        whose answer was lost: that 404 is our own delete (``recovered`` is True)."""
        return self.request("DELETE", endpoint, params=params)

    def _transport(self, method, endpoint, data, authorization, recover=None):
        """What auth strategies use for their own requests (explicit header, the
        short retry budget)."""
        policy, self._policy = self._policy, self._cleanup_policy
        try:
            return self._exchange(method, endpoint, data=data, authorization=authorization,
                                  recover=recover).body
        finally:
            self._policy = policy

    def url_for(self, endpoint):
        """The full URL of an endpoint: relative to the API root, or host-relative
        when it starts with '/'.  An absolute URL keeps only its path and query,
        so credentials only ever go to ``controller_host``."""
        if "://" in endpoint:  # see is_absolute
            parts = urlsplit(endpoint)
            endpoint = parts.path + ("?" + parts.query if parts.query else "")
        path, sep, query = endpoint.partition("?")
        if not path.startswith("/"):
            path = self._api_root + path
        if not path.endswith("/"):
            path += "/"
        if self._prefix and not path.startswith(self._prefix + "/"):
            # AWX behind a path prefix may or may not include it in its own links.
            path = self._prefix + path
        return self._origin + path + sep + query

    def _exchange(self, method, endpoint, params=None, data=None, accept=None, authorization=_AUTO,
                  idempotent=None, recover=None):
        sent = {}
        retry = (idempotent, recover)
        try:
            return self._send(method, endpoint, params, data, accept, authorization, sent, retry)
        except NotFound:
            guessed_root = sent.get("guessed_root")
            if is_absolute(endpoint) or guessed_root is None or not self._root_was_wrong(guessed_root):
                raise
        # The endpoint was relative to a root that turned out wrong: send it once
        # more under the discovered one (the root is known now, so no further 404
        # can lead here).  This holds for a POST too: a 404 means no view answered
        # that URL, so nothing was created and the second POST is the first one
        # the API sees.
        return self._send(method, endpoint, params, data, accept, authorization, {}, retry)

    def _send(self, method, endpoint, params, data, accept, authorization, sent, retry):
        """One logical request (retries and a refused session token included).
        Records in ``sent`` the unconfirmed root its last attempt went under.
        ``retry`` is ``(idempotent, recover)``, see ``request``."""
        idempotent, recover = retry
        query = encode_params(params)
        headers = {}
        if accept is not None:
            headers["Accept"] = accept
        payload = None
        if data is not None:
            payload = json.dumps(data)
            headers["Content-Type"] = "application/json"
        budget = self._policy.start()
        retried_unauthorized = False
        unknown = False  # an attempt so far may have been applied
        while True:
            header = self.auth.authorization(self._transport) if authorization is _AUTO else authorization
            if header is not None:
                headers["Authorization"] = header
            else:
                headers.pop("Authorization", None)
            # Built after the header: creating a session token may have discovered the root.
            url = self.url_for(endpoint)
            guessed_root = sent["guessed_root"] = self._guessed_root_for(endpoint)
            self.request_count += 1
            try:
                response = self.session.request(
                    method, url, params=query, data=payload, headers=headers,
                    timeout=self.settings.request_timeout, verify=self.settings.verify,
                    allow_redirects=method in ("GET", "HEAD", "OPTIONS"))
            except RequestException as exc:
                failure, error = translate_exception(exc, method, url, self.settings.request_timeout)
                delay = budget.next_delay(method, failure=failure, idempotent=idempotent,
                                          recoverable=recover is not None) if failure else None
                if delay is None:
                    return self._given_up(error, failure=failure, recover=recover)
                status = None
            else:
                status = response.status_code
                if guessed_root is not None and confirms_root(status):
                    self._root_known = True
                if 200 <= status < 300:
                    if accept is None:
                        self._check_json(method, url, query, status, response)
                    return Response(status, response.headers, parse_body(response), response.text)
                if status == 404 and method == "DELETE" and unknown and guessed_root is None:
                    # An earlier attempt's answer was lost: that attempt deleted it.  (Under
                    # an unconfirmed root a 404 may mean "no such API": _exchange decides.)
                    self.recovered_count += 1
                    return Response(status, response.headers, parse_body(response), response.text,
                                    recovered=True)
                if (status == 401 and authorization is _AUTO and not retried_unauthorized
                        and self.auth.rejected(header)):
                    retried_unauthorized = True
                    continue
                failure = None
                error = self._http_error(method, url, query, status, response)
                error.after_lost_answer = unknown
                delay = budget.next_delay(method, status=status,
                                          retry_after=response.headers.get("Retry-After"),
                                          idempotent=idempotent, recoverable=recover is not None)
                if delay is None:
                    return self._given_up(error, status=status, recover=recover)
            budget.wait(delay)
            self.retry_count += 1
            if not maybe_applied(status, failure):
                continue
            unknown = True
            if recover is not None:
                found = self._recover(recover, error)
                if found is not None:
                    self.recovered_count += 1
                    return Response(status, {}, found, None, recovered=True)

    def _given_up(self, error, status=None, failure=None, recover=None):
        """No retry left: the error to raise, unless the last attempt may have been
        applied and its recovery finds the write (then the recovered answer)."""
        if recover is not None and maybe_applied(status, failure):
            found = self._recover(recover, error)
            if found is not None:
                self.recovered_count += 1
                return Response(status, {}, found, None, recovered=True)
        raise self._redacted(error)

    def _recover(self, recover, error):
        """``recover()``.  Its verdict (a ``ResourceError``: several candidates)
        stands as is; a failure of its requests is reported with the write's."""
        try:
            return recover()
        except ResourceError:
            raise
        except AWXError as recovery_error:
            # Nothing more is sent: whether the write was applied is unknown, and
            # both facts are what the user needs to check.
            error.message = "%s; checking whether it was applied failed: %s" % (
                error.message, recovery_error.message)
            error.args = (error.message,)
            raise self._redacted(error)

    def _redacted(self, error):
        """Defence in depth: whatever a server or a library put into a message,
        our own credentials never leave in it."""
        text = error.message
        for secret in self.auth.secrets():
            if len(secret) >= 4:  # masking "a" would mangle every message
                text = text.replace(secret, "********")
        if text != error.message:
            error.message = text
            error.args = (text,)
        return error

    def _check_json(self, method, url, query, status, response):
        """A request that did not ask for another type expects AWX's JSON: a 2xx
        page that is not JSON (a login page in front of AWX, a proxy, another web
        server at controller_host) raises here, instead of reaching callers that
        read a dict.  Not retried: the same URL will answer the same page."""
        what = not_json(response)
        if what is not None:
            if getattr(response, "history", None) and getattr(response, "url", None):
                # An SSO or proxy login page is usually reached through a redirect.
                what += " (redirected to %s)" % display_url(response.url)
            raise self._redacted(NotAWXAnswer(method, display_url(url, query), status, what))

    def _http_error(self, method, url, query, status, response):
        error = error_from_response(method, display_path(url, query), status,
                                    parse_body(response), response.headers)
        hint = None
        if status == 401:
            hint = self.auth.hint
        elif 300 <= status < 400:
            hint = "redirected to %s; check controller_host" % response.headers.get("Location", "?")
        if hint:
            error.message = "%s (%s)" % (error.message, hint)
            error.args = (error.message,)
        return error

    # -- lists (see _pages.py) --------------------------------------------

    def pages(self, endpoint, params=None):
        """Lazy iterator over the pages of a list endpoint (``page_size=200``
        unless given), following ``next``.  A bare JSON list is one page."""
        return iter_pages(self, endpoint, params)

    def iter_objects(self, endpoint, params=None, max_objects=None):
        """Lazy objects over all pages.  With ``max_objects``, more matches than
        that raise ``ResourceError`` instead of silently truncating."""
        return iter_objects(self, endpoint, params, max_objects)

    def list(self, endpoint, params=None, max_objects=None):
        return list(self.iter_objects(endpoint, params, max_objects=max_objects))
