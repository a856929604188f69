"""What a fresh server has, as a fresh AWX has it: the public Galaxy credential in Default."""
import os

from tests.awxsim.conftest import Api, admin_token
from tests.integration.conftest import start_simulator

GALAXY = "Ansible Galaxy"


def test_galaxy_credential_is_managed_and_in_default_organization(api):
    found = api.get("credentials/", params={"name": GALAXY}).json()
    assert found["count"] == 1
    cred = found["results"][0]
    galaxy_type = api.get("credential_types/%d/" % cred["credential_type"]).json()
    assert galaxy_type["kind"] == "galaxy" and galaxy_type["managed"] is True
    assert cred["managed"] is True and cred["organization"] is None
    assert cred["inputs"] == {"url": "https://galaxy.ansible.com/"}
    assert cred["kind"] == "galaxy_api_token"
    listed = api.get("organizations/1/galaxy_credentials/").json()
    assert [c["name"] for c in listed["results"]] == [GALAXY]
    # Organizations made through the API start without it, as on AWX.
    org = api.create("organizations/", name="boot-org")
    assert api.get("organizations/%d/galaxy_credentials/" % org["id"]).json()["count"] == 0
    response = api.post("organizations/%d/galaxy_credentials/" % org["id"], json={"id": cred["id"]})
    assert response.status_code == 204


def test_managed_credential_cannot_be_changed_or_deleted(api):
    cred = api.get("credentials/", params={"name": GALAXY}).json()["results"][0]
    path = "credentials/%d/" % cred["id"]
    response = api.patch(path, json={"description": "mine now"})
    assert response.status_code == 403
    assert response.json() == {"detail": "Modifications not allowed for managed credentials"}
    response = api.delete(path)
    assert response.status_code == 403
    assert response.json() == {"detail": "Deletion not allowed for managed credentials"}
    assert api.get(path).json()["description"] == ""


def test_made_once_even_when_the_server_restarts(tmp_path):
    """A file database keeps it; a restart neither duplicates it nor re-adds it to Default."""
    workdir = str(tmp_path)
    counts = []
    for attempt in range(2):
        server = start_simulator(workdir)
        try:
            api = Api(server.url, token=admin_token(server.url))
            counts.append(api.get("credentials/", params={"name": GALAXY}).json()["count"])
            if attempt == 0:
                cred = api.get("credentials/", params={"name": GALAXY}).json()["results"][0]
                response = api.post("organizations/1/galaxy_credentials/",
                                    json={"id": cred["id"], "disassociate": True})
                assert response.status_code == 204
            else:
                assert api.get("organizations/1/galaxy_credentials/").json()["count"] == 0
        finally:
            server.stop()
    assert counts == [1, 1]
    assert os.path.exists(os.path.join(workdir, "awxsim.sqlite3"))
