"""Writes that are not idempotent, retried under the client's policy with a recovery.

Through the ``responses`` seam with a fake clock (no test sleeps): the client
re-sends a POST after an answer that may hide an applied write only after the
caller's recovery said it was not applied.
"""
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from urllib3.exceptions import ProtocolError

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    AWXConnectionError,
    NotFound,
    RequestTimeout,
    ResourceError,
    ServerError,
    ValidationError,
)
from ansible_collections.gitops.awx.plugins.module_utils._recovery import (
    already_exists,
    bulk_host_create_recovery,
)

from test_client_support import API, FakeClock, make_client


def reset():
    reason = ProtocolError("Connection aborted.", ConnectionResetError(104, "Connection reset by peer"))
    return requests.exceptions.ConnectionError(reason)


class Recovery:
    """A recovery that answers from a list, recording each call."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.answers.pop(0)


def post_calls():
    return [c for c in responses.calls if c.request.method == "POST"]


@responses.activate
def test_refused_503_then_created():
    responses.post(API + "hosts/", status=503, json={"detail": "unavailable"})
    responses.post(API + "hosts/", status=201, json={"id": 7})
    clock = FakeClock()
    client = make_client(clock)
    recover = Recovery(None)
    response = client.request("POST", "hosts/", data={"name": "x"}, recover=recover)
    assert response.body == {"id": 7} and response.recovered is False
    assert recover.calls == 1  # a 503 may hide an applied write: checked before re-sending
    assert len(post_calls()) == 2
    assert clock.sleeps == [0.5]
    assert client.retry_count == 1 and client.recovered_count == 0


@pytest.mark.parametrize("lost", [
    {"status": 504, "json": {"detail": "gateway timeout"}},
    {"status": 502, "body": "<html>Bad Gateway</html>", "content_type": "text/html"},
    {"body": reset()},
    {"body": requests.exceptions.ReadTimeout("read timed out")},
], ids=["504", "502", "reset", "read-timeout"])
@responses.activate
def test_lost_answer_found_by_the_recovery_sends_one_post(lost):
    responses.post(API + "hosts/", **lost)
    responses.post(API + "hosts/", status=201, json={"id": 8})
    clock = FakeClock()
    client = make_client(clock)
    recover = Recovery({"id": 7, "name": "x"})
    response = client.request("POST", "hosts/", data={"name": "x"}, recover=recover)
    assert response.body == {"id": 7, "name": "x"} and response.recovered is True
    assert len(post_calls()) == 1
    assert clock.sleeps == [0.5]  # the recovery runs after the backoff, like a retry would
    assert client.retry_count == 1 and client.recovered_count == 1


@responses.activate
def test_lost_answer_not_found_is_sent_again():
    responses.post(API + "hosts/", body=reset())
    responses.post(API + "hosts/", status=201, json={"id": 9})
    client = make_client()
    recover = Recovery(None)
    assert client.post("hosts/", {"name": "x"}, recover=recover) == {"id": 9}
    assert recover.calls == 1 and len(post_calls()) == 2


@responses.activate
def test_post_retry_honours_retry_after():
    responses.post(API + "hosts/", status=503, headers={"Retry-After": "4"})
    responses.post(API + "hosts/", status=201, json={"id": 1})
    clock = FakeClock()
    client = make_client(clock)
    client.post("hosts/", {"name": "x"}, recover=Recovery(None))
    assert clock.sleeps == [4.0]


@responses.activate
def test_429_needs_no_recovery():
    responses.post(API + "hosts/", status=429, headers={"Retry-After": "1"})
    responses.post(API + "hosts/", status=201, json={"id": 1})
    client = make_client()
    recover = Recovery()
    client.post("hosts/", {"name": "x"}, recover=recover)
    assert recover.calls == 0  # refused before processing: nothing to look for


@responses.activate
def test_bounded_by_max_retries_with_a_last_recovery():
    responses.post(API + "hosts/", status=504)
    clock = FakeClock()
    client = make_client(clock, max_retries=3)
    recover = Recovery(None, None, None, None)
    with pytest.raises(ServerError) as info:
        client.post("hosts/", {"name": "x"}, recover=recover)
    assert "POST /api/v2/hosts/ returned 504" in str(info.value)
    assert len(post_calls()) == 4
    assert clock.sleeps == [0.5, 1.0, 2.0]
    # After each of the four attempts: the last one too, in case it was applied.
    assert recover.calls == 4


@responses.activate
def test_applied_on_the_last_attempt_is_found_before_failing():
    responses.post(API + "hosts/", status=504)
    client = make_client(max_retries=1)
    recover = Recovery(None, {"id": 3})
    assert client.post("hosts/", {"name": "x"}, recover=recover) == {"id": 3}
    assert len(post_calls()) == 2 and client.recovered_count == 1


@responses.activate
def test_bounded_by_retry_max_time():
    responses.post(API + "hosts/", status=503)
    clock = FakeClock()
    client = make_client(clock, max_retries=50, retry_max_time=10)
    recover = Recovery(*([None] * 10))
    with pytest.raises(ServerError):
        client.post("hosts/", {"name": "x"}, recover=recover)
    # 0.5 + 1 + 2 + 4 = 7.5 s; the next 8 s wait would pass 10 s
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert len(post_calls()) == 5


@responses.activate
def test_without_a_recovery_a_lost_post_is_not_repeated():
    responses.post(API + "hosts/", body=requests.exceptions.ReadTimeout("read timed out"))
    client = make_client()
    with pytest.raises(RequestTimeout):
        client.post("hosts/", {"name": "x"})
    assert len(post_calls()) == 1 and client.retry_count == 0


@responses.activate
def test_recovery_failure_is_reported_with_the_write():
    responses.post(API + "hosts/", body=reset())

    def recover():
        raise ServerError("GET", "/api/v2/hosts/?name=x", 502)

    client = make_client()
    with pytest.raises(AWXConnectionError) as info:
        client.post("hosts/", {"name": "x"}, recover=recover)
    assert str(info.value) == ("cannot connect to https://awx.example.com/api/v2/hosts/: "
                               "[Errno 104] Connection reset by peer; "
                               "checking whether it was applied failed: GET /api/v2/hosts/?name=x returned 502")
    assert len(post_calls()) == 1


@responses.activate
def test_recovery_verdict_stands_as_is():
    responses.post(API + "jobs/", status=504)

    def recover():
        raise ResourceError("two candidates: 4, 5")

    client = make_client()
    with pytest.raises(ResourceError) as info:
        client.post("jobs/", {}, recover=recover)
    assert str(info.value) == "two candidates: 4, 5"
    assert len(post_calls()) == 1


@responses.activate
def test_idempotent_post_is_retried_without_recovery():
    path = API + "organizations/1/instance_groups/"
    responses.post(path, status=502)
    responses.post(path, body=reset())
    responses.post(path, status=204)
    clock = FakeClock()
    client = make_client(clock)
    client.post("organizations/1/instance_groups/", {"id": 5}, idempotent=True)
    assert len(post_calls()) == 3 and clock.sleeps == [0.5, 1.0]


@responses.activate
def test_delete_lost_then_404_is_our_delete():
    responses.delete(API + "hosts/4/", status=504)
    responses.delete(API + "hosts/4/", status=404, json={"detail": "Not found."})
    client = make_client()
    response = client.delete("hosts/4/")
    assert response.recovered is True and response.status == 404
    assert client.recovered_count == 1


@responses.activate
def test_delete_404_at_once_is_not_found():
    responses.delete(API + "hosts/4/", status=404, json={"detail": "Not found."})
    client = make_client()
    with pytest.raises(NotFound):
        client.delete("hosts/4/")
    assert client.recovered_count == 0


@responses.activate
def test_delete_refused_429_then_404_is_not_ours():
    """A 429 means the first DELETE was not processed: a 404 after it is someone else's."""
    responses.delete(API + "hosts/4/", status=429)
    responses.delete(API + "hosts/4/", status=404, json={"detail": "Not found."})
    client = make_client()
    with pytest.raises(NotFound):
        client.delete("hosts/4/")


