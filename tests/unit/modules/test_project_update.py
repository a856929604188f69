"""gitops.awx.project_update through AnsibleModule and the HTTP seam."""


def test_update_and_wait(awx, run_module):
    org = awx.add("organizations", name="Default")
    project = awx.add("projects", name="Playbooks", organization=org, scm_type="git",
                      scm_url="file:///srv/git/p.git")
    result = run_module("project_update", {"project": "Playbooks", "organization": "Default"})
    assert result["changed"] and result["status"] == "successful", result.get("msg")
    assert result["project"] == project
    assert [(c[0], c[1]) for c in awx.writes] == [
        ("POST", "/api/v2/projects/%d/update/" % project)]


def test_failed_update_fails_with_the_output_tail(awx, run_module):
    awx.add("projects", name="Bad", scm_type="git", scm_url="file:///srv/git/missing.git")
    result = run_module("project_update", {"name": "Bad"})
    assert result["failed"] and "repository not found" in result["msg"]
    assert result["stdout_lines"] == ["fatal: repository not found"]


def test_check_mode_sends_nothing(awx, run_module):
    awx.add("projects", name="Playbooks", scm_type="git", scm_url="file:///srv/git/p.git")
    result = run_module("project_update", {"name": "Playbooks"}, check_mode=True)
    assert result["changed"] and result["id"] is None and awx.writes == []


def test_manual_project_is_a_clear_error(awx, run_module):
    awx.add("projects", name="Local", scm_type="", local_path="local")
    result = run_module("project_update", {"name": "Local"})
    assert result["failed"] and "manual project" in result["msg"] and awx.writes == []


def test_no_wait(awx, run_module):
    awx.add("projects", name="Playbooks", scm_type="git", scm_url="file:///srv/git/p.git")
    result = run_module("project_update", {"name": "Playbooks", "wait": False})
    assert result["changed"] and result["id"] is not None
    assert not any(c[1].startswith("/api/v2/project_updates/") for c in awx.calls)
