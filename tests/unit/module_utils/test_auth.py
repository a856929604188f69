"""Auth strategies through the client: Bearer, Basic then a session token, close."""
import base64
import json
import re

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from ansible_collections.gitops.awx.plugins.module_utils._auth import (
    DEFAULT_SWITCH_AFTER,
    SESSION_TOKEN_DESCRIPTION,
    NoAuth,
    PasswordAuth,
    TokenAuth,
    auth_from_settings,
)
from ansible_collections.gitops.awx.plugins.module_utils._errors import AuthenticationError, NotFound, ValidationError
from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options

from test_client_support import API, HOST, PASSWORD, TOKEN, FakeClock, make_client, page

BASIC = "Basic " + base64.b64encode(("admin:" + PASSWORD).encode()).decode()
SESSION = "sess-0123456789abcdef"


def basic_client(**kwargs):
    # The switching mechanics are tested with a switch after 2 Basic requests (short
    # sequences); test_default_switch_keeps_three_request_tasks_on_basic pins the default.
    kwargs.setdefault("switch_after", 2)
    return make_client(controller_username="admin", controller_password=PASSWORD, **kwargs)


def auth_headers():
    return [(c.request.method, c.request.url.replace(HOST, ""), c.request.headers.get("Authorization"))
            for c in responses.calls]


def test_strategy_from_settings():
    token = settings_from_options({"controller_host": "h", "controller_oauthtoken": {"token": TOKEN}})
    password = settings_from_options({"controller_host": "h", "controller_username": "u",
                                      "controller_password": "p"})
    both = settings_from_options({"controller_host": "h", "controller_oauthtoken": TOKEN,
                                  "controller_username": "u", "controller_password": "p"})
    assert isinstance(auth_from_settings(token), TokenAuth)
    assert isinstance(auth_from_settings(password), PasswordAuth)
    assert isinstance(auth_from_settings(both), TokenAuth)
    assert isinstance(auth_from_settings(settings_from_options({"controller_host": "h"})), NoAuth)
    assert TOKEN not in repr(auth_from_settings(token))
    assert "p" not in repr(auth_from_settings(password)).replace("PasswordAuth", "")


@responses.activate
def test_token_is_sent_as_bearer_on_every_request():
    responses.get(API + "hosts/", json={"count": 0, "next": None, "results": []})
    client = make_client(controller_oauthtoken={"token": TOKEN, "id": 4})
    for _round in range(5):
        client.get("hosts/")
    client.close()
    assert set(h for _m, _u, h in auth_headers()) == {"Bearer " + TOKEN}
    assert client.request_count == 5  # a user's token is never created or deleted


@responses.activate
def test_token_wins_and_password_is_never_sent():
    responses.get(API + "hosts/", json={"results": []})
    client = make_client(controller_oauthtoken=TOKEN, controller_username="admin", controller_password=PASSWORD)
    for _round in range(4):
        client.get("hosts/")
    assert all(h == "Bearer " + TOKEN for _m, _u, h in auth_headers())


@responses.activate
def test_basic_then_session_token_then_deleted_on_close():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 77, "token": SESSION, "scope": "write"})
    responses.delete(API + "tokens/77/", status=204)
    with basic_client() as client:
        for _round in range(4):
            client.get("hosts/")
    assert auth_headers() == [
        ("GET", "/api/v2/hosts/", BASIC),
        ("GET", "/api/v2/hosts/", BASIC),
        ("POST", "/api/v2/tokens/", BASIC),
        ("GET", "/api/v2/hosts/", "Bearer " + SESSION),
        ("GET", "/api/v2/hosts/", "Bearer " + SESSION),
        ("DELETE", "/api/v2/tokens/77/", "Bearer " + SESSION),
    ]
    posted = json.loads(responses.calls[2].request.body)
    assert posted["scope"] == "write"
    # Ours alone: a nonce after the common prefix, so a lost answer's token can be found.
    assert re.match(r"^%s [0-9a-f]{16}$" % SESSION_TOKEN_DESCRIPTION, posted["description"])
    assert client.request_count == 6
    assert client.warnings == []


@responses.activate
def test_short_runs_never_create_a_token():
    responses.get(API + "hosts/", json={"results": []})
    with basic_client() as client:
        client.get("hosts/")
        client.get("hosts/")
    assert [m for m, _u, _h in auth_headers()] == ["GET", "GET"]


