"""The EXAMPLES of the api lookup and of the awx inventory plugin, run as written against a
server of their own (the examples name objects such as the inventory "prod" in "Default",
which must not collide with other tests' data)."""
import ast
import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from tests.conftest import COLLECTIONS_PATH, REPO_ROOT
from tests.integration.conftest import start_simulator

pytestmark = pytest.mark.integration

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects", "demo")
BIN = os.path.dirname(sys.executable)


def _docs(relative_path, name):
    tree = ast.parse(open(os.path.join(REPO_ROOT, relative_path)).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return node.value.value
    raise AssertionError("%s has no %s" % (relative_path, name))


def _created(response):
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.text else None


@pytest.fixture(scope="module")
def example_world(tmp_path_factory):
    """A fresh server with what the examples talk about: inventory prod in Default with web1,
    web2 and db1 (db1 disabled), and the job template Deploy."""
    if os.environ.get("GITOPS_AWX_TEST_HOST"):
        pytest.skip("the examples need a server of their own")
    server = start_simulator(str(tmp_path_factory.mktemp("awxsim-examples")))
    try:
        api = server.api
        org = api("GET", "organizations/", params={"name": "Default"}).json()["results"][0]
        inv = _created(api("POST", "inventories/", json={"name": "prod", "organization": org["id"],
                                                         "variables": "env: prod"}))
        for name, enabled in (("web1", True), ("web2", True), ("db1", False)):
            _created(api("POST", "hosts/", json={"name": name, "inventory": inv["id"], "enabled": enabled,
                                                 "variables": "address: 10.0.0.%d" % (len(name) + 1)}))
        shutil.copytree(PROJECT, os.path.join(server.projects_root, "demo"))
        project = _created(api("POST", "projects/", json={"name": "demo", "organization": org["id"],
                                                          "scm_type": "", "local_path": "demo"}))
        _created(api("POST", "job_templates/", json={"name": "Deploy", "inventory": inv["id"],
                                                     "project": project["id"], "playbook": "hello.yml"}))
        token = _created(api("POST", "tokens/", json={"scope": "read", "description": "examples"}))
        yield server, token["token"]
    finally:
        server.stop()


def _env(server):
    env = dict(os.environ)
    env.update(server.env())
    env.update({"ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH, "ANSIBLE_NOCOLOR": "true",
                "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
                "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true", "PATH": BIN + os.pathsep + env.get("PATH", "")})
    return env


def test_lookup_examples_run(example_world, tmp_path):
    server, token = example_world
    tasks = yaml.safe_load(_docs("plugins/lookup/api.py", "EXAMPLES"))
    playbook = tmp_path / "examples.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}],
                                       sort_keys=False))
    proc = subprocess.run(
        [os.path.join(BIN, "ansible-playbook"), "-i", "localhost,", str(playbook),
         "-e", json.dumps({"awx_url": server.url, "my_token": token})],
        env=_env(server), capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "ok=%d" % len(tasks) in proc.stdout and "failed=0" in proc.stdout


def test_inventory_example_runs(example_world, tmp_path):
    server, _token = example_world
    config = yaml.safe_load(_docs("plugins/inventory/awx.py", "EXAMPLES"))  # the first, uncommented example
    path = tmp_path / "prod.awx.yml"
    path.write_text(yaml.safe_dump(config))
    proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(path), "--list"],
                          env=_env(server), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    listing = json.loads(proc.stdout)
    assert sorted(listing["_meta"]["hostvars"]) == ["web1", "web2"]  # db1 is disabled in AWX
