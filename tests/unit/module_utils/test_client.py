"""Client: the API root, headers, request shapes, request_count, close."""
import json
import os

import pytest
import responses
import yaml

from ansible_collections.gitops.awx.plugins.module_utils import _client
from ansible_collections.gitops.awx.plugins.module_utils._errors import AWXError, ConfigurationError, NotFound

from test_client_support import API, AWX_ROOT, HOST, TOKEN, FakeClock, make_client

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


# -- the API root: assumed, confirmed, discovered on a 404 ------------------------

GATEWAY_ROOT = {"apis": {"gateway": "/api/gateway/", "controller": "/api/controller/",
                         "eda": "/api/eda/", "galaxy": "/api/galaxy/"}}
CONTROLLER = HOST + "/api/controller/v2/"
NOT_FOUND = {"detail": "Not found."}
EMPTY = {"count": 0, "next": None, "previous": None, "results": []}


def sent():
    return [(c.request.method, c.request.url.replace(HOST, "")) for c in responses.calls]


@responses.activate
def test_awx_noop_is_one_request_without_discovery():
    responses.get(API + "hosts/", json=EMPTY)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    assert client.get("hosts/", params={"name": "web1"}) == EMPTY
    client.close()
    assert sent() == [("GET", "/api/v2/hosts/?name=web1")]
    assert client.request_count == 1
    assert client.api_root == "/api/v2/"  # confirmed by that answer: no discovery when asked
    assert client.request_count == 1


@responses.activate
def test_gateway_404_discovers_and_resends_under_the_controller_root():
    responses.get(API + "hosts/", status=404, json=NOT_FOUND)
    responses.get(HOST + "/api/", json=GATEWAY_ROOT)
    responses.get(CONTROLLER + "hosts/", json=EMPTY)
    responses.get(CONTROLLER + "hosts/12/", json={"id": 12})
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    assert client.get("hosts/", params={"name": "web1"}) == EMPTY
    assert client.get("hosts/12/") == {"id": 12}
    assert client.api_root == "/api/controller/v2/"
    assert sent() == [
        ("GET", "/api/v2/hosts/?name=web1"),
        ("GET", "/api/"),
        ("GET", "/api/controller/v2/hosts/?name=web1"),
        ("GET", "/api/controller/v2/hosts/12/"),
    ]
    assert "Authorization" not in responses.calls[1].request.headers  # discovery is anonymous
    assert responses.calls[2].request.headers["Authorization"] == "Bearer " + TOKEN


@responses.activate
def test_named_url_404_on_awx_discovers_once_and_stands():
    responses.get(API + "hosts/web1++inv++org/", status=404, json={"detail": "No Host matches the given query."})
    responses.get(API + "hosts/web2++inv++org/", status=404, json={"detail": "No Host matches the given query."})
    responses.get(HOST + "/api/", json=AWX_ROOT)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    with pytest.raises(NotFound) as info:
        client.get("hosts/web1++inv++org/")
    assert "No Host matches" in str(info.value)
    with pytest.raises(NotFound):
        client.get("hosts/web2++inv++org/")
    assert sent() == [
        ("GET", "/api/v2/hosts/web1++inv++org/"),
        ("GET", "/api/"),
        ("GET", "/api/v2/hosts/web2++inv++org/"),
    ]


@responses.activate
def test_a_404_after_a_confirmed_root_never_discovers():
    responses.get(API + "hosts/", json=EMPTY)
    responses.get(API + "hosts/12/", status=404, json=NOT_FOUND)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    client.get("hosts/")
    with pytest.raises(NotFound):
        client.get("hosts/12/")
    assert sent() == [("GET", "/api/v2/hosts/"), ("GET", "/api/v2/hosts/12/")]


