"""gitops.awx.job_template against the local AWX API server (real ansible-playbook runs)."""
import os
import shutil
import uuid

import pytest

pytestmark = pytest.mark.integration

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects", "demo")


def _created(response):
    assert response.status_code in (200, 201), response.text
    return response.json()


def credential_type_id(awx_server, name):
    found = awx_server.api("GET", "credential_types/", params={"name": name}).json()
    assert found["count"] == 1, found
    return found["results"][0]["id"]


@pytest.fixture
def jt_world(awx_server):
    """An organization, a manual project, an inventory, two credentials and two labels."""
    if not awx_server.projects_root:
        pytest.skip("needs the local server: the test copies its project to the projects root")
    tag = "itjt-%s" % uuid.uuid4().hex[:6]
    shutil.copytree(PROJECT, os.path.join(awx_server.projects_root, tag))
    api = awx_server.api
    org = _created(api("POST", "organizations/", json={"name": tag}))
    _created(api("POST", "projects/", json={"name": tag, "organization": org["id"],
                                            "scm_type": "", "local_path": tag}))
    _created(api("POST", "inventories/", json={"name": tag, "organization": org["id"]}))
    _created(api("POST", "credentials/", json={
        "name": tag + "-machine", "organization": org["id"],
        "credential_type": credential_type_id(awx_server, "Machine"),
        "inputs": {"username": "deploy", "password": "machine-secret"}}))
    _created(api("POST", "credentials/", json={
        "name": tag + "-vault", "organization": org["id"],
        "credential_type": credential_type_id(awx_server, "Vault"),
        "inputs": {"vault_password": "vault-secret"}}))
    for label in ("deploy", "prod"):
        _created(api("POST", "labels/", json={"name": "%s-%s" % (tag, label),
                                              "organization": org["id"]}))
    yield {"prefix": tag, "org": tag, "project": tag, "inventory": tag,
           "credentials": [tag + "-machine", tag + "-vault"],
           "labels": [tag + "-deploy", tag + "-prod"], "org_id": org["id"]}
    for jt in api("GET", "job_templates/", params={"organization": org["id"]}).json()["results"]:
        api("DELETE", "job_templates/%d/" % jt["id"])
    api("DELETE", "organizations/%d/" % org["id"])


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "module"])
def test_job_template_playbook(run_playbook, awx_server, jt_world, in_process):
    canary = "canary-%s" % uuid.uuid4().hex
    extravars = dict((k, v) for k, v in jt_world.items() if k != "org_id")
    extravars["canary"] = canary
    run = run_playbook("job_template.yml", extravars=extravars, diff=True, in_process=in_process)
    assert run.rc == 0, run.stdout[-6000:]
    assert run.failures == 0
    assert canary not in run.stdout
    leaks = dict((task, repr(results)) for task, results in run.results.items()
                 if canary in repr(results))
    assert not leaks, dict((t, r[max(0, r.find(canary) - 300):r.find(canary) + 60])
                           for t, r in leaks.items())
