"""Every non-2xx and every transport failure becomes one typed, safe error."""
import socket
import threading

import pytest
import requests
import responses

from ansible_collections.gitops.awx.plugins.module_utils import _errors
from ansible_collections.gitops.awx.plugins.module_utils._transport import display_path

from test_client_support import API, FakeClock, HOST, PASSWORD, TOKEN, make_client

DETAIL_401 = ("Authentication credentials were not provided. To establish a login session, "
              "visit /api/login/.")


@pytest.mark.parametrize("status,cls", [
    (400, _errors.ValidationError), (401, _errors.AuthenticationError), (403, _errors.PermissionDenied),
    (404, _errors.NotFound), (405, _errors.MethodNotAllowed), (409, _errors.Conflict),
    (429, _errors.RateLimited), (500, _errors.ServerError), (502, _errors.ServerError),
    (503, _errors.ServerError), (504, _errors.ServerError), (415, _errors.HTTPError),
])
@responses.activate
def test_status_to_type(status, cls):
    responses.get(API + "organizations/1/", status=status, json={"detail": "the reason"})
    client = make_client(max_retries=0)
    with pytest.raises(cls) as info:
        client.get("organizations/1/")
    error = info.value
    assert error.__class__ is cls  # exactly that class, not a subclass
    assert (error.method, error.path, error.status) == ("GET", "/api/v2/organizations/1/", status)
    assert str(error).startswith("GET /api/v2/organizations/1/ returned %d: the reason" % status)


@responses.activate
def test_field_errors_in_message_and_attribute():
    body = {"name": ["Organization with this Name already exists."], "max_hosts": ["Ensure this value is >= 0."]}
    responses.post(API + "organizations/", status=400, json=body)
    with pytest.raises(_errors.ValidationError) as info:
        make_client().post("organizations/", {"name": "x", "max_hosts": -1})
    assert str(info.value) == ("POST /api/v2/organizations/ returned 400: name: Organization with this Name "
                               "already exists.; max_hosts: Ensure this value is >= 0.")
    assert info.value.field_errors == body


@responses.activate
def test_html_body_is_summarised():
    page = "<!DOCTYPE html><html><body><h1>Server Error (500)</h1>" + "x" * 5000 + "</body></html>"
    responses.get(API + "hosts/", status=500, body=page, content_type="text/html")
    with pytest.raises(_errors.ServerError) as info:
        make_client().get("hosts/")
    assert str(info.value) == "GET /api/v2/hosts/ returned 500: the server answered with an HTML page"


@responses.activate
def test_401_adds_a_hint_and_never_the_password():
    responses.get(API + "me/", status=401, json={"detail": DETAIL_401},
                  headers={"WWW-Authenticate": "Bearer realm=api authorization_url=/api/o/authorize/"})
    client = make_client(controller_username="admin", controller_password=PASSWORD)
    with pytest.raises(_errors.AuthenticationError) as info:
        client.get("me/")
    text = str(info.value)
    assert text.endswith("(check controller_username/controller_password)")
    assert PASSWORD not in text and PASSWORD not in repr(info.value.args)
    assert client.request_count == 1


@responses.activate
def test_401_with_a_token_hints_at_the_token_and_hides_it():
    responses.get(API + "me/", status=401, json={"detail": DETAIL_401})
    with pytest.raises(_errors.AuthenticationError) as info:
        make_client(controller_oauthtoken=TOKEN).get("me/")
    assert "controller_oauthtoken" in str(info.value)
    assert TOKEN not in str(info.value)


@responses.activate
def test_401_without_credentials_says_so():
    responses.get(API + "me/", status=401, json={"detail": DETAIL_401})
    with pytest.raises(_errors.AuthenticationError) as info:
        make_client().get("me/")
    assert str(info.value).endswith("(set controller_username/controller_password or controller_oauthtoken)")


@responses.activate
def test_path_keeps_the_query_but_masks_secret_parameters():
    responses.get(API + "hosts/", status=400, json={"error": "Host has no field named 'nosuchfield'"})
    with pytest.raises(_errors.ValidationError) as info:
        make_client().get("hosts/", params={"nosuchfield": 1, "token": "abc-secret", "api_key": "k"})
    assert info.value.path == "/api/v2/hosts/?nosuchfield=1&token=********&api_key=********"
    assert "abc-secret" not in str(info.value)
    assert str(info.value).endswith("returned 400: Host has no field named 'nosuchfield'")