@pytest.mark.parametrize("status", [400, 401, 403, 405, 409])
@responses.activate
def test_any_answer_but_404_confirms_the_root(status):
    responses.post(API + "hosts/", status=status, json={"detail": "x"})
    responses.get(API + "hosts/12/", status=404, json=NOT_FOUND)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    with pytest.raises(AWXError):  # the typed error of that status
        client.post("hosts/", {"name": "x"})
    with pytest.raises(NotFound):
        client.get("hosts/12/")
    assert [m for m, _u in sent()] == ["POST", "GET"]  # no GET /api/


@pytest.mark.parametrize("status", [429, 502, 503])
@responses.activate
def test_proxy_answers_do_not_confirm_the_root(status):
    responses.get(API + "hosts/", status=status)
    responses.get(API + "hosts/", status=404, json=NOT_FOUND)
    responses.get(HOST + "/api/", json=GATEWAY_ROOT)
    responses.get(CONTROLLER + "hosts/", json=EMPTY)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN, max_retries=1)
    assert client.get("hosts/") == EMPTY
    assert [u for _m, u in sent()] == ["/api/v2/hosts/", "/api/v2/hosts/", "/api/", "/api/controller/v2/hosts/"]


@responses.activate
def test_post_under_a_wrong_root_is_sent_once_more_and_only_once():
    responses.post(API + "hosts/", status=404, json=NOT_FOUND)
    responses.get(HOST + "/api/", json=GATEWAY_ROOT)
    responses.post(CONTROLLER + "hosts/", status=201, json={"id": 5, "name": "x"})
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    assert client.post("hosts/", {"name": "x", "inventory": 3}) == {"id": 5, "name": "x"}
    assert sent() == [("POST", "/api/v2/hosts/"), ("GET", "/api/"), ("POST", "/api/controller/v2/hosts/")]
    assert json.loads(responses.calls[2].request.body) == {"name": "x", "inventory": 3}


@responses.activate
def test_post_404_under_the_right_root_is_not_sent_again():
    responses.post(API + "job_templates/9/launch/", status=404, json=NOT_FOUND)
    responses.get(HOST + "/api/", json=AWX_ROOT)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    with pytest.raises(NotFound):
        client.post("job_templates/9/launch/", {})
    assert sent() == [("POST", "/api/v2/job_templates/9/launch/"), ("GET", "/api/")]


@responses.activate
def test_a_404_under_the_discovered_root_stands():
    responses.get(API + "hosts/12/", status=404, json=NOT_FOUND)
    responses.get(HOST + "/api/", json=GATEWAY_ROOT)
    responses.get(CONTROLLER + "hosts/12/", status=404, json=NOT_FOUND)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    with pytest.raises(NotFound) as info:
        client.get("hosts/12/")
    assert "/api/controller/v2/hosts/12/" in str(info.value)
    assert len(responses.calls) == 3


@responses.activate
def test_api_prefix_skips_the_guess_and_discovery():
    responses.get(HOST + "/api/controller/v2/hosts/", json=EMPTY)
    responses.get(HOST + "/api/controller/v2/hosts/12/", status=404, json=NOT_FOUND)
    client = make_client(api_prefix="api/controller/v2", controller_oauthtoken=TOKEN)
    with pytest.raises(NotFound):
        client.get("hosts/12/")
    assert client.list("hosts/") == []
    assert client.api_root == "/api/controller/v2/"
    assert client.request_count == 2


@responses.activate
def test_api_root_asked_first_runs_discovery_once_anonymously():
    responses.get(HOST + "/api/", json=AWX_ROOT)
    responses.get(API + "ping/", json={"version": "24.6.1"})
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    assert client.api_root == "/api/v2/"
    assert client.api_root == "/api/v2/"
    client.get("ping/")
    assert [c.request.url for c in responses.calls] == [HOST + "/api/", API + "ping/"]
    assert "Authorization" not in responses.calls[0].request.headers


