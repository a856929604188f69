"""gitops.awx.inventory against the local AWX API server (real ansible-playbook runs)."""
import json
import uuid

import pytest
import yaml

from ansible_collections.gitops.awx.plugins.modules import inventory

pytestmark = pytest.mark.integration


def _first(awx_server, endpoint, **params):
    found = awx_server.api("GET", endpoint, params=params).json()
    return found["results"][0] if found.get("count") else None


def test_inventory_playbook(run_playbook, awx_server):
    prefix = "itinv-%s" % uuid.uuid4().hex[:6]
    run = run_playbook("inventory.yml", extravars={"prefix": prefix})
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    created = run.result("Create (apply)")
    assert created["changed"] and created["inventory"]["name"] == prefix + "-inv"
    assert run.result("Invalid variables")["msg"].startswith("variables: invalid YAML: ")
    assert _first(awx_server, "inventories/", name__startswith=prefix, pending_deletion=False) is None
    awx_server.api("DELETE", "organizations/%d/" % _first(
        awx_server, "organizations/", name=prefix + "-inv-org")["id"])


def test_examples_run(run_playbook, awx_server):
    """The EXAMPLES of the module, as documented, run against the server."""
    if _first(awx_server, "organizations/", name="Default") is None:
        pytest.skip("the server has no 'Default' organization")
    play = [{"name": "inventory examples", "hosts": "localhost", "gather_facts": False,
             "tasks": yaml.safe_load(inventory.EXAMPLES)}]
    try:
        run = run_playbook(play)
        assert run.rc == 0, run.stdout[-4000:]
        # The second example repeats the first as YAML text: compared as data, no change.
        tasks = [task["name"] for task in play[0]["tasks"]]
        assert run.result(tasks[0])["changed"]
        assert not run.result(tasks[1])["changed"]
        assert _first(awx_server, "inventories/", name="prod", organization__name="Default")
    finally:
        for name in ("all servers", "staging", "production", "prod", "web servers"):
            obj = _first(awx_server, "inventories/", name=name, organization__name="Default")
            if obj is not None:
                awx_server.api("DELETE", "inventories/%d/" % obj["id"])


def _created(answer):
    assert answer.status_code == 201, answer.text
    return answer.json()


@pytest.fixture
def token_env(awx_server):
    """Connection through a personal token, so that request counts hold no token traffic."""
    token = _created(awx_server.api("POST", "tokens/", json={"scope": "write", "description": "it inv"}))
    yield {"CONTROLLER_OAUTH_TOKEN": token["token"], "CONTROLLER_USERNAME": "",
           "CONTROLLER_PASSWORD": ""}
    awx_server.api("DELETE", "tokens/%d/" % token["id"])


@pytest.fixture
def org(awx_server):
    name = "itinv2-%s" % uuid.uuid4().hex[:6]
    obj = _created(awx_server.api("POST", "organizations/", json={"name": name}))
    yield obj
    for inv in awx_server.api("GET", "inventories/", params={"organization": obj["id"]}).json()["results"]:
        awx_server.api("DELETE", "inventories/%d/" % inv["id"])
    awx_server.api("DELETE", "organizations/%d/" % obj["id"])


def _members(awx_server, inv_id, sub):
    return [m["name"] for m in awx_server.api("GET", "inventories/%d/%s/" % (inv_id, sub)).json()["results"]]


