"""The same playbooks through both entries: in the controller process and as modules.

Each playbook runs twice against the local server, once with the in-process path (the
default) and once with GITOPS_AWX_IN_PROCESS=false, each time with a fresh prefix so both
start from the same state.  Every task result (per loop item too) must be the same after
the volatile fields are taken out: ids become their order of appearance, the prefix a
placeholder, timestamps and durations are dropped.  Compared: changed, failed, the
objects, diffs, messages, warnings, invocation (masked module arguments) and skips.
"""
import json
import os
import re
import shutil
import uuid

import pytest

from tests.integration.test_job_modules import _vars, job_world  # noqa: F401  pylint: disable=unused-import
from tests.integration.test_job_template import jt_world  # noqa: F401  pylint: disable=unused-import

pytestmark = pytest.mark.integration

IN_PROCESS_MARK = "running in the controller process"
MODULE_MARK = "AnsiballZ_"
# Numbers that are ids of AWX objects (their values differ from run to run).
ID_KEYS = {
    "id", "inventory", "organization", "job_template", "project", "default_environment",
    "execution_environment", "unified_job_template", "instance_group", "credential",
    "last_job", "current_job", "current_update", "last_update", "inventory_source",
    "created_by", "modified_by", "job", "source_project", "webhook_credential",
    "source_credential", "target_credential",
}
ID_LIST_KEYS = {"instance_groups", "credentials", "labels", "galaxy_credentials", "input_inventories"}
DROPPED_KEYS = {"url", "related", "summary_fields", "elapsed", "polls", "started", "finished",
                "created", "modified", "last_job_run", "next_job_run", "_ansible_parsed",
                "local_path", "job_env", "event_processing_finished"}
OUTPUT_TAIL = "Last lines of output:"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")
# The secret fingerprint in a credential's description: a random salt each run, so by shape.
FINGERPRINT = re.compile(r"\bpbkdf2-sha256\$(\d+)\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=")


class _Ids:
    def __init__(self):
        self.seen = {}

    def __call__(self, value, space="id"):
        """``<space:n>``: the n-th distinct id of that kind (objects of one kind share ``id``)."""
        if isinstance(value, bool) or not isinstance(value, int):
            return value
        seen = self.seen.setdefault(space, {})
        return "<%s:%d>" % (space, seen.setdefault(value, len(seen) + 1))


def _kind(obj, outer):
    """Whose ids a dict holds: an AWX object's ``type``, the resource of a module result."""
    if isinstance(obj.get("type"), str):
        return obj["type"]
    for resource in ("host", "inventory", "organization"):
        if isinstance(obj.get(resource), dict):
            return resource
    return outer


def normalise(value, prefix, ids, key=None, kind="job"):
    if key == "msg" and isinstance(value, str) and OUTPUT_TAIL in value:
        head, tail = value.split(OUTPUT_TAIL, 1)
        return [normalise(head, prefix, ids, key)] + normalise(tail.splitlines(), prefix, ids, "stdout_lines")
    if isinstance(value, dict):
        kind = _kind(value, kind)
        return dict((k, normalise(v, prefix, ids, k, kind)) for k, v in sorted(value.items())
                    if k not in DROPPED_KEYS and not (isinstance(v, str) and TIMESTAMP.match(v)))
    if isinstance(value, list):
        if key == "stdout_lines":
            # The job's own output: its hosts run in parallel, so their lines interleave
            # freely and either host may be the last to fail.
            return sorted(re.sub(r"\bh\d\b", "h?", normalise(line, prefix, ids)) for line in value)
        if key in ID_LIST_KEYS:
            return [ids(item, key) if isinstance(item, int) else normalise(item, prefix, ids) for item in value]
        return [normalise(item, prefix, ids, key, kind) for item in value]
    if isinstance(value, int) and (key in ID_KEYS or (key or "").endswith("_id")):
        return ids(value, kind if key in ("id", "job") else key)
    if key == "name" and isinstance(value, str) and value.isdigit():
        return ids(int(value), "name")      # an object named by its id
    if isinstance(value, str):
        value = FINGERPRINT.sub(r"pbkdf2-sha256$\1$<salt>$<hash>", value.replace(prefix, "<prefix>"))
        value = re.sub(r"/(\d+)/", lambda m: "/%s/" % ids(int(m.group(1)), "path"), value)
        return re.sub(r"\b(job|id|token|update) (\d+)\b", lambda m: "%s %s" % (m.group(1), ids(int(m.group(2)), "path")),
                      value, flags=re.IGNORECASE)
    return value


