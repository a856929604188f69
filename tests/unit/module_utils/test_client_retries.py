"""Retries through the client, with a fake clock and recorded sleeps (no real sleeping)."""
import socket

import pytest
import requests
import responses
from urllib3.connection import HTTPConnection
from urllib3.exceptions import MaxRetryError, NewConnectionError, ProtocolError

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    AWXConnectionError,
    RateLimited,
    RequestTimeout,
    ServerError,
)

from test_client_support import API, FakeClock, make_client


def refused():
    """What requests raises when nothing listens: the request never left."""
    conn = HTTPConnection("awx.example.com", 443)
    reason = NewConnectionError(conn, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/api/v2/hosts/", reason))


def reset():
    """The connection dropped after the request was written: it may have been processed."""
    reason = ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))
    return requests.exceptions.ConnectionError(reason)


@responses.activate
def test_429_honours_retry_after():
    responses.get(API + "hosts/", status=429, headers={"Retry-After": "3"}, json={"detail": "slow down"})
    responses.get(API + "hosts/", json={"results": []})
    clock = FakeClock()
    client = make_client(clock)
    assert client.get("hosts/") == {"results": []}
    assert clock.sleeps == [3.0]
    assert client.request_count == 2


@responses.activate
def test_503_retry_after_then_backoff():
    responses.get(API + "hosts/", status=503, headers={"Retry-After": "1.5"})
    responses.get(API + "hosts/", status=503)
    responses.get(API + "hosts/", json={"results": []})
    clock = FakeClock()
    make_client(clock).get("hosts/")
    assert clock.sleeps == [1.5, 1.0]  # header honoured; then backoff 0.5 * 2**1 (random() == 1)


@responses.activate
def test_get_502_then_200():
    responses.get(API + "hosts/1/", status=502, body="<html>Bad Gateway</html>", content_type="text/html")
    responses.get(API + "hosts/1/", json={"id": 1})
    clock = FakeClock()
    client = make_client(clock)
    assert client.get("hosts/1/") == {"id": 1}
    assert clock.sleeps == [0.5]
    assert client.request_count == 2


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
@responses.activate
def test_idempotent_writes_are_retried(method):
    responses.add(method, API + "hosts/1/", status=504)
    responses.add(method, API + "hosts/1/", status=200, json={"id": 1})
    client = make_client()
    client.request(method, "hosts/1/", data={"enabled": True} if method != "DELETE" else None)
    assert client.request_count == 2


@pytest.mark.parametrize("status", [502, 503, 504])
@responses.activate
def test_post_not_retried_on_gateway_errors(status):
    responses.post(API + "hosts/", status=status, json={"detail": "upstream"})
    responses.post(API + "hosts/", status=201, json={"id": 1})
    clock = FakeClock()
    client = make_client(clock)
    with pytest.raises(ServerError) as info:
        client.post("hosts/", {"name": "x"})
    assert info.value.status == status
    assert client.request_count == 1
    assert clock.sleeps == []


@responses.activate
def test_post_retried_on_429():
    responses.post(API + "hosts/", status=429, headers={"Retry-After": "2"})
    responses.post(API + "hosts/", status=201, json={"id": 1})
    clock = FakeClock()
    client = make_client(clock)
    assert client.post("hosts/", {"name": "x"}) == {"id": 1}
    assert clock.sleeps == [2.0]


@responses.activate
def test_post_retried_on_connection_refused():
    responses.post(API + "hosts/", body=refused())
    responses.post(API + "hosts/", status=201, json={"id": 1})
    clock = FakeClock()
    client = make_client(clock)
    assert client.post("hosts/", {"name": "x"}) == {"id": 1}
    assert client.request_count == 2
    assert clock.sleeps == [0.5]


@responses.activate
def test_post_not_retried_when_the_connection_dropped_after_sending():
    responses.post(API + "hosts/", body=reset())
    responses.post(API + "hosts/", status=201, json={"id": 1})
    client = make_client()
    with pytest.raises(AWXConnectionError) as info:
        client.post("hosts/", {"name": "x"})
    assert client.request_count == 1
    assert "Connection reset by peer" in str(info.value)


@responses.activate
def test_get_retried_when_the_connection_dropped():
    responses.get(API + "hosts/", body=reset())
    responses.get(API + "hosts/", json={"results": []})
    client = make_client()
    client.get("hosts/")
    assert client.request_count == 2


@responses.activate
def test_read_timeout_retried_for_get_not_for_post():
    responses.get(API + "hosts/", body=requests.exceptions.ReadTimeout("read timed out"))
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "hosts/", body=requests.exceptions.ReadTimeout("read timed out"))
    client = make_client()
    client.get("hosts/")
    with pytest.raises(RequestTimeout) as info:
        client.post("hosts/", {"name": "x"})
    assert str(info.value) == "POST https://awx.example.com/api/v2/hosts/: no answer within 10.0 s (request_timeout)"
    assert client.request_count == 3


@responses.activate
def test_bounded_by_attempts():
    responses.get(API + "hosts/", status=502)
    clock = FakeClock()
    client = make_client(clock, max_retries=3)
    with pytest.raises(ServerError):
        client.get("hosts/")
    assert client.request_count == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]


@responses.activate
def test_bounded_by_time():
    responses.get(API + "hosts/", status=503)
    clock = FakeClock()
    client = make_client(clock, max_retries=50, retry_max_time=20)
    with pytest.raises(ServerError):
        client.get("hosts/")
    # 0.5 + 1 + 2 + 4 + 8 = 15.5 s; another 8 s wait would pass 20 s
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert sum(clock.sleeps) <= 20


@responses.activate
def test_retry_after_longer_than_the_budget_fails_at_once():
    responses.get(API + "hosts/", status=429, headers={"Retry-After": "3600"}, json={"detail": "throttled"})
    clock = FakeClock()
    client = make_client(clock)
    with pytest.raises(RateLimited) as info:
        client.get("hosts/")
    assert clock.sleeps == []
    assert "429" in str(info.value)


@responses.activate
def test_retries_off():
    responses.get(API + "hosts/", status=502)
    client = make_client(max_retries=0)
    with pytest.raises(ServerError):
        client.get("hosts/")
    assert client.request_count == 1


@responses.activate
def test_refused_get_gives_up_with_a_connection_error():
    responses.get(API + "hosts/", body=refused())
    clock = FakeClock()
    client = make_client(clock, max_retries=2)
    with pytest.raises(AWXConnectionError) as info:
        client.get("hosts/")
    assert str(info.value) == ("cannot connect to https://awx.example.com/api/v2/hosts/: "
                               "[Errno 111] Connection refused")
    assert client.request_count == 3


def test_real_refused_connection_is_classified_as_not_sent():
    # A real socket on 127.0.0.1: bind, learn the port, close -> nothing listens there.
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    clock = FakeClock()
    client = make_client(clock, controller_host="http://127.0.0.1:%d" % port, max_retries=2)
    with pytest.raises(AWXConnectionError) as info:
        client.post("hosts/", {"name": "x"})
    assert client.request_count == 3  # a POST was retried: the server certainly saw nothing
    assert "cannot connect to http://127.0.0.1:%d/api/v2/hosts/" % port in str(info.value)
    assert "refused" in str(info.value).lower()
    assert "object at 0x" not in str(info.value)