def test_constructed_input_inventories_in_order(run_playbook, awx_server, org, token_env):
    for name in ("web", "db"):
        _created(awx_server.api("POST", "inventories/", json={"name": name, "organization": org["id"]}))
    options = {"name": "all", "organization": org["name"], "kind": "constructed",
               "input_inventories": ["web", "db"]}
    task = {"name": "constructed", "diff": True, "gitops.awx.inventory": options}
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]

    check = run_playbook(play, check=True, env=token_env)
    assert check.rc == 0, check.stdout[-4000:]
    predicted = check.result("constructed")
    assert predicted["changed"] and predicted["id"] is None
    assert predicted["diff"]["after"]["input_inventories"] == ["web", "db"]
    assert _first(awx_server, "inventories/", name="all", organization=org["id"]) is None

    if awx_server.is_simulator:
        awx_server.reset_counts()
    apply = run_playbook(play, env=token_env)
    counts = awx_server.request_counts() if awx_server.is_simulator else None
    assert apply.rc == 0, apply.stdout[-4000:]
    result = apply.result("constructed")
    assert result["diff"] == predicted["diff"]
    if awx_server.is_simulator:
        # find, organization, one lookup for both names, POST, two associations
        assert counts["by_path"] == {
            "GET /api/v2/inventories/": 2, "GET /api/v2/organizations/": 1,
            "POST /api/v2/inventories/": 1,
            "POST /api/v2/inventories/%d/input_inventories/" % result["id"]: 2}, json.dumps(counts)
    assert _members(awx_server, result["id"], "input_inventories") == ["web", "db"]

    assert not run_playbook(play, check=True, env=token_env).result("constructed")["changed"]
    assert run_playbook(play, env=token_env).changed == 0

    options["input_inventories"] = ["db", "web"]
    reorder = run_playbook(play, env=token_env).result("constructed")
    assert reorder["changed"] and reorder["changed_fields"] == ["input_inventories"]
    assert reorder["diff"]["before"]["input_inventories"] == ["web", "db"]
    assert _members(awx_server, result["id"], "input_inventories") == ["db", "web"]
    assert run_playbook(play, env=token_env).changed == 0


def test_copy_from_four_steps(run_playbook, awx_server, org, token_env):
    source = _created(awx_server.api("POST", "inventories/", json={
        "name": "template", "organization": org["id"], "variables": "ntp: ntp.example.com",
        "description": "the template"}))
    _created(awx_server.api("POST", "hosts/", json={"name": "web1", "inventory": source["id"]}))
    target = _created(awx_server.api("POST", "organizations/", json={"name": org["name"] + "-t"}))
    options = {"name": "staging", "organization": target["name"],
               "copy_from": "template++%s" % org["name"], "description": "staging"}
    task = {"name": "copy", "diff": True, "gitops.awx.inventory": options}
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
    try:
        if awx_server.is_simulator:
            awx_server.reset_counts()
        check = run_playbook(play, check=True, env=token_env)
        assert check.rc == 0, check.stdout[-4000:]
        predicted = check.result("copy")
        assert predicted["changed"] and predicted["id"] is None
        assert predicted["diff"] == {"before": {}, "after": {
            "name": "staging", "organization": target["id"], "description": "staging"}}
        assert predicted["inventory"]["variables"] == "ntp: ntp.example.com"
        if awx_server.is_simulator:
            assert awx_server.request_counts()["by_method"].get("POST") is None

        if awx_server.is_simulator:
            awx_server.reset_counts()
        apply = run_playbook(play, env=token_env)
        counts = awx_server.request_counts() if awx_server.is_simulator else None
        assert apply.rc == 0, apply.stdout[-4000:]
        result = apply.result("copy")
        assert result["changed"] and result["diff"] == predicted["diff"]
        if awx_server.is_simulator:
            # find, organization, copy source (named URL), POST copy, PATCH organization+description
            assert counts["by_path"] == {
                "GET /api/v2/inventories/": 1, "GET /api/v2/organizations/": 1,
                "GET /api/v2/inventories/template++%s/" % org["name"]: 1,
                "POST /api/v2/inventories/%d/copy/" % source["id"]: 1,
                "PATCH /api/v2/inventories/%d/" % result["id"]: 1}, json.dumps(counts)
        copy = awx_server.api("GET", "inventories/%d/" % result["id"]).json()
        assert copy["organization"] == target["id"] and copy["variables"] == "ntp: ntp.example.com"
        assert copy["description"] == "staging"

        assert not run_playbook(play, check=True, env=token_env).result("copy")["changed"]
        if awx_server.is_simulator:
            awx_server.reset_counts()
        assert run_playbook(play, env=token_env).changed == 0
        if awx_server.is_simulator:
            # The target exists: copy_from is ignored, a no-op costs one request.
            assert awx_server.request_counts()["total"] == 1
    finally:
        for inv in awx_server.api("GET", "inventories/", params={"organization": target["id"]}).json()["results"]:
            awx_server.api("DELETE", "inventories/%d/" % inv["id"])
        awx_server.api("DELETE", "organizations/%d/" % target["id"])