def _results(run, prefix):
    ids = _Ids()
    return dict((task, normalise(results, prefix, ids)) for task, results in sorted(run.results.items()))


def _both_ways(run_playbook, playbook, make_vars):
    """Run ``playbook`` in-process then as modules; both results, normalised."""
    runs = []
    for in_process in (True, False):
        prefix = "itboth%s-%s" % ("in" if in_process else "mod", uuid.uuid4().hex[:6])
        run = run_playbook(playbook, extravars=make_vars(prefix), in_process=in_process,
                           env={"ANSIBLE_VERBOSITY": "3"})
        assert (IN_PROCESS_MARK in run.stdout) is in_process, run.stdout[-3000:]
        assert (MODULE_MARK in run.stdout) is not in_process, run.stdout[-3000:]
        runs.append((run, prefix))
    (inproc, inproc_prefix), (module, module_prefix) = runs
    assert inproc.rc == module.rc and inproc.stats == _renamed_stats(module.stats, inproc.stats)
    return _results(inproc, inproc_prefix), _results(module, module_prefix)


def _renamed_stats(stats, like):
    return dict((key, value) for key, value in stats.items() if key in like)


def _differences(one, other, path=""):
    """The paths where two normalised results differ, with both values."""
    if isinstance(one, dict) and isinstance(other, dict):
        return [found for key in sorted(set(one) | set(other))
                for found in _differences(one.get(key, "<missing>"), other.get(key, "<missing>"), "%s.%s" % (path, key))]
    if isinstance(one, list) and isinstance(other, list) and len(one) == len(other):
        return [found for index, pair in enumerate(zip(one, other))
                for found in _differences(pair[0], pair[1], "%s[%d]" % (path, index))]
    return [] if one == other else ["%s: %r != %r" % (path, one, other)]


def _assert_same(inproc, module):
    assert sorted(inproc) == sorted(module)
    for task in inproc:
        assert inproc[task] == module[task], "task %r differs (in-process != module):\n%s" % (
            task, "\n".join(_differences(inproc[task], module[task])))


@pytest.mark.parametrize("playbook", ["organization.yml", "inventory.yml", "host.yml"])
def test_resource_playbooks_give_the_same_results_both_ways(run_playbook, awx_server, playbook):
    inproc, module = _both_ways(run_playbook, playbook, lambda prefix: {"prefix": prefix})
    _assert_same(inproc, module)
    for prefix_start in ("itbothin-", "itbothmod-"):
        for endpoint in ("inventories/", "organizations/"):
            listing = awx_server.api("GET", endpoint, params={"name__startswith": prefix_start}).json()
            for obj in listing["results"]:
                awx_server.api("DELETE", "%s%d/" % (endpoint, obj["id"]))


@pytest.mark.parametrize("playbook", ["job_launch.yml", "job_launch_refused.yml", "job_wait_cancel.yml"])
def test_job_playbooks_give_the_same_results_both_ways(run_playbook, job_world, playbook):  # noqa: F811
    inproc, module = _both_ways(run_playbook, playbook, lambda _prefix: _vars(job_world))
    _assert_same(inproc, module)


@pytest.fixture
def token(awx_server):
    body = {"scope": "write", "description": "in-process edges"}
    created = awx_server.api("POST", "tokens/", json=body)
    assert created.status_code == 201, created.text
    yield created.json()["token"]
    awx_server.api("DELETE", "tokens/%d/" % created.json()["id"])


