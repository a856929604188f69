"""gitops.awx.project against the local AWX API server (real ansible-playbook runs)."""
import os
import shutil
import uuid

import pytest

pytestmark = pytest.mark.integration

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects", "demo")


def test_manual_project_playbook(run_playbook, awx_server):
    if not awx_server.projects_root:
        pytest.skip("needs the local server: the test copies its project to the projects root")
    prefix = "itproj-%s" % uuid.uuid4().hex[:6]
    shutil.copytree(PROJECT, os.path.join(awx_server.projects_root, prefix))
    run = run_playbook("project.yml", extravars={"prefix": prefix, "local_path": prefix})
    try:
        assert run.rc == 0, run.stdout[-4000:]
        assert run.failures == 0
    finally:
        org = awx_server.api("GET", "organizations/", params={"name": prefix + "-proj-org"}).json()
        for obj in org.get("results", []):
            awx_server.api("DELETE", "organizations/%d/" % obj["id"])


def test_git_project_playbook(run_playbook, awx_server, tmp_path):
    if not awx_server.is_simulator:
        pytest.skip("the repository is a local one")
    from tests.integration.test_automation import make_git_repo
    prefix = "itgit-%s" % uuid.uuid4().hex[:6]
    repo_url = make_git_repo(str(tmp_path / "repo"), branches=("other",))
    run = run_playbook("project_git.yml", extravars={"prefix": prefix, "repo_url": repo_url})
    try:
        assert run.rc == 0, run.stdout[-4000:]
        assert run.failures == 0
    finally:
        org = awx_server.api("GET", "organizations/", params={"name": prefix + "-git-org"}).json()
        for obj in org.get("results", []):
            awx_server.api("DELETE", "organizations/%d/" % obj["id"])