@responses.activate
def test_api_root_asked_first_on_the_gateway():
    responses.get(HOST + "/api/", json=GATEWAY_ROOT)
    responses.get(CONTROLLER + "hosts/12/", json={"id": 12})
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    assert client.api_root == "/api/controller/v2/"
    assert client.get("hosts/12/") == {"id": 12}
    assert client.request_count == 2


@responses.activate
def test_discovery_404_falls_back_to_v2():
    responses.get(HOST + "/api/", status=404, body="<html>Not Found</html>", content_type="text/html")
    client = make_client(api_prefix=None)
    assert client.api_root == "/api/v2/"


@responses.activate
def test_discovery_retries_with_credentials_when_api_root_needs_them():
    responses.get(API + "hosts/", status=404, json=NOT_FOUND)
    responses.get(HOST + "/api/", status=401, json={"detail": "Authentication credentials were not provided."})
    responses.get(HOST + "/api/", json=GATEWAY_ROOT)
    responses.get(CONTROLLER + "hosts/", json=EMPTY)
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    assert client.get("hosts/") == EMPTY
    assert [u for _m, u in sent()] == ["/api/v2/hosts/", "/api/", "/api/", "/api/controller/v2/hosts/"]
    assert "Authorization" not in responses.calls[1].request.headers
    assert responses.calls[2].request.headers["Authorization"] == "Bearer " + TOKEN


@responses.activate
def test_a_404_on_something_else_is_a_configuration_error():
    responses.get(API + "hosts/", status=404, body="<html>Not Found</html>", content_type="text/html")
    responses.get(HOST + "/api/", body="<html>Welcome to nginx</html>", content_type="text/html")
    client = make_client(api_prefix=None)
    with pytest.raises(ConfigurationError) as info:
        client.get("hosts/")
    assert "does not look like an AWX" in str(info.value)
    assert "api_prefix" in str(info.value)


@responses.activate
def test_absolute_paths_need_no_discovery_and_confirm_the_root():
    responses.get(HOST + "/api/v2/hosts/?page=2&page_size=200", json={"results": []})
    responses.get(API + "hosts/12/", status=404, json=NOT_FOUND)
    client = make_client(api_prefix=None)
    client.get("/api/v2/hosts/?page=2&page_size=200")
    with pytest.raises(NotFound):
        client.get("hosts/12/")
    assert client.request_count == 2


@responses.activate
def test_a_404_on_an_absolute_path_keeps_its_path():
    responses.get(HOST + "/api/v2/jobs/3/", status=404, json=NOT_FOUND)
    responses.get(HOST + "/api/controller/v2/jobs/4/", json={"id": 4})
    client = make_client(api_prefix=None, controller_oauthtoken=TOKEN)
    with pytest.raises(NotFound):
        client.get("/api/v2/jobs/3/")
    assert client.get("/api/controller/v2/jobs/4/") == {"id": 4}  # outside the guessed root: confirms nothing
    assert sent() == [("GET", "/api/v2/jobs/3/"), ("GET", "/api/controller/v2/jobs/4/")]
    assert not client._root_known


# -- URLs ----------------------------------------------------------------------

@pytest.mark.parametrize("endpoint,url", [
    ("hosts/", API + "hosts/"),
    ("hosts/12", API + "hosts/12/"),
    ("jobs/3/stdout/?format=txt", API + "jobs/3/stdout/?format=txt"),
    ("/api/v2/hosts/?page=2", HOST + "/api/v2/hosts/?page=2"),
    ("hosts/web1++inv++org/", API + "hosts/web1++inv++org/"),
    # an absolute URL (a proxy rewrote the scheme, or another host) keeps only path and query
    ("http://awx.example.com/api/v2/hosts/?page=2", HOST + "/api/v2/hosts/?page=2"),
    ("https://elsewhere.example.net/api/v2/me/", HOST + "/api/v2/me/"),
])
def test_url_for(endpoint, url):
    assert make_client().url_for(endpoint) == url


# -- request shapes ------------------------------------------------------------