def test_edges_give_the_same_results_both_ways(run_playbook, awx_server, token):
    wrong = "Wr0ng-pass-%s" % uuid.uuid4().hex[:8]
    runs = {}
    for in_process in (True, False):
        prefix = "itedge%s-%s" % ("in" if in_process else "mod", uuid.uuid4().hex[:6])
        run = run_playbook("in_process_edges.yml", in_process=in_process,
                           extravars={"prefix": prefix, "wrong_password": wrong, "token": token},
                           env={"ANSIBLE_VERBOSITY": "4"})
        assert run.rc == 0, run.stdout[-4000:]
        # -vvvv included, no secret reaches the controller's output.  Ansible itself
        # echoes the task's `environment:` in the module's command line at -vvv (the
        # module path's "EXEC" lines); the in-process path runs no command.
        shown = run.stdout if in_process else "\n".join(
            line for line in run.stdout.splitlines() if "EXEC " not in line)
        for secret in (token, wrong):
            assert secret not in shown
        assert wrong not in json.dumps(run.results) and token not in json.dumps(run.results)
        runs[in_process] = (run, prefix)
    inproc = _results(*runs[True])
    module = _results(*runs[False])
    _assert_same(inproc, module)

    run = runs[True][0]
    # Three item results, then the loop's own (failed: one item failed).
    middle = run.results["Hosts, the middle one with invalid variables"][:3]
    assert [item.get("failed") for item in middle] == [False, True, False]
    assert middle[1]["msg"].startswith("variables: invalid YAML")
    wrong_item = run.results["Hosts, the middle one with a wrong password"][:3]
    assert [item.get("failed") for item in wrong_item] == [False, True, False]
    assert wrong_item[1]["status"] == 401
    unsupported = run.result("Unsupported parameters")["msg"]
    assert unsupported.startswith("Unsupported parameters for (gitops.awx.host) module: bogus. ")
    assert run.result("Missing required argument")["msg"] == "missing required arguments: job_id"
    assert "job_id" in run.result("Wrong type")["msg"]
    assert "verbosity" in run.result("Not one of the choices")["msg"]
    aliases = runs[True][0].result("Alias and option both set")
    assert any("Both option controller_host and its alias host are set" in str(w)
               for w in aliases.get("warnings", []))
    assert "127.0.0.1:9" in run.result("The task environment points elsewhere")["msg"]
    assert run.result("The task environment holds the wrong password")["status"] == 401
    assert not run.result("The controller environment is back after those")["failed"]
    described = run.results["Hosts with the token, no-op loop"][1]
    assert described["host"]["description"].startswith("the token is ")
    assert token not in described["host"]["description"]
    # The session tokens the loops created were deleted when their workers ended.
    leftovers = awx_server.api("GET", "tokens/", params={"description__startswith": "gitops.awx session token"}).json()
    assert leftovers["count"] == 0


def test_a_loop_ending_the_play_deletes_its_session_token(run_playbook, awx_server):
    """Ansible terminates the workers still alive when a play ends: the worker of a
    password loop must still delete the session token it made after three items."""
    if not awx_server.is_simulator:
        pytest.skip("request counts come from the local server")
    prefix = "itloopend-%s" % uuid.uuid4().hex[:6]
    org = awx_server.api("POST", "organizations/", json={"name": prefix}).json()
    inv = awx_server.api("POST", "inventories/", json={"name": prefix, "organization": org["id"]}).json()
    host = {"name": "h{{ item }}", "inventory": prefix, "organization": prefix}
    task = {"name": "hosts", "gitops.awx.host": host, "loop": "{{ range(6) | list }}"}
    plays = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}] * 2
    try:
        awx_server.reset_counts()
        run = run_playbook(plays)
        assert run.rc == 0, run.stdout[-3000:]
        counts = awx_server.request_counts()["by_path"]
        created = counts.get("POST /api/v2/tokens/", 0)
        deleted = sum(n for key, n in counts.items() if key.startswith("DELETE /api/v2/tokens/"))
        assert created == 2 and deleted == 2, counts       # one token per loop, not per item
        leftovers = awx_server.api("GET", "tokens/", params={"description__startswith": "gitops.awx session token"})
        assert leftovers.json()["count"] == 0
    finally:
        awx_server.api("DELETE", "inventories/%d/" % inv["id"])
        awx_server.api("DELETE", "organizations/%d/" % org["id"])


def test_delegate_to_localhost_runs_in_the_controller(run_playbook, awx_server):
    """A play on a remote host (never reached here) with the task delegated to localhost."""
    prefix = "itdelegate-%s" % uuid.uuid4().hex[:6]
    plays = [
        {"hosts": "localhost", "gather_facts": False, "tasks": [{"ansible.builtin.add_host": {
            "name": "remote1", "ansible_host": "192.0.2.1", "ansible_connection": "ssh"}}]},
        {"hosts": "remote1", "gather_facts": False, "tasks": [
            {"name": "delegated", "delegate_to": "localhost",
             "gitops.awx.organization": {"name": prefix}},
            {"name": "delegated, off", "delegate_to": "localhost", "vars": {"gitops_awx_in_process": False},
             "gitops.awx.organization": {"name": prefix, "state": "absent"}},
        ]},
    ]
    run = run_playbook(plays, env={"ANSIBLE_VERBOSITY": "3"})
    assert run.rc == 0, run.stdout[-3000:]
    assert run.result("delegated")["changed"] and run.result("delegated, off")["changed"]
    assert run.stdout.count(IN_PROCESS_MARK) == 1 and MODULE_MARK in run.stdout


