"""AWX's preloaded demo objects: present on a fresh server, runnable offline, optional."""
import os
import subprocess
import sys
import time

import requests

from tests.conftest import REPO_ROOT
from tests.integration.conftest import _free_port

FINISHED = ("successful", "failed", "error", "canceled")
# The Demo Project's repository has a fixed author, dates and files: a fixed revision.
DEMO_REVISION_LENGTH = 40


def test_demo_objects(api):
    jt = api.get("job_templates/?name=Demo Job Template").json()["results"][0]
    assert jt["playbook"] == "hello_world.yml"
    assert [c["name"] for c in jt["summary_fields"]["credentials"]] == ["Demo Credential"]
    project = api.get("projects/%d/" % jt["project"]).json()
    assert project["name"] == "Demo Project" and project["scm_type"] == "git"
    assert project["scm_update_on_launch"] is True and project["status"] == "never updated"
    assert project["scm_url"].startswith("file://")
    inventory = api.get("inventories/%d/" % jt["inventory"]).json()
    assert inventory["name"] == "Demo Inventory"
    hosts = api.get("inventories/%d/hosts/" % inventory["id"]).json()["results"]
    assert [h["name"] for h in hosts] == ["localhost"]
    assert "ansible_connection: local" in hosts[0]["variables"]
    assert "ansible_python_interpreter: '{{ ansible_playbook_python }}'" in hosts[0]["variables"]
    cred = api.get("credentials/?name=Demo Credential").json()["results"][0]
    assert cred["inputs"] == {"username": "admin"} and cred["organization"] is None


def test_demo_job_template_runs_offline(api):
    jt = api.get("job_templates/?name=Demo Job Template").json()["results"][0]
    job = api.post("job_templates/%d/launch/" % jt["id"], json={}).json()
    deadline = time.monotonic() + 90
    while job["status"] not in FINISHED and time.monotonic() < deadline:
        time.sleep(0.3)
        job = api.get("jobs/%d/" % job["id"]).json()
    assert job["status"] == "successful", job["job_explanation"]
    assert len(job["scm_revision"]) == DEMO_REVISION_LENGTH
    out = api.get("jobs/%d/stdout/?format=txt" % job["id"], headers={"Accept": "*/*"}).text
    assert "Hello World!" in out
    project = api.get("projects/%d/" % jt["project"]).json()
    assert project["status"] == "successful" and project["scm_revision"] == job["scm_revision"]
    assert api.get("projects/%d/playbooks/" % project["id"]).json() == ["hello_world.yml"]


def _start(workdir, *extra):
    port = _free_port()
    log = open(os.path.join(workdir, "awxsim.log"), "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "awxsim", "--host", "127.0.0.1", "--port", str(port),
         "--projects-root", os.path.join(workdir, "projects")] + list(extra),
        cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/api/v2/ping/", timeout=1).status_code == 200:
                return process, url
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("awxsim did not start")


def test_same_revision_on_every_server_and_no_demo_data(tmp_path):
    revisions = []
    for index, extra in enumerate(((), (), ("--no-demo-data",))):
        workdir = str(tmp_path / str(index))
        os.makedirs(workdir)
        process, url = _start(workdir, *extra)
        try:
            names = [p["name"] for p in requests.get(
                url + "/api/v2/projects/", auth=("admin", "password"), timeout=30).json()["results"]]
            templates = requests.get(url + "/api/v2/job_templates/", auth=("admin", "password"),
                                     timeout=30).json()["count"]
        finally:
            process.terminate()
            process.wait(10)
        if extra:
            assert names == [] and templates == 0
        else:
            assert names == ["Demo Project"] and templates == 1
            repo = os.path.join(workdir, "projects", ".awxsim_demo_project")
            revisions.append(subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True,
                                            capture_output=True, text=True).stdout.strip())
    # Two fresh servers made the Demo Project's repository with the same revision.
    assert len(revisions) == 2 and revisions[0] == revisions[1]