@responses.activate
def test_headers_and_json_body():
    responses.post(API + "hosts/", json={"id": 1, "name": "x"}, status=201)
    responses.get(API + "hosts/1/", json={"id": 1})
    client = make_client(controller_oauthtoken=TOKEN)
    assert client.post("hosts/", {"name": "x", "inventory": 3, "enabled": False, "description": ""}) == \
        {"id": 1, "name": "x"}
    client.get("hosts/1/")
    post, get = responses.calls[0].request, responses.calls[1].request
    assert post.headers["Accept"] == "application/json"
    assert post.headers["Content-Type"] == "application/json"
    assert post.headers["User-Agent"] == "gitops.awx/" + _client.COLLECTION_VERSION
    assert post.headers["Authorization"] == "Bearer " + TOKEN
    assert json.loads(post.body) == {"name": "x", "inventory": 3, "enabled": False, "description": ""}
    assert "Content-Type" not in get.headers
    assert get.body is None


@responses.activate
def test_empty_dict_body_is_sent():
    responses.post(API + "jobs/4/cancel/", status=202)
    client = make_client()
    assert client.post("jobs/4/cancel/", {}) is None
    assert responses.calls[0].request.body == "{}"


@responses.activate
def test_params_encoding():
    responses.get(API + "hosts/", json={"results": []})
    client = make_client()
    client.get("hosts/", params=[("or__name", ["a", "b"]), ("enabled", False), ("skip", None), ("id__gt", 0)])
    assert responses.calls[0].request.url == API + "hosts/?or__name=a&or__name=b&enabled=false&id__gt=0"


@responses.activate
def test_patch_put_delete_options():
    responses.patch(API + "hosts/12/", json={"id": 12, "enabled": False})
    responses.put(API + "hosts/12/", json={"id": 12, "name": "n"})
    responses.delete(API + "hosts/12/", status=204)
    responses.add("OPTIONS", API + "hosts/", json={"actions": {"POST": {}}})
    client = make_client()
    assert client.patch("hosts/12/", {"enabled": False}) == {"id": 12, "enabled": False}
    assert client.put("hosts/12/", {"name": "n"}) == {"id": 12, "name": "n"}
    deleted = client.delete("hosts/12/")
    assert deleted.status == 204 and deleted.recovered is False
    assert client.options("hosts/") == {"actions": {"POST": {}}}
    assert [c.request.method for c in responses.calls] == ["PATCH", "PUT", "DELETE", "OPTIONS"]


@responses.activate
def test_delete_of_missing_object_raises_not_found():
    responses.delete(API + "hosts/12/", status=404, json={"detail": "No Host matches the given query."})
    with pytest.raises(NotFound):
        make_client().delete("hosts/12/")


@responses.activate
def test_bare_list_passes_through_get():
    responses.get(API + "projects/7/playbooks/", json=["fail.yml", "hello.yml"])
    assert make_client().get("projects/7/playbooks/") == ["fail.yml", "hello.yml"]


@responses.activate
def test_text_endpoint_with_accept_any():
    responses.get(API + "jobs/9/stdout/", body="PLAY [all]\nok: [localhost]\n",
                  content_type="text/plain; charset=utf-8")
    response = make_client().request("GET", "jobs/9/stdout/", params={"format": "txt"}, accept="*/*")
    assert response.status == 200
    assert response.text == "PLAY [all]\nok: [localhost]\n"
    assert response.body == response.text
    assert responses.calls[0].request.headers["Accept"] == "*/*"
    assert responses.calls[0].request.url.endswith("?format=txt")


@responses.activate
def test_request_uses_timeout_and_verify():
    responses.get(API + "ping/", json={})
    seen = {}
    client = make_client(request_timeout=4.5, validate_certs=False)
    original = client.session.request

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return original(*args, **kwargs)

    client.session.request = spy
    client.get("ping/")
    assert seen["timeout"] == 4.5
    assert seen["verify"] is False
    assert seen["allow_redirects"] is True