def _cleanup(awx_server, prefixes, endpoints):
    for prefix_start in prefixes:
        for endpoint in endpoints:
            listing = awx_server.api("GET", endpoint, params={"name__startswith": prefix_start}).json()
            for obj in listing["results"]:
                awx_server.api("DELETE", "%s%d/" % (endpoint, obj["id"]))


FAMILY_ENDPOINTS = ("credentials/", "credential_types/", "execution_environments/", "labels/",
                    "projects/", "organizations/")


@pytest.mark.parametrize("playbook", ["credential.yml", "credential_type.yml", "credential_input_source.yml",
                                      "execution_environment.yml", "label.yml"])
def test_credential_family_playbooks_give_the_same_results_both_ways(run_playbook, awx_server, playbook):
    if playbook == "credential_input_source.yml":
        allowed = awx_server.api("OPTIONS", "credential_input_sources/").headers.get("Allow", "")
        if "POST" not in allowed:
            pytest.skip("this server does not create credential input sources (Allow: %s)" % allowed)
    secrets = {"password": "canary-%s-Pw" % uuid.uuid4().hex, "new_password": "canary-%s-Rot" % uuid.uuid4().hex}
    try:
        inproc, module = _both_ways(run_playbook, playbook, lambda prefix: dict(secrets, prefix=prefix))
        _assert_same(inproc, module)
    finally:
        _cleanup(awx_server, ("itbothin-", "itbothmod-"), FAMILY_ENDPOINTS)


def test_project_playbook_gives_the_same_results_both_ways(run_playbook, awx_server):
    """project and project_update (a manual project: its update runs in the server)."""
    if not awx_server.projects_root:
        pytest.skip("needs the local server: the test copies its project to the projects root")
    from tests.integration.test_project import PROJECT

    def make_vars(prefix):
        shutil.copytree(PROJECT, os.path.join(awx_server.projects_root, prefix))
        return {"prefix": prefix, "local_path": prefix}
    try:
        inproc, module = _both_ways(run_playbook, "project.yml", make_vars)
        _assert_same(inproc, module)
    finally:
        _cleanup(awx_server, ("itbothin-", "itbothmod-"), FAMILY_ENDPOINTS)


def test_job_template_playbook_gives_the_same_results_both_ways(run_playbook, awx_server, jt_world):  # noqa: F811
    """One world (organization, project, inventory, credentials, labels) for both runs;
    the job template and its fresh label are named after each run's prefix."""
    world = dict((k, v) for k, v in jt_world.items() if k != "org_id")
    canary = "canary-%s" % uuid.uuid4().hex
    inproc, module = _both_ways(run_playbook, "job_template.yml",
                                lambda prefix: dict(world, prefix=prefix, canary=canary))
    _assert_same(inproc, module)


def test_a_become_task_runs_as_a_module(run_playbook, awx_server):
    """become changes the user on the target: the in-process path steps aside."""
    prefix = "itbecome-%s" % uuid.uuid4().hex[:6]
    plays = [{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "become", "become": True, "become_method": "su", "become_user": "root",
         "gitops.awx.organization": {"name": prefix}},
        {"name": "plain", "gitops.awx.organization": {"name": prefix, "state": "absent"}},
    ]}]
    run = run_playbook(plays, env={"ANSIBLE_VERBOSITY": "3"})
    assert run.rc == 0, run.stdout[-3000:]
    assert run.result("become")["changed"] and run.result("plain")["changed"]
    become_part, plain_part = run.stdout.split("TASK [plain]", 1)
    assert MODULE_MARK in become_part and IN_PROCESS_MARK not in become_part, become_part[-3000:]
    assert IN_PROCESS_MARK in plain_part and MODULE_MARK not in plain_part, plain_part[-3000:]
