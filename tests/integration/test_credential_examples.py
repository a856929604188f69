"""The EXAMPLES of credential_type, credential, credential_input_source, execution_environment and
label, run as written against a server of their own (they name objects such as the credential
"deploy" in "Default", and a label cannot be deleted afterwards)."""
import ast
import os

import pytest
import yaml

from tests.conftest import REPO_ROOT
from tests.integration.conftest import start_simulator

pytestmark = pytest.mark.integration

# module -> tasks that change something when its examples run in order on a fresh server
# (the second and third credential examples declare what the first made: no change).
CHANGED = {"credential_type": 2, "execution_environment": 3, "label": 2, "credential": 2,
           "credential_input_source": 4}
MODULES = sorted(CHANGED)


def _examples(module):
    tree = ast.parse(open(os.path.join(REPO_ROOT, "plugins", "modules", module + ".py")).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "EXAMPLES":
            return yaml.safe_load(node.value.value)
    raise AssertionError("%s has no EXAMPLES" % module)


@pytest.fixture(scope="module")
def example_server(tmp_path_factory):
    if os.environ.get("GITOPS_AWX_TEST_HOST"):
        pytest.skip("the examples need a server of their own")
    server = start_simulator(str(tmp_path_factory.mktemp("awxsim-cred-examples")))
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize("module", MODULES)
def test_examples_run(example_server, run_playbook, module):
    env = example_server.env()
    if module == "credential_input_source":
        allowed = example_server.api("OPTIONS", "credential_input_sources/").headers.get("Allow", "")
        if "POST" not in allowed:
            pytest.skip("this server does not create credential input sources (Allow: %s)" % allowed)
    tasks = _examples(module)
    setup = []
    if module == "credential_input_source":
        # what the examples talk about: the Machine credential "deploy" and a Vault lookup credential
        setup = [
            {"gitops.awx.credential": {"name": "deploy", "organization": "Default", "credential_type": "Machine",
                                       "inputs": {"username": "deploy"}}},
            {"gitops.awx.credential": {"name": "Example Vault", "organization": "Default",
                                       "credential_type": "HashiCorp Vault Secret Lookup",
                                       "inputs": {"url": "https://vault.example.com", "api_version": "v2"}}},
        ]
    play = [{"name": "%s examples" % module, "hosts": "localhost", "gather_facts": False,
             "tasks": setup + tasks}]
    run = run_playbook(play, env=env)
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    assert run.changed == CHANGED[module], run.stdout[-4000:]
