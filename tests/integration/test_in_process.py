"""The same playbooks through both entries: in the controller process and as modules.

Each playbook runs twice against the local server, once with the in-process path (the
default) and once with GITOPS_AWX_IN_PROCESS=false, each time with a fresh prefix so both
start from the same state.  Every task result (per loop item too) must be the same after
the volatile fields are taken out: ids become their order of appearance, the prefix a
placeholder, timestamps and durations are dropped.  Compared: changed, failed, the
objects, diffs, messages, warnings, invocation (masked module arguments) and skips.
"""
import json
import re
import uuid

import pytest

from tests.integration.test_job_modules import _vars, job_world  # noqa: F401  pylint: disable=unused-import

pytestmark = pytest.mark.integration

IN_PROCESS_MARK = "running in the controller process"
MODULE_MARK = "AnsiballZ_"
# Numbers that are ids of AWX objects (their values differ from run to run).
ID_KEYS = {
    "id", "inventory", "organization", "job_template", "project", "default_environment",
    "execution_environment", "unified_job_template", "instance_group", "credential",
    "last_job", "current_job", "current_update", "last_update", "inventory_source",
    "created_by", "modified_by", "job", "source_project", "webhook_credential",
}
ID_LIST_KEYS = {"instance_groups", "credentials", "labels", "galaxy_credentials", "input_inventories"}
DROPPED_KEYS = {"url", "related", "summary_fields", "elapsed", "polls", "started", "finished",
                "created", "modified", "last_job_run", "next_job_run", "_ansible_parsed",
                "local_path", "job_env", "event_processing_finished"}
OUTPUT_TAIL = "Last lines of output:"
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d")


class _Ids:
    def __init__(self):
        self.seen = {}

    def __call__(self, value, space="id"):
        """``<space:n>``: the n-th distinct id of that kind (objects of one kind share ``id``)."""
        if isinstance(value, bool) or not isinstance(value, int):
            return value
        seen = self.seen.setdefault(space, {})
        return "<%s:%d>" % (space, seen.setdefault(value, len(seen) + 1))


def normalise(value, prefix, ids, key=None):
    if isinstance(value, dict):
        return dict((k, normalise(v, prefix, ids, k)) for k, v in sorted(value.items())
                    if k not in DROPPED_KEYS and not (isinstance(v, str) and TIMESTAMP.match(v)))
    if key == "msg" and isinstance(value, str) and OUTPUT_TAIL in value:
        head, tail = value.split(OUTPUT_TAIL, 1)
        return [normalise(head, prefix, ids, key)] + normalise(tail.splitlines(), prefix, ids, "stdout_lines")
    if isinstance(value, list):
        if key == "stdout_lines":
            # The job's own output: its hosts run in parallel, so their lines interleave
            # freely and either host may be the last to fail.
            return sorted(re.sub(r"\bh\d\b", "h?", normalise(line, prefix, ids)) for line in value)
        if key in ID_LIST_KEYS:
            return [ids(item, key) for item in value]
        return [normalise(item, prefix, ids, key) for item in value]
    if isinstance(value, int) and (key in ID_KEYS or (key or "").endswith("_id")):
        return ids(value, "id" if key in ("id", "job") else key)
    if isinstance(value, str):
        value = value.replace(prefix, "<prefix>")
        value = re.sub(r"/(\d+)/", lambda m: "/%s/" % ids(int(m.group(1))), value)
        return re.sub(r"\b(job|id|token) (\d+)\b", lambda m: "%s %s" % (m.group(1), ids(int(m.group(2)))), value,
                      flags=re.IGNORECASE)
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


def _assert_same(inproc, module):
    assert sorted(inproc) == sorted(module)
    for task in inproc:
        assert inproc[task] == module[task], "task %r differs:\nin-process %s\nmodule     %s" % (
            task, json.dumps(inproc[task], sort_keys=True), json.dumps(module[task], sort_keys=True))


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