def test_already_exists_recognises_awx_answers():
    def error(body):
        return ValidationError("POST", "/api/v2/x/", 400, body)

    assert already_exists(error({"name": ["Organization with this Name already exists."]}), ["name"])
    assert already_exists(error({"__all__": ["Host with this Name and Inventory already exists."]}),
                          ["name", "inventory"])
    assert not already_exists(error({"variables": ["already exists"]}), ["name"])
    assert not already_exists(error({"name": ["This field may not be blank."]}), ["name"])
    assert not already_exists(ServerError("POST", "/api/v2/x/", 500, {"name": ["already exists"]}), ["name"])


# -- bulk host create: the hook a bulk apply will use -----------------------------------


def _bulk_server(created):
    """A fake AWX answering hosts/?inventory=&name__in= from ``created`` (names)."""
    def hosts(request):
        query = parse_qs(urlsplit(request.url).query)
        names = query["name__in"][0].split(",")
        found = [{"id": 100 + i, "name": n, "inventory": 3} for i, n in enumerate(names) if n in created]
        return 200, {"Content-Type": "application/json"}, json.dumps(
            {"count": len(found), "next": None, "previous": None, "results": found})
    responses.add_callback(responses.GET, API + "hosts/", callback=hosts)


@responses.activate
def test_bulk_create_lost_and_applied_is_not_sent_again():
    names = ["h%02d" % i for i in range(60)]
    responses.post(API + "bulk/host_create/", status=504)
    _bulk_server(set(names))
    client = make_client()
    answer = client.post("bulk/host_create/", {"inventory": 3, "hosts": [{"name": n} for n in names]},
                         recover=bulk_host_create_recovery(client, 3, names))
    assert [h["name"] for h in answer["hosts"]] == names
    assert len(post_calls()) == 1
    assert len([c for c in responses.calls if c.request.method == "GET"]) == 2  # 50 names a request


@responses.activate
def test_bulk_create_lost_and_not_applied_is_sent_again():
    names = ["a", "b"]
    responses.post(API + "bulk/host_create/", body=reset())
    responses.post(API + "bulk/host_create/", status=201, json={"hosts": [{"name": "a"}, {"name": "b"}]})
    _bulk_server({"a"})  # another run made one of them: not our bulk request
    client = make_client()
    answer = client.post("bulk/host_create/", {"inventory": 3, "hosts": [{"name": n} for n in names]},
                         recover=bulk_host_create_recovery(client, 3, names))
    assert answer == {"hosts": [{"name": "a"}, {"name": "b"}]}
    assert len(post_calls()) == 2