@responses.activate
def test_default_switch_keeps_three_request_tasks_on_basic():
    # find + resolve a scope + create: the common write of a converge stays on Basic;
    # a fourth request is the first to go through a session token.
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 78, "token": SESSION, "scope": "write"})
    responses.delete(API + "tokens/78/", status=204)
    assert DEFAULT_SWITCH_AFTER == 3
    with make_client(controller_username="admin", controller_password=PASSWORD) as client:
        for _round in range(3):
            client.get("hosts/")
        assert [h for _m, _u, h in auth_headers()] == [BASIC] * 3
        client.get("hosts/")
    assert auth_headers()[3:] == [
        ("POST", "/api/v2/tokens/", BASIC),
        ("GET", "/api/v2/hosts/", "Bearer " + SESSION),
        ("DELETE", "/api/v2/tokens/78/", "Bearer " + SESSION),
    ]


@responses.activate
def test_token_deleted_on_close_after_a_failure():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 78, "token": SESSION})
    responses.patch(API + "hosts/1/", status=400, json={"variables": ["Not a valid string."]})
    responses.delete(API + "tokens/78/", status=204)
    with pytest.raises(ValidationError) as info:
        with basic_client() as client:
            client.get("hosts/")
            client.get("hosts/")
            client.patch("hosts/1/", {"variables": {}})
    assert "Not a valid string" in str(info.value)
    assert auth_headers()[-1] == ("DELETE", "/api/v2/tokens/78/", "Bearer " + SESSION)


@pytest.mark.parametrize("status", [400, 403, 404, 405, 500])
@responses.activate
def test_token_refused_stays_basic_silently(status):
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=status, json={"detail": "Personal access tokens are disabled."})
    with basic_client(max_retries=0) as client:
        for _round in range(5):
            client.get("hosts/")
    methods = [(m, h) for m, _u, h in auth_headers()]
    assert methods == [("GET", BASIC)] * 2 + [("POST", BASIC)] + [("GET", BASIC)] * 3
    assert client.warnings == []


@responses.activate
def test_token_post_with_bad_password_is_the_users_error():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=401, json={"detail": "Authentication credentials were not provided."})
    client = basic_client()
    client.get("hosts/")
    client.get("hosts/")
    with pytest.raises(AuthenticationError) as info:
        client.get("hosts/")
    assert "controller_username/controller_password" in str(info.value)
    assert PASSWORD not in str(info.value)


@responses.activate
def test_rejected_session_token_falls_back_to_basic_once():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 79, "token": SESSION})
    responses.get(API + "hosts/1/", status=401, json={"detail": "Authentication credentials were not provided."})
    responses.get(API + "hosts/1/", json={"id": 1})
    client = basic_client()
    client.get("hosts/")
    client.get("hosts/")
    assert client.get("hosts/1/") == {"id": 1}
    assert auth_headers()[-2:] == [("GET", "/api/v2/hosts/1/", "Bearer " + SESSION),
                                   ("GET", "/api/v2/hosts/1/", BASIC)]
    client.close()
    assert client.request_count == 5  # no DELETE: the token is already gone


@responses.activate
def test_failed_token_delete_becomes_a_warning_not_an_error():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 80, "token": SESSION})
    responses.delete(API + "tokens/80/", status=500, json={"detail": "boom"})
    client = basic_client(max_retries=0)
    for _round in range(3):
        client.get("hosts/")
    client.close()
    assert len(client.warnings) == 1
    assert "could not delete the session token 80" in client.warnings[0]
    assert SESSION not in client.warnings[0]


@pytest.mark.parametrize("status", [401, 404])
@responses.activate
def test_already_deleted_token_on_close_is_fine(status):
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 81, "token": SESSION})
    responses.delete(API + "tokens/81/", status=status, json={"detail": "Not found."})
    client = basic_client()
    for _round in range(3):
        client.get("hosts/")
    client.close()
    assert client.warnings == []


@responses.activate
def test_token_post_server_error_stays_basic():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=502, json={"detail": "bad gateway"})
    responses.get(API + "tokens/", json=page([]))
    client = basic_client(max_retries=0)
    client.get("hosts/")
    client.get("hosts/")
    client.get("hosts/")  # a 5xx on the token POST: stays on Basic, request still answered
    # A 502 may hide a token made behind it: one look for it (none), then Basic.
    assert [(m, u.split("?")[0]) for m, u, _h in auth_headers()] == [
        ("GET", "/api/v2/hosts/"), ("GET", "/api/v2/hosts/"), ("POST", "/api/v2/tokens/"),
        ("GET", "/api/v2/tokens/"), ("GET", "/api/v2/hosts/")]
    client.close()
    assert client.warnings == []


