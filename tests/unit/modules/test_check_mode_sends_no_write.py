"""Every module in plugins/modules, run in check mode, sends no POST/PATCH/PUT/DELETE.

Modules are discovered from the directory, so a new module is covered the day it
lands.  ``SCENARIOS`` gives a module realistic state and parameters (several
per module: create, update, delete ...); a module without an entry still runs,
with placeholder values for its required options, and must still send no write.
Each scenario also runs for real once, to prove that it would have written:
otherwise "no write in check mode" would prove nothing.
"""
import copy
import os

import pytest

from tests.conftest import REPO_ROOT
from tests.unit.modules.conftest import run_module_main
from tests.unit.modules.fake_awx import WRITE_METHODS
from tests.unit.modules.scenarios_credentials import CREDENTIAL_SCENARIOS

MODULES_DIR = os.path.join(REPO_ROOT, "plugins", "modules")
# GET job_templates/<id>/launch/ as AWX 24.6.1 answers it (recorded), trimmed.
LAUNCH_INFO = {
    "ask_credential_on_launch": False, "ask_diff_mode_on_launch": False,
    "ask_execution_environment_on_launch": False, "ask_forks_on_launch": False,
    "ask_instance_groups_on_launch": False, "ask_inventory_on_launch": False,
    "ask_job_slice_count_on_launch": False, "ask_job_type_on_launch": False,
    "ask_labels_on_launch": False, "ask_limit_on_launch": True, "ask_scm_branch_on_launch": False,
    "ask_skip_tags_on_launch": False, "ask_tags_on_launch": False, "ask_timeout_on_launch": False,
    "ask_variables_on_launch": False, "ask_verbosity_on_launch": False,
    "can_start_without_user_input": True, "credential_needed_to_start": False,
    "defaults": {"diff_mode": False, "execution_environment": {}, "extra_vars": "", "forks": 0,
                 "instance_groups": [], "inventory": {"id": 47, "name": "prod"},
                 "job_slice_count": 1, "job_tags": "", "job_type": "run", "limit": "",
                 "scm_branch": "", "skip_tags": "", "timeout": 0, "verbosity": 0},
    "inventory_needed_to_start": False, "passwords_needed_to_start": [], "survey_enabled": False,
    "variables_needed_to_start": [],
}


def discover_modules():
    return sorted(name[:-3] for name in os.listdir(MODULES_DIR)
                  if name.endswith(".py") and not name.startswith("_"))


def _org_inv(awx):
    org = awx.add("organizations", name="Default")
    inv = awx.add("inventories", name="prod", organization=org)
    return org, inv


def host_create(awx):
    _org_inv(awx)
    return {"name": "web1", "inventory": "prod", "organization": "Default", "variables": {"a": 1}}


def host_update(awx):
    _org, inv = _org_inv(awx)
    awx.add("hosts", name="web1", inventory=inv, enabled=True)
    return {"name": "web1", "inventory": "prod", "enabled": False, "new_name": "web01"}


def host_delete(awx):
    _org, inv = _org_inv(awx)
    awx.add("hosts", name="web1", inventory=inv)
    return {"name": "web1", "inventory": "prod", "state": "absent"}


def inventory_create(awx):
    awx.add("organizations", name="Default")
    awx.add("instance_groups", name="default")
    return {"name": "prod", "organization": "Default", "instance_groups": ["default"]}


def inventory_update(awx):
    _org, inv = _org_inv(awx)
    ig = awx.add("instance_groups", name="default")
    awx.add("instance_groups", name="other")
    awx.associate("inventories", inv, "instance_groups", [ig])
    return {"name": "prod", "organization": "Default", "variables": "x: 1",
            "instance_groups": ["other"]}


def inventory_copy(awx):
    org, inv = _org_inv(awx)
    ig = awx.add("instance_groups", name="default")
    awx.associate("inventories", inv, "instance_groups", [ig])
    awx.add("inventories", name="web", organization=org)
    return {"name": "staging", "organization": "Default", "copy_from": "prod",
            "kind": "constructed", "input_inventories": ["web", "prod"],
            "instance_groups": ["default"]}


def inventory_delete(awx):
    _org_inv(awx)
    return {"name": "prod", "organization": "Default", "state": "absent"}


def organization_create(awx):
    awx.add("instance_groups", name="default")
    return {"name": "Platform", "instance_groups": ["default"], "max_hosts": 3}


def organization_update(awx):
    org = awx.add("organizations", name="Platform")
    galaxy = awx.add("credential_types", name="Galaxy", kind="galaxy")
    first = awx.add("credentials", name="one", credential_type=galaxy)
    awx.add("credentials", name="two", credential_type=galaxy)
    awx.associate("organizations", org, "galaxy_credentials", [first])
    return {"name": "Platform", "description": "new", "galaxy_credentials": ["two", "one"]}


def organization_notifications(awx):
    org = awx.add("organizations", name="Platform")
    a = awx.add("instance_groups", name="a")
    b = awx.add("instance_groups", name="b")
    awx.associate("organizations", org, "instance_groups", [a, b])
    nt = awx.add("notification_templates", name="slack", organization=org)
    awx.associate("organizations", org, "notification_templates_error", [nt])
    return {"name": "Platform", "instance_groups": ["b", "a"],
            "notification_templates_error": [], "notification_templates_started": ["slack"]}


def organization_delete(awx):
    awx.add("organizations", name="Platform")
    return {"name": "Platform", "state": "absent"}


def job_launch(awx):
    info = copy.deepcopy(LAUNCH_INFO)
    jt = awx.add("job_templates", name="deploy")
    info["job_template_data"] = {"id": jt, "name": "deploy", "description": ""}
    awx.routes["/api/v2/job_templates/%d/launch/" % jt] = info
    return {"name": "deploy", "limit": "web1"}


