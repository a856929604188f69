"""gitops.awx.inventory against the local AWX API server (real ansible-playbook runs)."""
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
        for name in ("production", "prod", "web servers"):
            obj = _first(awx_server, "inventories/", name=name, organization__name="Default")
            if obj is not None:
                awx_server.api("DELETE", "inventories/%d/" % obj["id"])
