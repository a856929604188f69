"""Every module is tested and documented.

For each file in plugins/modules: a unit test file, an integration playbook, and
documentation that ``ansible-doc`` renders (fragments merged) with
``attributes`` (check_mode, diff_mode, action_group), EXAMPLES that parse and use
the module, a RETURN, options that match the module's real argument_spec, and
membership in the ``awx`` action group of meta/runtime.yml.
"""
import glob
import importlib
import json
import os
import subprocess
import sys

import pytest
import yaml

from tests.conftest import COLLECTIONS_PATH, REPO_ROOT
from tests.unit.modules.test_check_mode_sends_no_write import discover_modules
from tests.unit.modules.conftest import run_module_main

MODULES = discover_modules()
ANSIBLE_DOC = os.path.join(os.path.dirname(sys.executable), "ansible-doc")


@pytest.fixture(scope="module")
def docs():
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_PATH, ANSIBLE_NOCOLOR="1")
    names = ["gitops.awx.%s" % m for m in MODULES]
    proc = subprocess.run([ANSIBLE_DOC, "-t", "module", "-j"] + names, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def argument_spec_of(module_name):
    """The argument_spec the module really builds (captured at AnsibleModule())."""
    from ansible_collections.gitops.awx.plugins.module_utils import _module
    captured = {}

    class Captured(Exception):
        pass

    def capture(argument_spec, **kwargs):
        captured.update(argument_spec)
        raise Captured()

    original = _module.AnsibleModule
    _module.AnsibleModule = capture
    try:
        run_module_main(module_name, {})
    except Captured:
        pass
    finally:
        _module.AnsibleModule = original
    assert captured, "%s does not build its AnsibleModule through _module.run_module" % module_name
    return captured


@pytest.mark.parametrize("module_name", MODULES)
def test_module_has_a_unit_test_file(module_name):
    assert os.path.exists(os.path.join(REPO_ROOT, "tests", "unit", "modules",
                                       "test_%s.py" % module_name))


@pytest.mark.parametrize("module_name", MODULES)
def test_module_has_an_integration_playbook(module_name):
    """Some playbook under tests/integration/playbooks runs the module as a task."""
    pattern = os.path.join(REPO_ROOT, "tests", "integration", "playbooks", "*.yml")
    users = []
    for path in glob.glob(pattern):
        with open(path) as handle:
            plays = yaml.safe_load(handle) or []
        for play in plays:
            for task in _tasks(play):
                if "gitops.awx.%s" % module_name in task:
                    users.append(os.path.basename(path))
    assert users, "no integration playbook runs gitops.awx.%s" % module_name


def _tasks(node):
    """Every task of a play, blocks included."""
    for key in ("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always"):
        for task in node.get(key) or []:
            yield task
            yield from _tasks(task)


@pytest.mark.parametrize("module_name", MODULES)
def test_module_is_in_the_action_group(module_name):
    with open(os.path.join(REPO_ROOT, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    assert module_name in runtime["action_groups"]["awx"]


@pytest.mark.parametrize("module_name", MODULES)
def test_documentation_is_complete(docs, module_name):
    entry = docs["gitops.awx.%s" % module_name]
    doc = entry["doc"]
    assert doc.get("short_description") and doc.get("description")
    attributes = doc.get("attributes") or {}
    for name in ("check_mode", "diff_mode", "action_group"):
        assert name in attributes, "%s: attribute %s missing" % (module_name, name)
    assert "gitops.awx.awx" in attributes["action_group"]["membership"]
    assert entry.get("return"), "%s has no RETURN" % module_name
    examples = yaml.safe_load(entry["examples"])
    assert examples and all(isinstance(task, dict) for task in examples)
    used = [task for task in examples if "gitops.awx.%s" % module_name in task]
    assert used, "%s: no example uses the module" % module_name


@pytest.mark.parametrize("module_name", MODULES)
def test_documented_options_match_the_argument_spec(docs, module_name):
    documented = docs["gitops.awx.%s" % module_name]["doc"]["options"]
    spec = argument_spec_of(module_name)
    assert sorted(documented) == sorted(spec)
    for name, option in spec.items():
        doc = documented[name]
        assert doc.get("type", "str") == option.get("type", "str"), name
        assert bool(doc.get("required")) == bool(option.get("required")), name
        assert doc.get("default") == option.get("default"), name
        if option.get("choices") is not None:
            assert list(doc.get("choices")) == list(option["choices"]), name
        if option.get("elements"):
            assert doc.get("elements") == option["elements"], name
        assert sorted(doc.get("aliases") or []) == sorted(option.get("aliases") or []), name


@pytest.mark.parametrize("module_name", MODULES)
def test_module_has_an_action_plugin_pointing_to_the_shared_implementation(module_name):
    """plugins/action/<module>.py is the in-process entry: one import of the shared class,
    which runs the module's own ENTRY (the one its main() runs)."""
    from ansible.plugins.loader import action_loader
    from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry
    from ansible_collections.gitops.awx.plugins.plugin_utils import _in_process

    path = os.path.join(REPO_ROOT, "plugins", "action", "%s.py" % module_name)
    assert os.path.exists(path), "gitops.awx.%s has no action plugin" % module_name
    with open(path) as handle:
        code = [line for line in handle.read().splitlines()
                if line.strip() and not line.startswith("#") and not line.startswith('"""')]
    assert code[-1].startswith("from ansible_collections.gitops.awx.plugins.plugin_utils._in_process "
                               "import ActionModule"), code
    assert len(code) == 3, code      # __future__ import, __metaclass__, the pointer
    action = importlib.import_module("ansible_collections.gitops.awx.plugins.action." + module_name)
    assert action.ActionModule is _in_process.ActionModule
    module = importlib.import_module("ansible_collections.gitops.awx.plugins.modules." + module_name)
    assert isinstance(module.ENTRY, ModuleEntry)
    assert _in_process.load_entry("gitops.awx." + module_name) is module.ENTRY
    assert argument_spec_of(module_name) == module.ENTRY.argument_spec
    assert os.path.realpath(action_loader.find_plugin("gitops.awx." + module_name)) == os.path.realpath(path)
