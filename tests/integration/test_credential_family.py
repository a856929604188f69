"""gitops.awx.credential_type, execution_environment and label against the local AWX API server."""
import uuid

import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("playbook", ["credential_type.yml", "execution_environment.yml", "label.yml"])
def test_playbook(run_playbook, awx_server, playbook):
    prefix = "itfam-%s" % uuid.uuid4().hex[:6]
    run = run_playbook(playbook, extravars={"prefix": prefix})
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    for endpoint in ("credential_types/", "execution_environments/", "organizations/", "labels/"):
        listing = awx_server.api("GET", endpoint, params={"name__startswith": prefix}).json()
        assert listing["count"] == 0, (endpoint, listing["results"])


def test_credential_input_source_playbook(run_playbook, awx_server):
    allowed = awx_server.api("OPTIONS", "credential_input_sources/").headers.get("Allow", "")
    if "POST" not in allowed:
        pytest.skip("this server does not create credential input sources (Allow: %s)" % allowed)
    prefix = "itcis-%s" % uuid.uuid4().hex[:6]
    run = run_playbook("credential_input_source.yml", extravars={"prefix": prefix})
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    listing = awx_server.api("GET", "credentials/", params={"name__startswith": prefix}).json()
    assert listing["count"] == 0


@pytest.fixture
def token_env(awx_server):
    """Connection through a personal token, as request budgets are stated."""
    response = awx_server.api("POST", "tokens/", json={"scope": "write", "description": "budget"})
    assert response.status_code == 201, response.text
    token = response.json()
    yield {"CONTROLLER_OAUTH_TOKEN": token["token"], "CONTROLLER_USERNAME": "", "CONTROLLER_PASSWORD": ""}
    awx_server.api("DELETE", "tokens/%d/" % token["id"])


def test_request_budgets(run_playbook, awx_server, token_env):
    """create / no-op / update / delete, counted by the server, one task per run."""
    if not awx_server.is_simulator:
        pytest.skip("request counts come from the local server")
    prefix = "itfambudget-%s" % uuid.uuid4().hex[:6]
    org = awx_server.api("POST", "organizations/", json={"name": prefix}).json()
    ctype = {"name": prefix, "kind": "cloud", "inputs": {"fields": [{"id": "t", "label": "T", "secret": True}]}}
    # (a global EE: a reference by name costs one lookup per run until the engine reuses the
    # name AWX shows in summary_fields)
    ee = {"name": prefix, "image": "quay.io/x/ee:1"}
    label = {"name": prefix, "organization": prefix}
    steps = [
        ("credential_type", "create", ctype), ("credential_type", "no-op", ctype),
        ("credential_type", "update", dict(ctype, description="d")),
        ("credential_type", "delete", dict(ctype, state="absent")),
        ("execution_environment", "create", ee), ("execution_environment", "no-op", ee),
        ("execution_environment", "update", dict(ee, pull="always")),
        ("execution_environment", "delete", {"name": prefix, "state": "absent"}),
        ("label", "create", label), ("label", "no-op", label),
        ("label", "update", dict(label, new_name=prefix + "-2")),
        ("label", "delete", dict(label, name=prefix + "-3", state="absent")),
    ]
    counts = {}
    try:
        for module, case, params in steps:
            play = [{"hosts": "localhost", "gather_facts": False,
                     "tasks": [{"name": case, "gitops.awx.%s" % module: params}]}]
            awx_server.reset_counts()
            run = run_playbook(play, env=token_env)
            assert run.rc == 0, run.stdout[-4000:]
            counts["%s %s" % (module, case)] = awx_server.request_counts()["total"]
    finally:
        awx_server.api("DELETE", "organizations/%d/" % org["id"])
    assert counts == {
        "credential_type create": 2, "credential_type no-op": 1, "credential_type update": 2,
        "credential_type delete": 3,
        "execution_environment create": 2, "execution_environment no-op": 1,
        "execution_environment update": 2, "execution_environment delete": 2,
        "label create": 3, "label no-op": 1, "label update": 2, "label delete": 1,
    }, counts
