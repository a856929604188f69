"""The EXAMPLES of project, project_update and job_template, as documented, run against the
local server (AWX's demo objects, arranged when the server has none)."""
import os
import uuid

import pytest
import yaml

from ansible_collections.gitops.awx.plugins.modules import job_template, project, project_update
from tests.integration.test_automation import make_git_repo
from tests.integration.test_job_template import credential_type_id

pytestmark = pytest.mark.integration

HELLO_WORLD = """---
- name: Hello World Sample
  hosts: all
  gather_facts: false
  tasks:
    - name: Hello Message
      ansible.builtin.debug:
        msg: "Hello World!"
"""


def _first(awx_server, endpoint, **params):
    found = awx_server.api("GET", endpoint, params=params).json()
    return found["results"][0] if found.get("count") else None


def _ensure(awx_server, endpoint, body, **lookup):
    found = _first(awx_server, endpoint, **lookup)
    if found is not None:
        return found
    response = awx_server.api("POST", endpoint, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _demo_objects(awx_server):
    """AWX's demo objects (Default, Demo Inventory, Demo Credential, Demo Project) and a label."""
    org = _ensure(awx_server, "organizations/", {"name": "Default"}, name="Default")
    _ensure(awx_server, "inventories/", {"name": "Demo Inventory", "organization": org["id"]},
            name="Demo Inventory")
    me = awx_server.api("GET", "me/").json()["results"][0]
    # AWX's demo credential belongs to the admin user, not to an organization.
    _ensure(awx_server, "credentials/", {"name": "Demo Credential", "credential_type":
                                         credential_type_id(awx_server, "Machine"),
                                         "user": me["id"], "inputs": {"username": "admin"}},
            name="Demo Credential")
    if _first(awx_server, "projects/", name="Demo Project") is None:
        path = os.path.join(awx_server.projects_root, "demo_project_examples")
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "hello_world.yml"), "w") as handle:
            handle.write(HELLO_WORLD)
        _ensure(awx_server, "projects/", {"name": "Demo Project", "organization": org["id"],
                                          "scm_type": "", "local_path": "demo_project_examples"},
                name="Demo Project")
    _ensure(awx_server, "labels/", {"name": "deploy", "organization": org["id"]},
            name="deploy", organization=org["id"])


def _tasks(module):
    return yaml.safe_load(module.EXAMPLES)


def test_job_template_examples_run(run_playbook, awx_server):
    if not awx_server.projects_root:
        pytest.skip("needs the local server")
    _demo_objects(awx_server)
    setup = []
    if _first(awx_server, "projects/", name="Demo Project").get("scm_type"):
        # AWX's demo project is a git project that may never have been updated: its
        # playbooks are known once it is (AWX checks a template's playbook against them).
        setup = [{"name": "Sync the demo project", "gitops.awx.project_update": {
            "project": "Demo Project", "organization": "Default", "interval": 0.5}}]
    examples = _tasks(job_template)
    play = [{"name": "job_template examples", "hosts": "localhost", "gather_facts": False,
             "tasks": setup + examples}]
    run = run_playbook(play)
    assert run.rc == 0, run.stdout[-4000:]
    assert run.changed == len(setup) + len(examples)


def test_project_and_project_update_examples_run(run_playbook, awx_server, tmp_path):
    if not awx_server.is_simulator:
        pytest.skip("the examples' repository is a local one")
    _ensure(awx_server, "organizations/", {"name": "Default"}, name="Default")
    repo_url = make_git_repo(str(tmp_path / ("repo-%s" % uuid.uuid4().hex[:6])))
    tasks = _tasks(project)
    play = [{"name": "project examples", "hosts": "localhost", "gather_facts": False,
             "vars": {"playbooks_repo": repo_url},
             "tasks": tasks[:-1] + _tasks(project_update) + tasks[-1:]}]
    run = run_playbook(play)
    assert run.rc == 0, run.stdout[-4000:]
    assert _first(awx_server, "projects/", name="Playbooks") is None
