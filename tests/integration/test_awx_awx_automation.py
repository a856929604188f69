"""awx.awx's own modules for the automation kinds run unchanged against awxsim: a git project
(with wait), a credential, a job template with a survey and a credential, launched and waited
for with awx.awx.job_launch and awx.awx.job_wait; a second run changes nothing."""
import os
import subprocess
import uuid

import pytest

pytestmark = pytest.mark.integration

CANARY = "canary-%s" % uuid.uuid4().hex
PLAYBOOK = """- name: Hello from an awx.awx project
  hosts: all
  gather_facts: false
  tasks:
    - name: greet
      ansible.builtin.debug:
        msg: "hello {{ who }}"
"""


@pytest.fixture
def git_repo(tmp_path):
    root = str(tmp_path / "repo")
    os.makedirs(root)
    with open(os.path.join(root, "hello.yml"), "w") as handle:
        handle.write(PLAYBOOK)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
               GIT_AUTHOR_DATE="2024-01-01T00:00:00Z", GIT_COMMITTER_DATE="2024-01-01T00:00:00Z")
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "hello"]):
        subprocess.run(["git"] + args, cwd=root, env=env, check=True, capture_output=True)
    return root


def _play(env, prefix, repo):
    connection = {"controller_host": env["CONTROLLER_HOST"],
                  "controller_username": env["CONTROLLER_USERNAME"],
                  "controller_password": env["CONTROLLER_PASSWORD"], "validate_certs": False}
    org = prefix + "-org"
    return [{
        "hosts": "localhost", "gather_facts": False,
        "module_defaults": {"group/awx.awx.controller": connection},
        "tasks": [
            {"name": "organization", "awx.awx.organization": {"name": org}},
            {"name": "credential", "awx.awx.credential": {
                "name": prefix + "-cred", "organization": org, "credential_type": "Machine",
                "inputs": {"username": "deploy", "password": CANARY}, "update_secrets": False}},
            {"name": "project", "awx.awx.project": {
                "name": prefix + "-project", "organization": org, "scm_type": "git",
                "scm_url": "file://" + repo, "scm_branch": "main", "wait": True, "timeout": 120}},
            {"name": "inventory", "awx.awx.inventory": {"name": prefix + "-inv", "organization": org}},
            {"name": "host", "awx.awx.host": {"name": "localhost", "inventory": prefix + "-inv",
                                              "variables": {"ansible_connection": "local"}}},
            {"name": "label", "awx.awx.label": {"name": prefix + "-label", "organization": org}},
            {"name": "job template", "awx.awx.job_template": {
                "name": prefix + "-jt", "organization": org, "project": prefix + "-project",
                "inventory": prefix + "-inv", "playbook": "hello.yml",
                "credentials": [prefix + "-cred"], "labels": [prefix + "-label"],
                "survey_enabled": True, "survey_spec": {
                    "name": "s", "description": "", "spec": [
                        {"question_name": "Who?", "variable": "who", "type": "text",
                         "required": True, "default": "", "min": 1, "max": 20}]}}},
            {"name": "launch", "awx.awx.job_launch": {
                "job_template": prefix + "-jt", "organization": org,
                "extra_vars": {"who": "awx.awx"}}, "register": "launched"},
            {"name": "wait", "awx.awx.job_wait": {"job_id": "{{ launched.id }}", "timeout": 120}},
        ],
    }]


def test_awx_awx_modules_for_automation(awx_server, run_playbook, git_repo):
    prefix = "awxawx-%s" % uuid.uuid4().hex[:8]
    play = _play(awx_server.env(), prefix, git_repo)
    run = run_playbook(play)
    assert run.rc == 0, run.stdout[-4000:]
    for task in ("organization", "credential", "project", "inventory", "host", "label", "job template"):
        assert run.result(task)["changed"] is True, task
    assert run.result("wait")["status"] == "successful"
    job = awx_server.api("GET", "jobs/%d/" % run.result("launch")["id"]).json()
    assert job["status"] == "successful"
    stdout = awx_server.api("GET", "jobs/%d/stdout/?format=txt" % job["id"],
                            headers={"Accept": "*/*"}).text
    assert "hello awx.awx" in stdout
    project = awx_server.api("GET", "projects/?name=%s-project" % prefix).json()["results"][0]
    assert project["status"] == "successful" and project["scm_revision"]
    jt = awx_server.api("GET", "job_templates/?name=%s-jt" % prefix).json()["results"][0]
    assert [c["name"] for c in jt["summary_fields"]["credentials"]] == [prefix + "-cred"]
    assert jt["survey_enabled"] is True
    assert CANARY not in run.stdout

    again = run_playbook(play)
    assert again.rc == 0, again.stdout[-4000:]
    for task in ("organization", "credential", "project", "inventory", "host", "label", "job template"):
        assert again.result(task)["changed"] is False, task


def test_gitops_job_wait_on_project_updates(awx_server, run_playbook, git_repo):
    """gitops.awx.job_wait waits for a project update and reports its outcome and output."""
    prefix = "pu-%s" % uuid.uuid4().hex[:8]
    good = awx_server.api("POST", "projects/", json={
        "name": prefix + "-good", "organization": 1, "scm_type": "git",
        "scm_url": "file://" + git_repo}).json()
    bad = awx_server.api("POST", "projects/", json={
        "name": prefix + "-bad", "organization": 1, "scm_type": "git",
        "scm_url": "file://" + git_repo + "-missing"}).json()
    ids = [int(p["related"]["current_update"].rstrip("/").split("/")[-1]) for p in (good, bad)]
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "wait good", "gitops.awx.job_wait": {"job_id": ids[0], "job_type": "project_updates",
                                                      "timeout": 120}},
        {"name": "wait bad", "gitops.awx.job_wait": {"job_id": ids[1], "job_type": "project_updates",
                                                     "timeout": 120}, "ignore_errors": True},
    ]}]
    run = run_playbook(play)
    good_result, bad_result = run.result("wait good"), run.result("wait bad")
    assert good_result["status"] == "successful", run.stdout[-3000:]
    assert any("Repository Version" in line for line in good_result["stdout_lines"])
    assert bad_result["failed"] and bad_result["status"] == "failed"
    assert "does not appear to be a git repository" in run.stdout
    for project in (good, bad):
        awx_server.api("DELETE", "projects/%d/" % project["id"])