@responses.activate
def test_anonymous_client_sends_no_authorization():
    responses.get(API + "ping/", json={"version": "x"})
    client = make_client()
    client.get("ping/")
    client.get("ping/")
    client.get("ping/")
    assert [h for _m, _u, h in auth_headers()] == [None, None, None]


@responses.activate
def test_switch_after_is_configurable():
    from ansible_collections.gitops.awx.plugins.module_utils._client import Client
    responses.get(API + "hosts/", json={"results": []})
    settings = settings_from_options({"controller_host": HOST, "controller_username": "admin",
                                      "controller_password": PASSWORD, "api_prefix": "/api/v2/"})
    client = Client(settings, switch_after=None)  # None: never create a token
    for _round in range(5):
        client.get("hosts/")
    assert [m for m, _u, _h in auth_headers()] == ["GET"] * 5


@responses.activate
def test_token_cleanup_has_a_short_retry_budget():
    from test_client_support import FakeClock
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", status=201, json={"id": 82, "token": SESSION})
    responses.delete(API + "tokens/82/", status=503)
    clock = FakeClock()
    client = basic_client(clock=clock, max_retries=10, retry_max_time=600)
    for _round in range(3):
        client.get("hosts/")
    client.close()
    deletes = [c for c in responses.calls if c.request.method == "DELETE"]
    assert len(deletes) == 3  # one attempt and at most two retries
    assert sum(clock.sleeps) <= 10
    assert "could not delete the session token 82" in client.warnings[0]


@responses.activate
def test_token_post_dropped_connection_stays_basic_and_the_request_goes_on():
    responses.get(API + "hosts/", json={"results": []})
    responses.post(API + "tokens/", body=requests.exceptions.ReadTimeout("read timed out"))
    responses.get(API + "tokens/", json=page([]))
    client = basic_client(max_retries=0)
    for _round in range(3):
        client.get("hosts/")
    assert [(m, h) for m, _u, h in auth_headers()] == [("GET", BASIC)] * 2 + [
        ("POST", BASIC), ("GET", BASIC), ("GET", BASIC)]


# -- session tokens and an API root not confirmed yet ---------------------------

GATEWAY = {"apis": {"gateway": "/api/gateway/", "controller": "/api/controller/"}}
CONTROLLER = HOST + "/api/controller/v2/"


@responses.activate
def test_session_token_lives_under_the_discovered_root():
    responses.get(API + "hosts/", status=404, json={"detail": "Not found."})
    responses.get(HOST + "/api/", json=GATEWAY)
    responses.get(CONTROLLER + "hosts/", json={"results": []})
    responses.post(CONTROLLER + "tokens/", status=201, json={"id": 90, "token": SESSION})
    responses.delete(CONTROLLER + "tokens/90/", status=204)
    with basic_client(api_prefix=None) as client:
        for _round in range(3):
            client.get("hosts/")
    assert auth_headers() == [
        ("GET", "/api/v2/hosts/", BASIC),
        ("GET", "/api/", None),
        ("GET", "/api/controller/v2/hosts/", BASIC),
        ("POST", "/api/controller/v2/tokens/", BASIC),
        ("GET", "/api/controller/v2/hosts/", "Bearer " + SESSION),
        ("GET", "/api/controller/v2/hosts/", "Bearer " + SESSION),
        ("DELETE", "/api/controller/v2/tokens/90/", "Bearer " + SESSION),
    ]


@responses.activate
def test_token_post_as_the_first_request_confirms_the_awx_root():
    responses.post(API + "tokens/", status=201, json={"id": 91, "token": SESSION})
    responses.get(API + "hosts/", json={"results": []})
    responses.get(API + "hosts/5/", status=404, json={"detail": "Not found."})
    responses.delete(API + "tokens/91/", status=204)
    with basic_client(api_prefix=None, switch_after=0) as client:
        client.get("hosts/")
        with pytest.raises(NotFound):
            client.get("hosts/5/")  # the root is confirmed: this 404 is a missing host
    assert [(m, u) for m, u, _h in auth_headers()] == [
        ("POST", "/api/v2/tokens/"), ("GET", "/api/v2/hosts/"), ("GET", "/api/v2/hosts/5/"),
        ("DELETE", "/api/v2/tokens/91/")]