def test_one_session_per_client_and_close_releases_it():
    first, second = make_client(), make_client()
    assert first.session is not second.session
    closed = []
    first.session.close = lambda: closed.append(True)
    first.close()
    first.close()
    assert closed == [True]


def test_a_given_session_is_not_closed():
    import requests
    session = requests.Session()
    closed = []
    session.close = lambda: closed.append(True)
    clock = FakeClock()
    from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options
    client = _client.Client(settings_from_options({"controller_host": HOST}), session=session,
                            sleep=clock.sleep, clock=clock)
    client.close()
    assert closed == []
    assert session.headers["User-Agent"].startswith("gitops.awx/")


def test_collection_version_matches_galaxy_yml():
    with open(os.path.join(REPO_ROOT, "galaxy.yml")) as handle:
        assert yaml.safe_load(handle)["version"] == _client.COLLECTION_VERSION


def test_settings_warnings_are_exposed():
    client = make_client(controller_oauthtoken=TOKEN, controller_username="u", controller_password="p")
    assert len(client.warnings) == 1 and "token is used" in client.warnings[0]


@responses.activate
def test_discovery_ignores_a_non_v2_current_version():
    responses.get(HOST + "/api/", json={"current_version": "/api/gateway/v1/",
                                        "available_versions": {"v1": "/api/gateway/v1/"}})
    with pytest.raises(ConfigurationError):
        make_client(api_prefix=None).api_root


@responses.activate
def test_discovery_uses_current_version_when_it_is_v2():
    responses.get(HOST + "/api/", json={"current_version": "/api/v2/"})
    assert make_client(api_prefix=None).api_root == "/api/v2/"


@responses.activate
def test_host_with_a_path_prefix():
    prefixed = "https://example.com/awx"
    responses.get(prefixed + "/api/v2/hosts/", json={"count": 2, "next": "/api/v2/hosts/?page=2&page_size=200",
                                                     "results": [{"id": 1}]})
    responses.get(prefixed + "/api/v2/hosts/?page=2&page_size=200",
                  json={"count": 2, "next": None, "results": [{"id": 2}]})
    client = make_client(api_prefix=None, controller_host=prefixed + "/")
    assert [h["id"] for h in client.list("hosts/")] == [1, 2]
    assert client.url_for("/awx/api/v2/hosts/") == prefixed + "/api/v2/hosts/"  # a link that has the prefix
    assert client.request_count == 2  # the guessed root was right: no GET /awx/api/


@responses.activate
def test_host_with_a_path_prefix_behind_the_gateway():
    prefixed = "https://example.com/aap"
    responses.get(prefixed + "/api/v2/hosts/", status=404, json=NOT_FOUND)
    responses.get(prefixed + "/api/", json=GATEWAY_ROOT)
    responses.get(prefixed + "/api/controller/v2/hosts/", json=EMPTY)
    responses.get(prefixed + "/api/controller/v2/hosts/?page=2", json=EMPTY)
    client = make_client(api_prefix=None, controller_host=prefixed)
    assert client.get("hosts/") == EMPTY
    client.get("/aap/api/controller/v2/hosts/?page=2")
    assert [c.request.url.replace(prefixed, "") for c in responses.calls] == [
        "/api/v2/hosts/", "/api/", "/api/controller/v2/hosts/", "/api/controller/v2/hosts/?page=2"]


def test_keep_alive_one_connection_for_many_requests():
    """Against a real HTTP/1.1 server on 127.0.0.1: five requests, one TCP connection."""
    import http.server
    import threading

    peers = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 (http.server's naming)
            peers.append(self.client_address)
            body = b'{"count": 0, "next": null, "results": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        with make_client(controller_host="http://127.0.0.1:%d" % server.server_port) as client:
            for _round in range(5):
                client.get("hosts/")
    finally:
        server.shutdown()
        server.server_close()
    assert len(peers) == 5
    assert len(set(peers)) == 1
