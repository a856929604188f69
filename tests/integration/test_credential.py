"""gitops.awx.credential against the local AWX API server: lifecycle, rotation, request
budget, and a canary password that must appear in no output of a run."""
import json
import uuid

import pytest

pytestmark = pytest.mark.integration


def _vars(prefix):
    # Unique per run so that a match can only come from this run.
    return {"prefix": prefix, "password": "canary-%s-Pw" % uuid.uuid4().hex,
            "new_password": "canary-%s-Rotated" % uuid.uuid4().hex}


def _created(response):
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_credential_playbook(run_playbook, awx_server):
    prefix = "itcred-%s" % uuid.uuid4().hex[:6]
    run = run_playbook("credential.yml", extravars=_vars(prefix))
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    assert run.result("Create (apply)")["changed"]
    listing = awx_server.api("GET", "credentials/", params={"name__startswith": prefix}).json()
    assert listing["count"] == 0


@pytest.mark.parametrize("in_process", [True, False], ids=["in-process", "module"])
def test_canary_password_appears_in_no_output(run_playbook, in_process):
    """-vvvv, diff, results, invocation and error messages of the whole lifecycle."""
    prefix = "itcanary-%s" % uuid.uuid4().hex[:6]
    extravars = _vars(prefix)
    run = run_playbook("credential.yml", extravars=extravars, diff=True, in_process=in_process,
                       env={"ANSIBLE_VERBOSITY": "4"})
    assert run.rc == 0, run.stdout[-4000:]
    # the verbose output is really there (module args echoed, results shown)
    assert "invocation" in run.stdout and "changed_fields" in run.stdout
    assert ("running in the controller process" in run.stdout) is in_process
    outputs = run.stdout + json.dumps(run.results)
    for name in ("password", "new_password"):
        assert extravars[name] not in outputs, "%s leaked" % name
    # the failing tasks' messages are among what was searched
    assert run.result("An input the type does not have")["failed"]


@pytest.fixture
def token_env(awx_server):
    """Connection through a personal token, as request budgets are stated."""
    token = _created(awx_server.api("POST", "tokens/", json={"scope": "write", "description": "budget"}))
    yield {"CONTROLLER_OAUTH_TOKEN": token["token"], "CONTROLLER_USERNAME": "", "CONTROLLER_PASSWORD": ""}
    awx_server.api("DELETE", "tokens/%d/" % token["id"])


def test_request_budget(run_playbook, awx_server, token_env):
    if not awx_server.is_simulator:
        pytest.skip("request counts come from the local server")
    prefix = "itcredbudget-%s" % uuid.uuid4().hex[:6]
    org = _created(awx_server.api("POST", "organizations/", json={"name": prefix}))
    cred = {"name": prefix, "organization": prefix, "credential_type": "Machine",
            "inputs": {"username": "u", "password": "p1"}}
    machine = awx_server.api("GET", "credential_types/", params={"name": "Machine"}).json()["results"][0]
    counts = {}
    try:
        for case, params in (("create", cred), ("no-op", cred),
                             ("rotate", dict(cred, inputs={"username": "u", "password": "p2"})),
                             ("delete", dict(cred, state="absent"))):
            play = [{"hosts": "localhost", "gather_facts": False,
                     "tasks": [{"name": case, "gitops.awx.credential": params}]}]
            awx_server.reset_counts()
            run = run_playbook(play, env=token_env)
            assert run.rc == 0, run.stdout[-4000:]
            counts[case] = awx_server.request_counts()["by_path"]
        assert dict((case, sum(c.values())) for case, c in counts.items()) == {
            "create": 5, "no-op": 1, "rotate": 2, "delete": 2}, counts
        # the create: find, organization and type by name, the type's secret fields, POST
        assert counts["create"] == {"GET /api/v2/credentials/": 1, "GET /api/v2/organizations/": 1,
                                    "GET /api/v2/credential_types/": 1,
                                    "GET /api/v2/credential_types/%d/" % machine["id"]: 1,
                                    "POST /api/v2/credentials/": 1}, counts
        assert counts["no-op"] == {"GET /api/v2/credentials/": 1}, counts
    finally:
        awx_server.api("DELETE", "organizations/%d/" % org["id"])
