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