def job_cancel(awx):
    job = awx.add("jobs", name="deploy", status="running")
    awx.routes["/api/v2/jobs/%d/cancel/" % job] = {"can_cancel": True}
    return {"job_id": job}


def job_wait(awx):
    job = awx.add("jobs", name="deploy", status="successful")
    return {"job_id": job, "interval": 0.5}


GIT_PROJECT = {"name": "Playbooks", "organization": "Default", "scm_type": "git",
               "scm_url": "file:///srv/git/p.git"}
SURVEY = {"name": "s", "description": "", "spec": [
    {"question_name": "q", "variable": "v", "type": "text", "required": False, "default": "a"},
    {"question_name": "p", "variable": "pw", "type": "password", "required": False,
     "default": "pw"}]}


def project_create(awx):
    awx.add("organizations", name="Default")
    return dict(GIT_PROJECT, update_project=True)


def project_update_branch(awx):
    org = awx.add("organizations", name="Default")
    awx.add("projects", name="Playbooks", organization=org, scm_type="git",
            scm_url="file:///srv/git/p.git")
    return dict(GIT_PROJECT, scm_branch="release", update_project=True)


def project_delete(awx):
    org = awx.add("organizations", name="Default")
    project = awx.add("projects", name="Playbooks", organization=org)
    return {"name": str(project), "state": "absent"}


def project_update_run(awx):
    awx.add("projects", name="Playbooks", scm_type="git", scm_url="file:///srv/git/p.git")
    return {"name": "Playbooks"}


def _job_template_world(awx):
    org = awx.add("organizations", name="Default")
    awx.add("projects", name="P", organization=org)
    awx.add("inventories", name="I", organization=org)
    awx.add("credentials", name="c1", organization=org)
    awx.add("labels", name="l1", organization=org)
    return org


def job_template_create(awx):
    _job_template_world(awx)
    return {"name": "JT", "organization": "Default", "project": "P", "inventory": "I",
            "playbook": "hello.yml", "credentials": ["c1"], "labels": ["l1"],
            "survey_enabled": True, "survey_spec": SURVEY}


def job_template_survey_change(awx):
    org = _job_template_world(awx)
    jt = awx.add("job_templates", name="JT", organization=org, playbook="hello.yml")
    awx.get("job_templates", jt)["_survey"] = SURVEY
    changed = dict(SURVEY, spec=[dict(SURVEY["spec"][0], default="b"), SURVEY["spec"][1]])
    return {"name": "JT", "organization": "Default", "survey_spec": changed, "labels": ["l1"]}


def job_template_delete(awx):
    org = _job_template_world(awx)
    awx.add("job_templates", name="JT", organization=org)
    return {"name": "JT", "organization": "Default", "state": "absent"}


# module -> [(scenario name, setup(awx) -> params)]
SCENARIOS = {
    "host": [("create", host_create), ("update", host_update), ("delete", host_delete)],
    "inventory": [("create", inventory_create), ("update", inventory_update),
                  ("copy", inventory_copy), ("delete", inventory_delete)],
    "organization": [("create", organization_create), ("update", organization_update),
                     ("notifications", organization_notifications),
                     ("delete", organization_delete)],
    "job_launch": [("launch", job_launch)],
    "job_cancel": [("cancel", job_cancel)],
    "job_wait": [("finished job", job_wait)],
    "project": [("create", project_create), ("update", project_update_branch),
                ("delete by id", project_delete)],
    "project_update": [("update", project_update_run)],
    "job_template": [("create", job_template_create), ("survey", job_template_survey_change),
                     ("delete", job_template_delete)],
}

SCENARIOS.update(CREDENTIAL_SCENARIOS)

# Modules that never write, even for real (they only read and wait).
READ_ONLY_MODULES = {"job_wait"}


def placeholder_params(module_name):
    """Required options of a module without a scenario, filled with harmless values."""
    from ansible_collections.gitops.awx.plugins.module_utils import _module
    captured = {}

    class Capture(Exception):
        pass

    def stub(argument_spec, **kwargs):
        captured.update(argument_spec)
        raise Capture()

    original = _module.AnsibleModule
    _module.AnsibleModule = stub
    try:
        run_module_main(module_name, {})
    except Capture:
        pass
    finally:
        _module.AnsibleModule = original
    values = {"int": 1, "float": 1.0, "bool": False, "list": ["x"], "dict": {}}
    return dict((name, values.get(spec.get("type", "str"), "x")) for name, spec in captured.items()
                if spec.get("required"))


def cases():
    for module_name in discover_modules():
        scenarios = SCENARIOS.get(module_name)
        if scenarios is None:
            yield pytest.param(module_name, None, id="%s-placeholder" % module_name)
            continue
        for name, setup in scenarios:
            yield pytest.param(module_name, setup, id="%s-%s" % (module_name, name))


def test_every_module_is_discovered():
    assert {"host", "inventory", "organization"} <= set(discover_modules())


@pytest.mark.parametrize("module_name, setup", list(cases()))
def test_check_mode_sends_no_write(awx, module_name, setup):
    params = setup(awx) if setup else placeholder_params(module_name)
    result = run_module_main(module_name, params, check_mode=True, diff=True)
    writes = [c for c in awx.calls if c[0] in WRITE_METHODS]
    assert writes == [], "%s sent %s in check mode" % (module_name, writes)
    if setup is None:
        return
    assert not result["failed"], result.get("msg")
    if module_name in READ_ONLY_MODULES:
        return
    assert result["changed"], "the scenario should need a change"
    # The same scenario for real does write: the check above was not vacuous.
    run_module_main(module_name, params, diff=True)
    assert [c for c in awx.calls if c[0] in WRITE_METHODS], "%s wrote nothing for real" % module_name
