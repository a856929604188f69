"""The fault plan of the /_sim/ test hooks: refuse before processing, drop unprocessed, or apply
the request and then lose its answer (a gateway 504 or a closed connection), seeded, per method
and path, counted; and the hooks themselves only with ``--test-hooks``."""
import http.client
from urllib.parse import urlparse

import pytest
import requests

from awxsim.__main__ import exposure_warning, is_loopback, main
from awxsim.server import normalise_plan
from tests.integration.conftest import start_simulator


@pytest.fixture(scope="module")
def inventory(api):
    org = api.create("organizations/", name="f-org")
    return api.create("inventories/", name="f-inv", organization=org["id"])["id"]


@pytest.fixture
def plan(sim):
    """set(**plan) -> normalised plan; the plan is cleared after the test whatever happens."""
    try:
        yield sim.set_faults
    finally:
        sim.clear_faults()


def _hosts_named(api, name):
    return api.get("hosts/", params={"name": name}).json()["count"]


def _post_host(api, inventory, name):
    return api.post("hosts/", json={"name": name, "inventory": inventory})


def test_lost_504_is_applied_and_answered_like_a_gateway(sim, api, inventory, plan):
    plan(seed=1, rules=[{"methods": ["POST"], "path_prefix": "/api/v2/hosts/",
                         "lose_rate": 1.0, "lose_as": ["504"]}])
    sim.reset_counts()
    response = _post_host(api, inventory, "f-lost-504")
    assert response.status_code == 504
    assert response.headers["Content-Type"] == "text/html"
    assert "504 Gateway Time-out" in response.text
    assert "X-API-Product-Name" not in response.headers  # the gateway answered, not AWX
    # The same session goes on over the same connection, and the write was committed.
    assert _hosts_named(api, "f-lost-504") == 1
    counts = sim.request_counts()
    assert counts["faults_injected"] == {"refused": 0, "dropped": 0, "lost_504": 1, "lost_drop": 0}
    assert counts["faults_by_path"] == {"POST /api/v2/hosts/": {"refused": 0, "dropped": 0,
                                                                "lost_504": 1, "lost_drop": 0}}


