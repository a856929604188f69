"""gitops.awx.project through AnsibleModule and the HTTP seam."""
import pytest

GIT = {"name": "Playbooks", "organization": "Default", "scm_type": "git",
       "scm_url": "file:///srv/git/playbooks.git", "scm_branch": "main"}


@pytest.fixture
def org(awx):
    return awx.add("organizations", name="Default")


def test_git_project_four_steps_waits_for_the_update(awx, run_module, org):
    check = run_module("project", GIT, check_mode=True, diff=True)
    assert check["changed"] and awx.writes == [] and "project_update" not in check
    assert check["diff"]["after"] == {"name": "Playbooks", "organization": org, "scm_type": "git",
                                      "scm_url": GIT["scm_url"], "scm_branch": "main"}
    apply = run_module("project", GIT, diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    assert apply["project_update"]["status"] == "successful"
    assert apply["project_update"]["scm_revision"].startswith("rev-")
    assert [c[0] for c in awx.writes] == ["POST"]   # the update is AWX's own
    awx.calls[:] = []
    assert not run_module("project", GIT, check_mode=True)["changed"]
    again = run_module("project", GIT)
    assert not again["changed"] and "project_update" not in again
    assert awx.count() == 2, awx.calls   # one find per run, nothing else


def test_manual_is_the_empty_scm_type(awx, run_module, org):
    awx.add("projects", name="Local", organization=org, scm_type="", local_path="local")
    result = run_module("project", {"name": "Local", "organization": "Default",
                                    "scm_type": "manual", "local_path": "local"})
    assert not result["changed"] and awx.writes == []


def test_scm_change_waits_for_the_update_awx_started(awx, run_module, org):
    run_module("project", GIT)
    awx.calls[:] = []
    result = run_module("project", dict(GIT, scm_branch="release"))
    assert result["changed"] and result["changed_fields"] == ["scm_branch"]
    assert result["project_update"]["status"] == "successful"
    # find, PATCH, one poll of the update
    assert [c[0] for c in awx.calls] == ["GET", "PATCH", "GET"], awx.calls


def test_plain_change_starts_no_wait(awx, run_module, org):
    run_module("project", GIT)
    awx.calls[:] = []
    result = run_module("project", dict(GIT, description="x"))
    assert result["changed"] and "project_update" not in result
    assert [c[0] for c in awx.calls] == ["GET", "PATCH"]


def test_failed_update_fails_with_its_output(awx, run_module, org):
    result = run_module("project", dict(GIT, scm_url="file:///srv/git/missing.git"))
    assert result["failed"]
    assert "failed" in result["msg"] and "repository not found" in result["msg"]
    assert awx.find("projects", name="Playbooks")   # the project stands


def test_update_project_forces_one(awx, run_module, org):
    run_module("project", GIT)
    awx.calls[:] = []
    result = run_module("project", dict(GIT, update_project=True))
    assert result["project_update"]["status"] == "successful"
    assert [(c[0], c[1]) for c in awx.writes] == [
        ("POST", "/api/v2/projects/%d/update/" % result["id"])]
    check = run_module("project", dict(GIT, update_project=True), check_mode=True)
    assert not check["failed"] and "project_update" not in check


def test_wait_false_does_not_poll(awx, run_module, org):
    result = run_module("project", dict(GIT, wait=False))
    assert result["changed"] and result["project_update"]["status"] == "pending"
    assert not any(c[1].startswith("/api/v2/project_updates/") for c in awx.calls)


def test_delete_by_id_as_name(awx, run_module, org):
    created = run_module("project", GIT)
    result = run_module("project", {"name": str(created["id"]), "state": "absent"})
    assert result["changed"] and awx.get("projects", created["id"]) is None


def test_a_numeric_name_that_exists_is_a_name(awx, run_module, org):
    first = awx.add("projects", name="Other", organization=org)
    named = awx.add("projects", name=str(first), organization=org, description="by name")
    result = run_module("project", {"name": str(first), "description": "by name"})
    assert not result["changed"] and result["id"] == named


def test_delete_waits_for_the_running_update(awx, run_module, org):
    created = run_module("project", GIT)
    update = created["project_update"]["id"]
    awx.get("projects", created["id"])["_busy_job"] = {"id": update, "type": "project_update"}
    awx.calls[:] = []
    result = run_module("project", {"name": "Playbooks", "organization": "Default",
                                    "state": "absent"})
    assert result["changed"] and awx.get("projects", created["id"]) is None, result.get("msg")
    assert [c[0] for c in awx.calls] == ["GET", "DELETE", "GET", "DELETE"]


def test_delete_refused_for_a_users_job_fails(awx, run_module, org):
    created = run_module("project", GIT)
    awx.get("projects", created["id"])["_busy_job"] = {"id": 1, "type": "job"}
    result = run_module("project", {"name": "Playbooks", "organization": "Default",
                                    "state": "absent"})
    assert result["failed"] and result["status"] == 409
    assert "running jobs" in result["msg"]