@responses.activate
def test_token_post_under_a_wrong_root_is_sent_again_under_the_right_one():
    responses.post(API + "tokens/", status=404, json={"detail": "Not found."})
    responses.get(HOST + "/api/", json=GATEWAY)
    responses.post(CONTROLLER + "tokens/", status=201, json={"id": 92, "token": SESSION})
    responses.get(CONTROLLER + "hosts/", json={"results": []})
    responses.delete(CONTROLLER + "tokens/92/", status=204)
    with basic_client(api_prefix=None, switch_after=0) as client:
        client.get("hosts/")
    assert auth_headers() == [
        ("POST", "/api/v2/tokens/", BASIC),
        ("GET", "/api/", None),
        ("POST", "/api/controller/v2/tokens/", BASIC),
        ("GET", "/api/controller/v2/hosts/", "Bearer " + SESSION),
        ("DELETE", "/api/controller/v2/tokens/92/", "Bearer " + SESSION),
    ]


@responses.activate
def test_token_post_during_discovery_never_recurses_and_keeps_basic():
    # /api/ wants credentials, and the switch falls due on that very request: the token
    # POST goes under the guessed root, gets 404, and Basic carries on.
    responses.get(API + "hosts/", status=404, json={"detail": "Not found."})
    responses.get(HOST + "/api/", status=401, json={"detail": "Authentication credentials were not provided."})
    responses.post(API + "tokens/", status=404, json={"detail": "Not found."})
    responses.get(HOST + "/api/", json=GATEWAY)
    responses.get(CONTROLLER + "hosts/", json={"results": []})
    with basic_client(api_prefix=None, switch_after=1) as client:
        client.get("hosts/")
        client.get("hosts/")
    assert auth_headers() == [
        ("GET", "/api/v2/hosts/", BASIC),
        ("GET", "/api/", None),
        ("POST", "/api/v2/tokens/", BASIC),
        ("GET", "/api/", BASIC),
        ("GET", "/api/controller/v2/hosts/", BASIC),
        ("GET", "/api/controller/v2/hosts/", BASIC),
    ]
    assert client.warnings == []


# -- a session token POST whose answer was lost ---------------------------------

def _posted_description():
    posts = [c for c in responses.calls if c.request.method == "POST"]
    return json.loads(posts[0].request.body)["description"]


def _tokens_by_description(tokens):
    """GET tokens/?description=...: the tokens (value masked, as AWX lists them) with that description."""
    def answer(request):
        wanted = parse_qs(urlsplit(request.url).query)["description"][0]
        found = [t for t in tokens if t["description"] == wanted]
        return 200, {}, json.dumps(page(found))
    return answer


@responses.activate
def test_a_token_made_behind_a_lost_answer_is_found_deleted_and_made_again():
    made = []

    def create(request):
        body = json.loads(request.body)
        made.append({"id": 90 + len(made), "description": body["description"], "token": "************"})
        if len(made) == 1:
            return 504, {}, json.dumps({"detail": "upstream timed out"})  # made, answer lost
        return 201, {}, json.dumps({"id": made[-1]["id"], "token": SESSION, "description": body["description"]})

    responses.get(API + "hosts/", json=page([]))
    responses.add_callback(responses.POST, API + "tokens/", callback=create, content_type="application/json")
    responses.add_callback(responses.GET, API + "tokens/", callback=_tokens_by_description(made),
                           content_type="application/json")
    responses.delete(API + "tokens/90/", status=204)
    responses.delete(API + "tokens/91/", status=204)
    with basic_client() as client:
        for _round in range(3):
            client.get("hosts/")
    assert [(m, u.split("?")[0], h) for m, u, h in auth_headers()] == [
        ("GET", "/api/v2/hosts/", BASIC),
        ("GET", "/api/v2/hosts/", BASIC),
        ("POST", "/api/v2/tokens/", BASIC),      # token 90 made, its answer lost
        ("GET", "/api/v2/tokens/", BASIC),       # found by our description
        ("DELETE", "/api/v2/tokens/90/", BASIC),  # its value was never seen: deleted
        ("POST", "/api/v2/tokens/", BASIC),      # made again, answered
        ("GET", "/api/v2/hosts/", "Bearer " + SESSION),
        ("DELETE", "/api/v2/tokens/91/", "Bearer " + SESSION),
    ]
    description = _posted_description()
    assert parse_qs(urlsplit(responses.calls[3].request.url).query) == {"description": [description]}
    assert client.warnings == []