def test_display_path_merges_url_query_and_params():
    assert display_path(HOST + "/api/v2/jobs/1/stdout/?format=txt", [("x", "1")]) == \
        "/api/v2/jobs/1/stdout/?format=txt&x=1"
    assert display_path(HOST + "/api/v2/users/?password__startswith=abc") == \
        "/api/v2/users/?password__startswith=********"
    assert display_path(HOST + "/api/v2/hosts/") == "/api/v2/hosts/"


@responses.activate
def test_redirect_on_a_write_is_not_followed():
    responses.post(API + "hosts/", status=301, headers={"Location": "https://awx.example.org/api/v2/hosts/"})
    with pytest.raises(_errors.HTTPError) as info:
        make_client().post("hosts/", {"name": "x"})
    assert info.value.status == 301
    assert "redirected to https://awx.example.org/api/v2/hosts/; check controller_host" in str(info.value)


@responses.activate
def test_ssl_error_becomes_tls_error_without_retry():
    responses.get(API + "hosts/", body=requests.exceptions.SSLError(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"))
    clock = FakeClock()
    client = make_client(clock)
    with pytest.raises(_errors.TLSError) as info:
        client.get("hosts/")
    assert str(info.value) == (
        "TLS verification failed for https://awx.example.com/api/v2/hosts/: [SSL: CERTIFICATE_VERIFY_FAILED] "
        "certificate verify failed: self-signed certificate; set validate_certs: false or ca_path")
    assert isinstance(info.value, _errors.AWXConnectionError)
    assert client.request_count == 1 and clock.sleeps == []


@responses.activate
def test_connect_timeout_is_a_connection_error_and_retried():
    responses.get(API + "hosts/", body=requests.exceptions.ConnectTimeout("connect timed out"))
    client = make_client(max_retries=1, request_timeout=2)
    with pytest.raises(_errors.AWXConnectionError) as info:
        client.get("hosts/")
    assert str(info.value) == ("cannot connect to https://awx.example.com/api/v2/hosts/: "
                               "no connection within 2.0 s (request_timeout)")
    assert client.request_count == 2


@responses.activate
def test_connection_message_has_no_query_string():
    responses.get(API + "hosts/", body=requests.exceptions.ConnectionError("boom"))
    with pytest.raises(_errors.AWXConnectionError) as info:
        make_client(max_retries=0).get("hosts/", params={"token": "abc-secret"})
    assert "abc-secret" not in str(info.value)
    assert "?" not in str(info.value)


class _PlainServer:
    """A 127.0.0.1 listener that answers plain HTTP, so a TLS handshake fails for real."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                return
            try:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            finally:
                conn.close()

    def close(self):
        self.sock.close()


def test_real_tls_handshake_failure_is_a_tls_error():
    server = _PlainServer()
    try:
        client = make_client(controller_host="https://127.0.0.1:%d" % server.port,
                             controller_username="admin", controller_password=PASSWORD)
        with pytest.raises(_errors.TLSError) as info:
            client.get("ping/")
    finally:
        server.close()
    text = str(info.value)
    assert text.startswith("TLS handshake failed for https://127.0.0.1:%d/api/v2/ping/: " % server.port)
    assert text.endswith("; check the scheme and port of controller_host")
    assert PASSWORD not in text
    assert client.request_count == 1


@responses.activate
def test_credentials_echoed_by_a_server_are_masked():
    responses.get(API + "hosts/", status=400, json={"detail": "bad password %s for admin" % PASSWORD})
    with pytest.raises(_errors.ValidationError) as info:
        make_client(controller_username="admin", controller_password=PASSWORD).get("hosts/")
    assert PASSWORD not in str(info.value) and PASSWORD not in info.value.args[0]
    assert str(info.value).startswith("GET /api/v2/hosts/ returned 400: bad password ******** for admin")


@responses.activate
def test_session_token_echoed_by_a_server_is_masked():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 5, "token": "session-token-abcdef"})
    responses.get(API + "hosts/9/", status=500, json={"detail": "token session-token-abcdef broke"})
    client = make_client(controller_username="admin", controller_password=PASSWORD, max_retries=0, switch_after=2)
    client.get("hosts/")
    client.get("hosts/")
    with pytest.raises(_errors.ServerError) as info:
        client.get("hosts/9/")
    assert "session-token-abcdef" not in str(info.value)


@responses.activate
def test_invalid_header_error_does_not_quote_the_header():
    responses.get(API + "hosts/", body=requests.exceptions.InvalidHeader(
        "Invalid leading whitespace, reserved character(s), or return character(s) in header value: "
        "'Bearer %s'" % TOKEN))
    with pytest.raises(_errors.AWXConnectionError) as info:
        make_client(controller_oauthtoken=TOKEN).get("hosts/")
    assert TOKEN not in str(info.value)
    assert "check controller_oauthtoken" in str(info.value)
