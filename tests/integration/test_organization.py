"""gitops.awx.organization against the local AWX API server (real ansible-playbook runs)."""
import uuid

import pytest
import yaml

from ansible_collections.gitops.awx.plugins.modules import organization

pytestmark = pytest.mark.integration


def test_organization_playbook(run_playbook, awx_server):
    prefix = "itorg-%s" % uuid.uuid4().hex[:6]
    run = run_playbook("organization.yml", extravars={"prefix": prefix})
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    created = run.result("Create (apply)")
    assert created["changed"] and created["organization"]["name"] == prefix + "-org"
    assert run.result("Wrong password")["failed"]
    assert run.result("Unknown default environment")["failed"]
    # The playbook deleted what it made, and the failed tasks made nothing.
    listing = awx_server.api("GET", "organizations/", params={"name__startswith": prefix}).json()
    assert listing["count"] == 0


def _first(awx_server, endpoint, name):
    found = awx_server.api("GET", endpoint, params={"name": name}).json()
    return found["results"][0] if found.get("count") else None


def _needs_association_endpoints(awx_server):
    probe = awx_server.api("GET", "organizations/1/instance_groups/")
    if probe.status_code == 404:
        pytest.skip("the server has no organizations/<id>/instance_groups/ sub-endpoint")


def test_associations_converge(run_playbook, awx_server):
    _needs_association_endpoints(awx_server)
    name = "itassoc-%s" % uuid.uuid4().hex[:6]
    task = {"name": "org with instance groups", "diff": True, "gitops.awx.organization": {
        "name": name, "instance_groups": ["default", "controlplane"]}}
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
    try:
        first = run_playbook(play)
        assert first.rc == 0, first.stdout[-4000:]
        result = first.result("org with instance groups")
        assert result["changed"]
        assert result["diff"]["after"]["instance_groups"] == ["controlplane", "default"]
        second = run_playbook(play)
        assert second.rc == 0 and second.changed == 0, second.stdout[-4000:]
        task["gitops.awx.organization"]["instance_groups"] = ["default"]
        third = run_playbook(play)
        assert third.result("org with instance groups")["diff"]["after"]["instance_groups"] == ["default"]
        org = _first(awx_server, "organizations/", name)
        members = awx_server.api("GET", "organizations/%d/instance_groups/" % org["id"]).json()
        assert [m["name"] for m in members["results"]] == ["default"]
    finally:
        org = _first(awx_server, "organizations/", name)
        if org is not None:
            awx_server.api("DELETE", "organizations/%d/" % org["id"])


def test_examples_run(run_playbook, awx_server):
    """The EXAMPLES of the module, as documented, run against the server."""
    _needs_association_endpoints(awx_server)
    if _first(awx_server, "instance_groups/", "default") is None:
        pytest.skip("the server has no 'default' instance group")
    made_galaxy = None
    if _first(awx_server, "credentials/", "Ansible Galaxy") is None:
        # AWX creates this credential at install; a fresh local server may not have it.
        galaxy_type = awx_server.api("GET", "credential_types/",
                                     params={"kind": "galaxy"}).json()["results"][0]
        answer = awx_server.api("POST", "credentials/", json={
            "name": "Ansible Galaxy", "credential_type": galaxy_type["id"],
            "organization": None, "inputs": {"url": "https://galaxy.ansible.com/"}})
        assert answer.status_code == 201, answer.text
        made_galaxy = answer.json()["id"]
    play = [{"name": "organization examples", "hosts": "localhost", "gather_facts": False,
             "tasks": yaml.safe_load(organization.EXAMPLES)}]
    try:
        run = run_playbook(play)
        assert run.rc == 0, run.stdout[-4000:]
        assert run.changed == len(play[0]["tasks"])
        renamed = _first(awx_server, "organizations/", "Platform Engineering")
        assert renamed is not None and renamed["max_hosts"] == 500
        assert _first(awx_server, "organizations/", "Sandbox") is None
    finally:
        for name in ("Platform", "Platform Engineering", "Sandbox"):
            obj = _first(awx_server, "organizations/", name)
            if obj is not None:
                awx_server.api("DELETE", "organizations/%d/" % obj["id"])
        if made_galaxy is not None:
            awx_server.api("DELETE", "credentials/%d/" % made_galaxy)