@responses.activate
def test_out_of_retries_the_lost_token_is_still_deleted_and_basic_stays():
    made = []

    def create(request):
        made.append({"id": 95, "description": json.loads(request.body)["description"]})
        raise requests.exceptions.ConnectionError("Connection reset by peer")

    responses.get(API + "hosts/", json=page([]))
    responses.add_callback(responses.POST, API + "tokens/", callback=create)
    responses.add_callback(responses.GET, API + "tokens/", callback=_tokens_by_description(made),
                           content_type="application/json")
    responses.delete(API + "tokens/95/", status=204)
    with basic_client(max_retries=0) as client:
        for _round in range(3):
            client.get("hosts/")
    assert [(m, u.split("?")[0]) for m, u, _h in auth_headers()] == [
        ("GET", "/api/v2/hosts/"), ("GET", "/api/v2/hosts/"), ("POST", "/api/v2/tokens/"),
        ("GET", "/api/v2/tokens/"), ("DELETE", "/api/v2/tokens/95/"), ("GET", "/api/v2/hosts/")]
    assert all(h == BASIC for _m, _u, h in auth_headers())
    assert client.warnings == []


@responses.activate
def test_the_token_posts_retries_have_the_short_budget():
    clock = FakeClock()
    responses.get(API + "hosts/", json=page([]))
    responses.post(API + "tokens/", status=503, json={"detail": "unavailable"})
    responses.get(API + "tokens/", json=page([]))
    client = basic_client(clock=clock, max_retries=10, retry_max_time=600)
    for _round in range(3):
        client.get("hosts/")
    posts = [c for c in responses.calls if c.request.method == "POST"]
    assert len(posts) == 3  # one attempt and at most two retries, not ten
    assert sum(clock.sleeps) <= 10
    assert responses.calls[-1].request.headers["Authorization"] == BASIC


@responses.activate
def test_a_failed_check_for_the_lost_token_warns_naming_its_description():
    responses.get(API + "hosts/", json=page([]))
    responses.post(API + "tokens/", body=requests.exceptions.ReadTimeout("read timed out"))
    responses.get(API + "tokens/", status=500, json={"detail": "boom"})
    with basic_client(max_retries=0) as client:
        for _round in range(3):
            client.get("hosts/")  # the user's request still goes on, on Basic
    assert auth_headers()[-1] == ("GET", "/api/v2/hosts/", BASIC)
    assert len(client.warnings) == 1
    assert "may be left in AWX" in client.warnings[0]
    assert repr(_posted_description()) in client.warnings[0]
    assert PASSWORD not in client.warnings[0]


@responses.activate
def test_a_failed_delete_of_the_lost_token_warns_naming_its_id_and_sends_no_more_posts():
    made = []

    def create(request):
        made.append({"id": 97, "description": json.loads(request.body)["description"]})
        return 502, {}, json.dumps({"detail": "bad gateway"})

    responses.get(API + "hosts/", json=page([]))
    responses.add_callback(responses.POST, API + "tokens/", callback=create, content_type="application/json")
    responses.add_callback(responses.GET, API + "tokens/", callback=_tokens_by_description(made),
                           content_type="application/json")
    responses.delete(API + "tokens/97/", status=403, json={"detail": "no"})
    with basic_client() as client:
        for _round in range(3):
            client.get("hosts/")
    assert [m for m, _u, _h in auth_headers()].count("POST") == 1
    assert client.warnings == [
        "the answer to creating a session token was lost, and deleting the token it made failed: "
        "delete token 97 (description %r) in AWX" % _posted_description()]


def test_each_client_has_its_own_description():
    first = PasswordAuth("admin", PASSWORD)
    second = PasswordAuth("admin", PASSWORD)
    descriptions = set()
    for auth in (first, second):
        auth.switch_after = 0
        auth.authorization(lambda method, endpoint, data, header, recover=None: {"id": 1, "token": "t"})
        descriptions.add(auth.token_description)
    assert len(descriptions) == 2
