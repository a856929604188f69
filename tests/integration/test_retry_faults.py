"""Writes ride out a gateway that refuses or drops a share of them (the local server's faults).

The local server's fault injection answers 502/503/504 (or closes the connection) before
processing the request: every write in these runs either reached AWX once or not at all, and
the collection must converge without a failure and without a duplicate.
"""
import os
import shutil
import uuid

import pytest

pytestmark = pytest.mark.integration

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects", "demo")
HOSTS = 30


def _created(response):
    assert response.status_code in (200, 201), response.text
    return response.json()


def _all(awx_server, endpoint, **params):
    params.setdefault("page_size", 200)
    return awx_server.api("GET", endpoint, params=params).json()["results"]


@pytest.fixture
def simulator(awx_server):
    if not awx_server.is_simulator:
        pytest.skip("fault injection needs the local server")
    yield awx_server
    awx_server.clear_faults()


@pytest.fixture
def token_env(simulator):
    """A personal token: no session token is created, so only the writes under test meet faults."""
    token = _created(simulator.api("POST", "tokens/", json={"scope": "write", "description": "retry faults"}))
    yield {"CONTROLLER_OAUTH_TOKEN": token["token"], "CONTROLLER_USERNAME": "", "CONTROLLER_PASSWORD": ""}
    simulator.api("DELETE", "tokens/%d/" % token["id"])


def _apply_play(prefix):
    hosts = ["%s-h%02d" % (prefix, i) for i in range(HOSTS)]
    # 35 % of the writes meet a fault: the default budget (5 retries) would let about one write in
    # 500 fail after six faults in a row, so the test allows more retries, as a flaky gateway needs.
    tasks = [
        {"name": "organization", "gitops.awx.organization": {"name": prefix, "description": "retry"}},
        {"name": "inventory", "gitops.awx.inventory": {
            "name": prefix, "organization": prefix, "variables": {"tier": "test"}}},
        {"name": "hosts", "loop": hosts, "gitops.awx.host": {
            "name": "{{ item }}", "inventory": prefix, "organization": prefix,
            "variables": {"n": "{{ item[-2:] }}"}}},
    ]
    return [{"hosts": "localhost", "gather_facts": False,
             "module_defaults": {"group/gitops.awx.awx": {"max_retries": 10}}, "tasks": tasks}], hosts


def test_apply_of_30_hosts_converges_through_refused_and_dropped_writes(run_playbook, simulator, token_env):
    prefix = "itretry-%s" % uuid.uuid4().hex[:6]
    play, names = _apply_play(prefix)
    simulator.reset_counts()
    simulator.set_faults(error_rate=0.25, statuses=[502, 503, 504], drop_rate=0.1, seed=7,
                         methods=["POST", "PATCH", "DELETE"], path_prefix="/api/v2/")
    try:
        run = run_playbook(play, env=token_env)
        counts = simulator.request_counts()
        assert run.rc == 0, run.stdout[-4000:]
        assert run.failures == 0
        assert run.result("organization")["changed"] and run.result("inventory")["changed"]
        items = run.result("hosts")["results"]
        assert len(items) == HOSTS and all(item["changed"] for item in items)
        # Faults were met: more POSTs were sent than objects were made...
        posts = sum(n for key, n in counts["by_path"].items() if key.startswith("POST /api/v2/"))
        assert posts > 2 + HOSTS, counts
        again = run_playbook(play, env=token_env)
        assert again.rc == 0 and again.failures == 0, again.stdout[-4000:]
        assert again.changed == 0
    finally:
        simulator.clear_faults()
    [org] = _all(simulator, "organizations/", name=prefix)
    [inv] = _all(simulator, "inventories/", name=prefix)
    found = _all(simulator, "hosts/", inventory=inv["id"])
    assert sorted(h["name"] for h in found) == names  # each once: no duplicate, none missing
    simulator.api("DELETE", "inventories/%d/" % inv["id"])
    simulator.api("DELETE", "organizations/%d/" % org["id"])


@pytest.fixture
def template(simulator):
    tag = "itretry-%s" % uuid.uuid4().hex[:6]
    shutil.copytree(PROJECT, os.path.join(simulator.projects_root, tag))
    api = simulator.api
    org = _created(api("POST", "organizations/", json={"name": tag}))
    inv = _created(api("POST", "inventories/", json={"name": tag, "organization": org["id"]}))
    _created(api("POST", "hosts/", json={"name": "h1", "inventory": inv["id"]}))
    project = _created(api("POST", "projects/", json={
        "name": tag, "organization": org["id"], "scm_type": "", "local_path": tag}))
    jt = _created(api("POST", "job_templates/", json={
        "name": tag, "inventory": inv["id"], "project": project["id"], "playbook": "hello.yml"}))
    # An earlier job of the template: the recovery must not take it for the new one.
    _created(api("POST", "job_templates/%d/launch/" % jt["id"], json={}))
    yield jt


def test_refused_launch_is_checked_then_sent_again_once(run_playbook, simulator, template):
    """502 then 503 on the launch: after each the recovery looks for a job this launch started
    (none: those answers came before processing), so the third POST launches exactly one job."""
    before = [j["id"] for j in _all(simulator, "jobs/", job_template=template["id"])]
    simulator.reset_counts()
    # seed 1 with these rates: the first two launch POSTs fail (502, 503), the third passes
    simulator.set_faults(error_rate=0.6, statuses=[502, 503, 504], seed=1, methods=["POST"],
                         path_prefix="/api/v2/job_templates/")
    try:
        run = run_playbook([{"hosts": "localhost", "gather_facts": False, "tasks": [
            {"name": "launch",
             "gitops.awx.job_launch": {"name": template["name"], "wait": True, "timeout": 120}}]}])
        counts = simulator.request_counts()
    finally:
        simulator.clear_faults()
    assert run.rc == 0, run.stdout[-4000:]
    result = run.result("launch")
    assert result["status"] == "successful" and not result.get("warnings")
    path = "/api/v2/job_templates/%d/launch/" % template["id"]
    assert counts["by_path"]["POST " + path] == 3, counts
    assert counts["by_path"]["GET /api/v2/me/"] == 1, counts
    assert counts["by_path"]["GET /api/v2/jobs/"] == 2, counts
    after = [j["id"] for j in _all(simulator, "jobs/", job_template=template["id"])]
    assert len(after) == len(before) + 1 and result["id"] not in before
