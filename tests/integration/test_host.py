"""gitops.awx.host against the local AWX API server (real ansible-playbook runs)."""
import uuid

import pytest
import yaml

from ansible_collections.gitops.awx.plugins.modules import host

pytestmark = pytest.mark.integration


def _first(awx_server, endpoint, **params):
    found = awx_server.api("GET", endpoint, params=params).json()
    return found["results"][0] if found.get("count") else None


def _created(response):
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_host_playbook(run_playbook, awx_server):
    prefix = "ithost-%s" % uuid.uuid4().hex[:6]
    run = run_playbook("host.yml", extravars={"prefix": prefix})
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    created = run.result("Create (apply)")
    assert created["changed"] and created["host"]["name"] == "web1.example.com"
    assert run.result("Wrong password")["status"] == 401
    org = _first(awx_server, "organizations/", name=prefix + "-host-org")
    inv = _first(awx_server, "inventories/", name=prefix + "-host-inv")
    assert _first(awx_server, "hosts/", inventory=inv["id"]) is None
    awx_server.api("DELETE", "inventories/%d/" % inv["id"])
    awx_server.api("DELETE", "organizations/%d/" % org["id"])


@pytest.fixture
def token_env(awx_server):
    """Connection through a personal token, as the request budget is stated."""
    body = {"scope": "write", "description": "host budget"}
    token = _created(awx_server.api("POST", "tokens/", json=body))
    yield {"CONTROLLER_OAUTH_TOKEN": token["token"], "CONTROLLER_USERNAME": "",
           "CONTROLLER_PASSWORD": ""}
    awx_server.api("DELETE", "tokens/%d/" % token["id"])


def test_noop_host_task_costs_one_request(run_playbook, awx_server, token_env):
    if not awx_server.is_simulator:
        pytest.skip("request counts come from the local server")
    prefix = "itbudget-%s" % uuid.uuid4().hex[:6]
    org = _created(awx_server.api("POST", "organizations/", json={"name": prefix}))
    inv = _created(awx_server.api("POST", "inventories/", json={"name": prefix,
                                                                "organization": org["id"]}))
    _created(awx_server.api("POST", "hosts/", json={"name": "web1", "inventory": inv["id"],
                                                    "variables": "a: 1"}))
    task = {"name": "no-op host", "gitops.awx.host": {
        "name": "web1", "inventory": prefix, "organization": prefix, "variables": {"a": 1}}}
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
    try:
        awx_server.reset_counts()
        run = run_playbook(play, env=token_env)
        counts = awx_server.request_counts()
        assert run.rc == 0, run.stdout[-4000:]
        assert not run.result("no-op host")["changed"]
        assert counts["total"] == 1, counts  # no API discovery: the answer confirms /api/v2/
        assert counts["by_path"] == {"GET /api/v2/hosts/": 1}, counts
    finally:
        awx_server.api("DELETE", "inventories/%d/" % inv["id"])
        awx_server.api("DELETE", "organizations/%d/" % org["id"])


def test_examples_run(run_playbook, awx_server):
    """The EXAMPLES of the module, as documented, run against the server."""
    org = _first(awx_server, "organizations/", name="Default")
    if org is None:
        pytest.skip("the server has no 'Default' organization")
    inv = _first(awx_server, "inventories/", name="production", organization=org["id"])
    if inv is None:
        inv = _created(awx_server.api("POST", "inventories/", json={
            "name": "production", "organization": org["id"]}))
    play = [{"name": "host examples", "hosts": "localhost", "gather_facts": False,
             "tasks": yaml.safe_load(host.EXAMPLES)}]
    try:
        run = run_playbook(play)
        assert run.rc == 0, run.stdout[-4000:]
        assert run.changed == len(play[0]["tasks"])
        assert _first(awx_server, "hosts/", inventory=inv["id"]) is None
    finally:
        awx_server.api("DELETE", "inventories/%d/" % inv["id"])


def test_failed_creates_are_reread_not_duplicated(run_playbook, awx_server):
    """POSTs answered 502/503 or dropped: the engine re-reads before re-sending, so
    every host exists exactly once and the play converges."""
    if not awx_server.is_simulator:
        pytest.skip("fault injection needs the local server")
    prefix = "itfault-%s" % uuid.uuid4().hex[:6]
    org = _created(awx_server.api("POST", "organizations/", json={"name": prefix}))
    inv = _created(awx_server.api("POST", "inventories/", json={"name": prefix,
                                                                "organization": org["id"]}))
    names = ["h%02d" % i for i in range(12)]
    task = {"name": "hosts under faults", "loop": names, "gitops.awx.host": {
        "name": "{{ item }}", "inventory": prefix, "organization": prefix}}
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
    try:
        awx_server.reset_counts()
        awx_server.set_faults(error_rate=0.25, drop_rate=0.1, statuses=[502, 503], seed=11,
                              methods=["POST"], path_prefix="/api/v2/hosts/")
        run = run_playbook(play)
        awx_server.clear_faults()
        counts = awx_server.request_counts()
        assert run.rc == 0, run.stdout[-4000:]
        posts = counts["by_path"].get("POST /api/v2/hosts/", 0)
        assert posts > len(names), "no fault was injected: %s" % counts
        hosts = awx_server.api("GET", "hosts/", params={"inventory": inv["id"],
                                                        "page_size": 200}).json()["results"]
        assert sorted(h["name"] for h in hosts) == names
    finally:
        awx_server.clear_faults()
        awx_server.api("DELETE", "inventories/%d/" % inv["id"])
        awx_server.api("DELETE", "organizations/%d/" % org["id"])