def test_lost_drop_is_applied_then_the_connection_closes(sim, api, inventory, plan):
    plan(seed=1, rules=[{"methods": ["POST"], "path_prefix": "/api/v2/hosts/",
                         "lose_rate": 1.0, "lose_as": ["drop"]}])
    parsed = urlparse(sim.url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    headers = {"Authorization": api.session.headers["Authorization"],
               "Content-Type": "application/json"}
    try:
        conn.request("GET", "/api/v2/ping/")
        assert conn.getresponse().read()
        conn.request("POST", "/api/v2/hosts/", body='{"name": "f-lost-drop", "inventory": %d}'
                     % inventory, headers=headers)
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            conn.getresponse()
    finally:
        conn.close()
    assert _hosts_named(api, "f-lost-drop") == 1
    # A keep-alive session whose connection was dropped reconnects and carries on.
    session = requests.Session()
    session.headers.update(api.session.headers)
    assert session.get(sim.url + "/api/v2/ping/", timeout=10).status_code == 200
    with pytest.raises(requests.ConnectionError):
        session.post(sim.url + "/api/v2/hosts/", json={"name": "f-lost-drop-2", "inventory": inventory},
                     timeout=10)
    assert session.get(sim.url + "/api/v2/hosts/?name=f-lost-drop-2", timeout=10).json()["count"] == 1
    assert sim.request_counts()["faults_injected"]["lost_drop"] >= 2


def test_refused_and_dropped_requests_are_not_applied(sim, api, inventory, plan):
    plan(rules=[{"methods": ["POST"], "path_prefix": "/api/v2/hosts/", "refuse_rate": 1.0,
                 "refuse_statuses": [429], "retry_after": 2}])
    response = _post_host(api, inventory, "f-refused")
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    assert response.json() == {"detail": "Too Many Requests"}
    plan(rules=[{"methods": ["POST"], "path_prefix": "/api/v2/hosts/", "refuse_rate": 1.0,
                 "refuse_statuses": [503]}])
    response = _post_host(api, inventory, "f-refused")
    assert response.status_code == 503 and "Retry-After" not in response.headers
    plan(rules=[{"methods": ["POST"], "path_prefix": "/api/v2/hosts/", "drop_rate": 1.0}])
    with pytest.raises(requests.ConnectionError):
        requests.post(sim.url + "/api/v2/hosts/", json={"name": "f-refused", "inventory": inventory},
                      headers=api.session.headers, timeout=10)
    sim.clear_faults()
    assert _hosts_named(api, "f-refused") == 0


def test_a_seeded_mix_repeats_and_every_created_object_is_accounted_for(sim, api, inventory, plan):
    rule = {"methods": ["POST"], "path_prefix": "/api/v2/hosts/", "refuse_rate": 0.3,
            "refuse_statuses": [502, 503], "lose_rate": 0.4, "lose_as": ["504"]}

    def run(prefix):
        plan(seed=42, rules=[rule])
        sim.reset_counts()
        statuses = [_post_host(api, inventory, "%s-%02d" % (prefix, i)).status_code for i in range(24)]
        counts = sim.request_counts()
        sim.clear_faults()
        return statuses, counts

    first, counts = run("f-mix-a")
    second, _counts = run("f-mix-b")
    assert first == second
    assert {201, 504} <= set(first) and set(first) & {502, 503} and set(first) <= {201, 502, 503, 504}
    created = api.get("hosts/", params={"name__startswith": "f-mix-a-", "page_size": 100}).json()["count"]
    # applied: the answered ones and the lost ones; the refused ones never were
    assert created == first.count(201) + first.count(504)
    assert counts["faults_injected"]["lost_504"] == first.count(504)
    assert counts["faults_injected"]["refused"] == first.count(502) + first.count(503)
    assert counts["by_path"]["POST /api/v2/hosts/"] == 24


def test_first_matching_rule_wins_and_regex_narrows(sim, api, plan):
    plan(rules=[{"path_regex": r"^/api/v2/hosts/\d+/$", "refuse_rate": 1.0, "refuse_statuses": [502]},
                {"methods": ["GET"], "path_prefix": "/api/v2/hosts/", "refuse_rate": 1.0,
                 "refuse_statuses": [503]}])
    assert api.get("hosts/1/").status_code == 502
    assert api.get("hosts/").status_code == 503
    assert api.get("organizations/").status_code == 200


def test_sim_paths_are_never_faulted(sim, api, plan):
    plan(rules=[{"path_prefix": "/", "refuse_rate": 1.0, "refuse_statuses": [503]}])
    assert api.get("ping/").status_code == 503
    assert requests.get(sim.url + "/_sim/requests/", timeout=10).status_code == 200


def test_reset_clears_the_fault_counters(sim, api, plan):
    plan(rules=[{"path_prefix": "/api/v2/ping/", "refuse_rate": 1.0}])
    api.get("ping/")
    assert sim.request_counts()["faults_injected"]["refused"] >= 1
    sim.reset_counts()
    counts = sim.request_counts()
    assert counts["total"] == 0 and counts["faults_by_path"] == {}
    assert counts["faults_injected"] == {"refused": 0, "dropped": 0, "lost_504": 0, "lost_drop": 0}


def test_flat_keys_form_one_rule():
    assert normalise_plan({"error_rate": 0.2, "statuses": [502], "drop_rate": 0.1, "seed": 3,
                           "methods": ["get"], "path_prefix": "/api/v2/hosts/"}) == {
        "seed": 3, "rules": [{
            "methods": ["GET"], "path_prefix": "/api/v2/hosts/", "path_regex": None,
            "refuse_rate": 0.2, "refuse_statuses": [502], "retry_after": 1.0, "drop_rate": 0.1,
            "lose_rate": 0.0, "lose_as": ["504", "drop"], "latency_ms": 0.0}]}
    assert normalise_plan({"rules": [{}]})["rules"][0]["retry_after"] is None


@pytest.mark.parametrize("bad, message", [
    ({"rules": [{"lose_rate": 1, "lose_as": ["timeout"]}]}, "lose_as takes 504 and drop, not timeout"),
    ({"rules": [{"refuse_rate": 0.6, "lose_rate": 0.6}]}, "must not exceed 1"),
    ({"rules": [{"lose_rate": 2}]}, "lose_rate must be between 0 and 1"),
    ({"rules": [{"loose_rate": 0.5}]}, "unknown key(s) loose_rate"),
    ({"error_rate": 0.5, "rules": []}, "not both"),
    ({"rules": [{"path_regex": "("}]}, "path_regex"),
    ({"rules": {}}, "rules must be a list"),
    ({"seed": [1]}, "seed must be"),
    ([1], "not an object"),
])
def test_a_bad_plan_is_a_400_with_one_line_and_changes_nothing(sim, api, plan, bad, message):
    plan(rules=[{"path_prefix": "/api/v2/ping/", "refuse_rate": 1.0}])
    response = requests.post(sim.url + "/_sim/faults/", json=bad, timeout=10)
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert message in detail and "\n" not in detail
    assert api.get("ping/").status_code in (502, 503)  # the plan before stays in force


def test_hooks_are_an_unknown_url_without_the_option(tmp_path):
    server = start_simulator(str(tmp_path), test_hooks=False)
    try:
        unknown = requests.get(server.url + "/_nothing_here/", timeout=10)
        assert unknown.status_code == 404
        for method, path in (("GET", "/_sim/requests/"), ("POST", "/_sim/requests/reset/"),
                             ("POST", "/_sim/faults/"), ("DELETE", "/_sim/faults/")):
            response = requests.request(method, server.url + path, json={"refuse_rate": 1.0}, timeout=10)
            assert response.status_code == 404, (method, path)
            assert response.json() == unknown.json()
        assert requests.get(server.url + "/api/v2/ping/", timeout=10).status_code == 200
    finally:
        server.stop()


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]"])
def test_loopback_hosts_need_no_warning(host):
    assert is_loopback(host) and exposure_warning(host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "", "::", "192.168.1.10", "10.0.0.1", "awx.example.com"])
def test_other_hosts_are_warned_about(host):
    warning = exposure_warning(host)
    assert warning and "\n" not in warning and "test server" in warning and "must not be exposed" in warning


def test_main_warns_before_it_starts(monkeypatch, capsys):
    """The warning is printed before anything is set up or bound (setup is stopped here)."""
    class Stop(Exception):
        pass

    def no_setup(**kwargs):
        raise Stop()

    monkeypatch.setattr("awxsim.app.setup", no_setup)
    with pytest.raises(Stop):
        main(["--host", "0.0.0.0", "--port", "0"])
    assert "must not be exposed" in capsys.readouterr().err
    with pytest.raises(Stop):
        main(["--host", "127.0.0.1", "--port", "0"])
    assert capsys.readouterr().err == ""
