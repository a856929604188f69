"""Fault matrix, races and a server restart: the scenarios that must converge.

Each scenario returns its figures (a dict) and ``problems(figures)`` lists what is wrong with
them; the tests assert there is none, the report prints both. Nothing here asserts by itself.
"""
import collections
import json
import os
import shutil
import time
import uuid

from tests.reliability import sim as harness

COUNT = int(os.environ.get("RELIABILITY_COUNT", "100"))
JOB_COUNT = int(os.environ.get("RELIABILITY_JOB_COUNT", "10"))
SEED = 12

# 15 % of writes refused before processing (503), 20 % processed and committed and then the
# answer lost (half a 504, half a closed connection). Reads are not faulted.
FAULT_PLAN = {"seed": SEED, "rules": [{
    "methods": list(harness.WRITE_METHODS), "path_prefix": "/api/v2/",
    "refuse_rate": 0.15, "refuse_statuses": [503],
    "lose_rate": 0.20, "lose_as": ["504", "drop"]}]}

# Generous enough for 35 % faulty writes: each write may need several attempts.
RETRYING = {"max_retries": 12, "retry_max_time": 120, "request_timeout": 15}


def _prefix(kind):
    return "rel-%s-%s" % (kind, uuid.uuid4().hex[:6])


def _fault_figures(counts):
    injected = counts.get("faults_injected")
    return {"faults_injected": injected,
            "faults_total": sum(injected.values()) if isinstance(injected, dict) else 0}


def duplicates_and_missing(names, expected):
    """Names seen more than once, and expected names never seen."""
    seen = collections.Counter(names)
    return (sorted(n for n, k in seen.items() if k > 1),
            sorted(set(expected) - set(seen)), sorted(set(seen) - set(expected)))


def _summarise_failures(run, task):
    return [r.get("msg", "")[:300] for r in run.failed_items(task)]


def _apply_twice(server, workdir, kind, plays, tasks, env, between=None, writes_per_object=1):
    """The apply under faults, then the same apply again (faults still on); both figures.

    ``tasks`` names the looping tasks whose items are counted; ``between`` runs after the apply;
    ``writes_per_object`` is what a fault-free create sends (a job template with a survey: two).
    """
    tasks = (tasks,) if isinstance(tasks, str) else tasks
    server.set_faults(**FAULT_PLAN)
    server.reset_counts()
    first = harness.run_playbook(os.path.join(workdir, kind + "-apply"), plays, env=env)
    first_counts = server.request_counts()
    if between:
        between()
    server.reset_counts()
    second = harness.run_playbook(os.path.join(workdir, kind + "-rerun"), plays, env=env)
    second_counts = server.request_counts()
    server.clear_faults()
    figures = {
        "module": kind, "rc": first.rc, "failed_items": sum((_summarise_failures(first, t) for t in tasks), []),
        "changed": sum(first.changed_items(t) for t in tasks),
        "writes_seen": sum(server.writes(first_counts).values()),
        "rerun_rc": second.rc, "rerun_changed": sum(second.changed_items(t) for t in tasks),
        "rerun_writes": sum(server.writes(second_counts).values()),
        "seconds": round(first.seconds, 1), "rerun_seconds": round(second.seconds, 1),
        "stdout_tail": first.stdout[-1500:] if first.rc else "",
    }
    figures.update(_fault_figures(first_counts))
    # One write per changed object is what a fault-free run sends; the rest are retries.
    figures["writes_needed"] = figures["changed"] * writes_per_object
    figures["retries"] = figures["writes_seen"] - figures["writes_needed"]
    return figures


def matrix_organization(server, workdir, token, count=COUNT):
    prefix = _prefix("org")
    names = ["%s-%03d" % (prefix, i) for i in range(count)]
    plays = harness.play([{
        "name": "organizations", "loop": "{{ range(%d) | list }}" % count,
        "gitops.awx.organization": {"name": "%s-{{ '%%03d' | format(item) }}" % prefix,
                                    "description": "org {{ item }}", "max_hosts": "{{ item }}"}}], RETRYING)
    figures = _apply_twice(server, workdir, "organization", plays, "organizations", harness.token_env(server, token))
    found = server.list_all("organizations/", name__startswith=prefix)
    figures["objects"] = count
    figures["duplicates"], figures["missing"], figures["unexpected"] = duplicates_and_missing(
        [o["name"] for o in found], names)
    figures["wrong_fields"] = sorted(o["name"] for o in found
                                     if o["max_hosts"] != int(o["name"][-3:]))
    return figures


def matrix_inventory(server, workdir, token, count=COUNT):
    prefix = _prefix("inv")
    org = server.create("organizations/", name=prefix)
    names = ["%s-%03d" % (prefix, i) for i in range(count)]
    plays = harness.play([{
        "name": "inventories", "loop": "{{ range(%d) | list }}" % count,
        "gitops.awx.inventory": {"name": "%s-{{ '%%03d' | format(item) }}" % prefix,
                                 "organization": prefix, "variables": {"n": "{{ item }}"}}}], RETRYING)
    figures = _apply_twice(server, workdir, "inventory", plays, "inventories", harness.token_env(server, token))
    found = server.list_all("inventories/", organization=org["id"])
    figures["objects"] = count
    figures["duplicates"], figures["missing"], figures["unexpected"] = duplicates_and_missing(
        [o["name"] for o in found], names)
    figures["wrong_fields"] = []
    return figures


def matrix_host(server, workdir, token, count=COUNT):
    prefix = _prefix("host")
    org = server.create("organizations/", name=prefix)
    inv = server.create("inventories/", name=prefix, organization=org["id"])
    # Hosts 0..count-1 exist afterwards; in the second declaration the last tenth is absent
    # (DELETE under faults) and another tenth changes its variables (PATCH under faults).
    tenth = max(1, count // 10)
    host_task = {"name": "hosts", "loop": "{{ range(%d) | list }}" % count,
                 "gitops.awx.host": {"name": "%s-{{ '%%03d' | format(item) }}" % prefix, "inventory": prefix,
                                     "organization": prefix, "variables": {"rack": "r{{ item }}"}}}
    figures = _apply_twice(server, workdir, "host", harness.play([host_task], RETRYING), "hosts", harness.token_env(server, token))
    created = server.list_all("hosts/", inventory=inv["id"])
    names = ["%s-%03d" % (prefix, i) for i in range(count)]
    figures["objects"] = count
    figures["duplicates"], figures["missing"], figures["unexpected"] = duplicates_and_missing(
        [h["name"] for h in created], names)

    change = {"name": "hosts", "loop": "{{ range(%d) | list }}" % (count - tenth),
              "gitops.awx.host": dict(host_task["gitops.awx.host"], variables={
                  "rack": "{{ 'moved' if item < %d else 'r%%d' %% item }}" % tenth})}
    remove = {"name": "absent hosts", "loop": "{{ range(%d, %d) | list }}" % (count - tenth, count),
              "gitops.awx.host": {"name": "%s-{{ '%%03d' | format(item) }}" % prefix, "inventory": prefix,
                                  "organization": prefix, "state": "absent"}}
    second = _apply_twice(server, workdir, "host-change", harness.play([change, remove], RETRYING),
                          ("hosts", "absent hosts"), harness.token_env(server, token))
    remaining = server.list_all("hosts/", inventory=inv["id"])
    kept = names[:count - tenth]
    second["duplicates"], second["missing"], second["unexpected"] = duplicates_and_missing(
        [h["name"] for h in remaining], kept)
    moved = [h["name"] for h in remaining if "moved" in (h.get("variables") or "")]
    second["wrong_fields"] = [] if sorted(moved) == kept[:tenth] else ["moved: %s" % sorted(moved)[:5]]
    second["expected_changed"] = 2 * tenth
    second["objects"] = 2 * tenth
    figures["wrong_fields"] = []
    figures["then"] = second
    return figures


def _named_objects(server, endpoint, prefix, count, **params):
    """Figures of the objects named ``<prefix>-000`` .. on the server: duplicates, missing, unexpected."""
    found = server.list_all(endpoint, name__startswith=prefix + "-", **params)
    names = ["%s-%03d" % (prefix, i) for i in range(count)]
    figures = {"objects": count}
    figures["duplicates"], figures["missing"], figures["unexpected"] = duplicates_and_missing(
        [o["name"] for o in found], names)
    return figures, found


def _loop_matrix(server, workdir, token, kind, endpoint, prefix, count, module_args, check=None, **options):
    """The common case: one looping task declares ``<prefix>-NNN`` objects of one module, twice.

    ``check(found)`` lists the objects whose fields are wrong; ``options`` go to ``_apply_twice``.
    """
    task = dict({"name": kind, "loop": "{{ range(%d) | list }}" % count},
                **{"gitops.awx." + kind: dict({"name": "%s-{{ '%%03d' | format(item) }}" % prefix}, **module_args)})
    figures = _apply_twice(server, workdir, kind, harness.play([task], RETRYING), kind,
                           harness.token_env(server, token), **options)
    objects, found = _named_objects(server, endpoint, prefix, count)
    figures.update(objects)
    figures["wrong_fields"] = sorted(check(found)) if check else []
    return figures


def matrix_credential(server, workdir, token, count=COUNT):
    """Machine credentials with a password: the fingerprint makes the rerun a no change."""
    prefix = _prefix("cred")
    server.create("organizations/", name=prefix)
    return _loop_matrix(
        server, workdir, token, "credential", "credentials/", prefix, count,
        {"organization": prefix, "credential_type": "Machine",
         "inputs": {"username": "user{{ item }}", "password": "pw-{{ item }}-%s" % uuid.uuid4().hex[:8]}},
        check=lambda found: [c["name"] for c in found
                             if c["inputs"].get("username") != "user%d" % int(c["name"][-3:])
                             or c["inputs"].get("password") != "$encrypted$"])


def matrix_credential_type(server, workdir, token, count=COUNT):
    prefix = _prefix("ctype")
    return _loop_matrix(
        server, workdir, token, "credential_type", "credential_types/", prefix, count,
        {"kind": "cloud", "description": "type {{ item }}",
         "inputs": {"fields": [{"id": "api_key", "label": "API key", "type": "string", "secret": True}],
                    "required": ["api_key"]},
         "injectors": {"env": {"REL_API_KEY": "{{ '{{' }} api_key {{ '}}' }}"}, "extra_vars": {"rel_type": "n{{ item }}"}}},
        check=lambda found: [t["name"] for t in found
                             if t["injectors"] != {"env": {"REL_API_KEY": "{{ api_key }}"},
                                                   "extra_vars": {"rel_type": "n%d" % int(t["name"][-3:])}}])


def matrix_execution_environment(server, workdir, token, count=COUNT):
    prefix = _prefix("ee")
    server.create("organizations/", name=prefix)
    return _loop_matrix(
        server, workdir, token, "execution_environment", "execution_environments/", prefix, count,
        {"organization": prefix, "image": "quay.io/example/ee-{{ item }}:latest", "pull": "missing"},
        check=lambda found: [e["name"] for e in found
                             if e["image"] != "quay.io/example/ee-%d:latest" % int(e["name"][-3:])])


def matrix_label(server, workdir, token, count=COUNT):
    prefix = _prefix("label")
    org = server.create("organizations/", name=prefix)
    return _loop_matrix(server, workdir, token, "label", "labels/", prefix, count, {"organization": prefix},
                        check=lambda found: [lb["name"] for lb in found if lb["organization"] != org["id"]])


def matrix_project(server, workdir, token, count=COUNT):
    """Manual projects, each on its own directory (with a playbook) in the server's projects root."""
    prefix = _prefix("proj")
    server.create("organizations/", name=prefix)
    for i in range(count):
        shutil.copytree(harness.PROJECT, os.path.join(server.projects_root, "%s-%03d" % (prefix, i)))
    return _loop_matrix(
        server, workdir, token, "project", "projects/", prefix, count,
        {"organization": prefix, "scm_type": "", "local_path": "%s-{{ '%%03d' | format(item) }}" % prefix,
         "description": "manual {{ item }}"},
        check=lambda found: [p["name"] for p in found if p["local_path"] != p["name"] or p["scm_type"] != ""])


def matrix_job_template(server, workdir, token, count=COUNT):
    """Job templates on one manual project and one inventory, each with a survey (a second write)."""
    prefix = _prefix("jt")
    project = server.add_project(prefix)
    server.create("inventories/", name=prefix, organization=project["organization"])
    figures = _loop_matrix(
        server, workdir, token, "job_template", "job_templates/", prefix, count,
        {"organization": prefix, "project": prefix, "inventory": prefix, "playbook": "hello.yml",
         "survey_enabled": True, "survey_spec": {"name": "", "description": "", "spec": [{
             "question_name": "Who", "variable": "who", "type": "text", "required": False,
             "default": "n{{ item }}"}]}},
        writes_per_object=2)
    for template in server.list_all("job_templates/", name__startswith=prefix + "-"):
        spec = server.api("GET", "job_templates/%d/survey_spec/" % template["id"]).json().get("spec") or []
        if not template["survey_enabled"] or [q.get("default") for q in spec] != ["n%d" % int(template["name"][-3:])]:
            figures["wrong_fields"].append(template["name"])
    return figures


def matrix_credential_input_source(server, workdir, token, count=COUNT):
    """Input sources from one HashiCorp Vault lookup credential, each filling one Machine credential's
    password (AWX allows one source per target input, so each needs its own target)."""
    prefix = _prefix("cis")
    org = server.create("organizations/", name=prefix)
    types = dict((t["name"], t["id"]) for t in server.list_all("credential_types/", managed=True))
    source = server.create("credentials/", name=prefix + "-vault", organization=org["id"],
                           credential_type=types["HashiCorp Vault Secret Lookup"],
                           inputs={"url": "https://vault.example.com", "token": "t", "api_version": "v2"})
    targets = [server.create("credentials/", name="%s-%03d" % (prefix, i), organization=org["id"],
                             credential_type=types["Machine"], inputs={"username": "u%d" % i})["id"]
               for i in range(count)]
    plays = harness.play([{
        "name": "input sources", "loop": "{{ range(%d) | list }}" % count,
        "gitops.awx.credential_input_source": {
            "target_credential": "%s-{{ '%%03d' | format(item) }}" % prefix, "source_credential": source["name"],
            "input_field_name": "password", "description": "source {{ item }}",
            "metadata": {"secret_path": "/kv/{{ item }}", "secret_key": "password"}}}], RETRYING)
    figures = _apply_twice(server, workdir, "credential_input_source", plays, "input sources",
                           harness.token_env(server, token))
    found = server.list_all("credential_input_sources/", source_credential=source["id"])
    by_target = collections.Counter(s["target_credential"] for s in found)
    figures["objects"] = count
    figures["duplicates"] = sorted(t for t, k in by_target.items() if k > 1)
    figures["missing"] = sorted(set(targets) - set(by_target))
    figures["unexpected"] = sorted(set(by_target) - set(targets))
    index = dict((t, i) for i, t in enumerate(targets))
    figures["wrong_fields"] = sorted(s["target_credential"] for s in found if s["target_credential"] in index
                                     and s["metadata"].get("secret_path") != "/kv/%d" % index[s["target_credential"]])
    return figures


def _job_world(server, prefix):
    project = server.add_project(prefix)
    org_id = project["organization"]
    inv = server.create("inventories/", name=prefix, organization=org_id)
    for host in ("h1", "h2"):
        server.create("hosts/", name=host, inventory=inv["id"])
    hello = server.create("job_templates/", name=prefix + "-hello", inventory=inv["id"], project=project["id"],
                          playbook="hello.yml", ask_variables_on_launch=True)
    sleep = server.create("job_templates/", name=prefix + "-sleep", inventory=inv["id"], project=project["id"],
                          playbook="sleep.yml", ask_variables_on_launch=True)
    return hello, sleep


def wait_jobs_finished(server, template_id, timeout=180):
    """Poll the server until no job of the template is pending or running; the jobs."""
    deadline = time.monotonic() + timeout
    while True:
        jobs = server.list_all("jobs/", job_template=template_id)
        if all(j["status"] not in ("new", "pending", "waiting", "running") for j in jobs):
            return jobs
        if time.monotonic() > deadline:
            return jobs
        time.sleep(0.5)


def matrix_job_launch(server, workdir, token, count=JOB_COUNT):
    """``count`` launches under faults: exactly ``count`` jobs, each reported by one task."""
    prefix = _prefix("launch")
    hello, _sleep = _job_world(server, prefix)
    plays = harness.play([{
        "name": "launches", "loop": "{{ range(%d) | list }}" % count,
        "gitops.awx.job_launch": {"name": hello["name"], "organization": prefix,
                                  "extra_vars": {"who": "launch{{ item }}"}}}], RETRYING)
    server.set_faults(**FAULT_PLAN)
    server.reset_counts()
    run = harness.run_playbook(os.path.join(workdir, "launch-apply"), plays, env=harness.token_env(server, token))
    counts = server.request_counts()
    server.clear_faults()
    jobs = wait_jobs_finished(server, hello["id"])
    reported = [r.get("id") for r in run.items("launches") if not r.get("failed")]
    figures = {"module": "job_launch", "objects": count, "rc": run.rc,
               "failed_items": _summarise_failures(run, "launches"),
               "changed": run.changed_items("launches"), "writes_seen": sum(server.writes(counts).values()),
               "seconds": round(run.seconds, 1), "rerun_changed": None, "rerun_writes": None,
               "stdout_tail": run.stdout[-1500:] if run.rc else ""}
    figures.update(_fault_figures(counts))
    figures["writes_needed"] = count
    figures["retries"] = figures["writes_seen"] - count
    whos = collections.Counter(json.loads(j.get("extra_vars") or "{}").get("who") for j in jobs)
    figures["duplicates"] = sorted(w for w, k in whos.items() if k > 1)
    figures["missing"] = sorted(set("launch%d" % i for i in range(count)) - set(whos))
    figures["unexpected"] = sorted(set(reported) - set(j["id"] for j in jobs))
    figures["jobs_on_server"] = len(jobs)
    figures["wrong_fields"] = [] if len(set(reported)) == len(reported) else ["one job reported twice"]
    return figures


def matrix_job_cancel(server, workdir, token, count=JOB_COUNT):
    """``count`` running jobs cancelled under faults; the rerun finds nothing to cancel."""
    prefix = _prefix("cancel")
    _hello, sleep = _job_world(server, prefix)
    ids = [server.create("job_templates/%d/launch/" % sleep["id"], extra_vars={"sleep_seconds": 120})["id"]
           for _i in range(count)]
    plays = harness.play([{"name": "cancels", "loop": ids, "gitops.awx.job_cancel": {"job_id": "{{ item }}"}}],
                         RETRYING)
    # The rerun starts once every cancelled job has stopped (polled), as a pipeline's next run would.
    figures = _apply_twice(server, workdir, "job_cancel", plays, "cancels", harness.token_env(server, token),
                           between=lambda: wait_jobs_finished(server, sleep["id"], timeout=60))
    jobs = wait_jobs_finished(server, sleep["id"], timeout=60)
    figures["objects"] = count
    figures["duplicates"], figures["unexpected"] = [], []
    figures["missing"] = sorted(j["id"] for j in jobs if j["status"] != "canceled")
    figures["wrong_fields"] = []
    return figures


MATRIX = (("organization", matrix_organization), ("inventory", matrix_inventory), ("host", matrix_host),
          ("credential", matrix_credential), ("credential_type", matrix_credential_type),
          ("credential_input_source", matrix_credential_input_source),
          ("execution_environment", matrix_execution_environment), ("label", matrix_label),
          ("project", matrix_project), ("job_template", matrix_job_template),
          ("job_launch", matrix_job_launch), ("job_cancel", matrix_job_cancel))


def matrix_problems(figures):
    """What is wrong with one module's fault-matrix figures (an empty list when nothing)."""
    problems = []
    injected = figures.get("faults_injected") or {}
    if not figures.get("faults_total"):
        problems.append("no fault was injected (is the fault plan of faults_contract.md served?)")
    elif not injected.get("refused") or not injected.get("lost_504", 0) + injected.get("lost_drop", 0):
        problems.append("the seeded faults did not include both a refusal and a lost answer: %s" % injected)
    if figures["rc"] != 0 or figures["failed_items"]:
        problems.append("the apply failed (rc %s): %s %s"
                        % (figures["rc"], figures["failed_items"][:3], figures.get("stdout_tail", "")[-600:]))
    for key in ("duplicates", "missing", "unexpected", "wrong_fields"):
        if figures.get(key):
            problems.append("%s: %s" % (key, figures[key][:10]))
    expected_changed = figures.get("expected_changed", figures["objects"])
    if figures["changed"] != expected_changed:
        problems.append("changed=%s, expected %s" % (figures["changed"], expected_changed))
    if figures.get("rerun_changed") not in (None, 0) or figures.get("rerun_writes") not in (None, 0):
        problems.append("the rerun changed %s objects with %s writes" % (figures["rerun_changed"], figures["rerun_writes"]))
    if figures.get("rerun_rc") not in (None, 0):
        problems.append("the rerun failed (rc %s)" % figures["rerun_rc"])
    if "then" in figures:
        problems.extend("then: " + p for p in matrix_problems(figures["then"]))
    return problems


# -- races ---------------------------------------------------------------------------------------
RACE_RUNS = 4
RACE_HOSTS = int(os.environ.get("RELIABILITY_RACE_HOSTS", "16"))
RACE_STEP = 4


def _race_plays(prefix, first, count):
    return harness.play([
        {"name": "organization", "gitops.awx.organization": {"name": prefix, "description": "raced"}},
        {"name": "inventory", "gitops.awx.inventory": {"name": prefix, "organization": prefix,
                                                       "variables": {"raced": True}}},
        {"name": "hosts", "loop": "{{ range(%d, %d) | list }}" % (first, first + count),
         "gitops.awx.host": {"name": "%s-{{ '%%03d' | format(item) }}" % prefix, "inventory": prefix,
                             "organization": prefix, "variables": {"n": "{{ item }}"}}},
    ], RETRYING)


def _clear_failure(result):
    msg = result.get("msg", "")
    return bool(msg) and "\n" not in msg and "Traceback" not in str(result) and "MODULE FAILURE" not in str(result)


def races(server, workdir, token):
    """4 concurrent applies of overlapping declarations (2 with a token, 2 with a password)."""
    prefix = _prefix("race")
    runs = []
    for i in range(RACE_RUNS):
        env = harness.token_env(server, token) if i % 2 else harness.password_env(server)
        runs.append((os.path.join(workdir, "race-%d" % i), _race_plays(prefix, i * RACE_STEP, RACE_HOSTS),
                     {"env": env}))
    started = time.monotonic()
    finished = harness.run_playbooks_at_once(runs)
    seconds = time.monotonic() - started
    total = (RACE_RUNS - 1) * RACE_STEP + RACE_HOSTS
    # Every host a successful run declared must exist; a failed run's own hosts may not.
    names = sorted(set("%s-%03d" % (prefix, n) for i, run in enumerate(finished) if run.rc == 0
                       for n in range(i * RACE_STEP, i * RACE_STEP + RACE_HOSTS)))
    orgs = server.list_all("organizations/", name=prefix)
    invs = server.list_all("inventories/", name=prefix)
    hosts = server.list_all("hosts/", name__startswith=prefix + "-")
    dupes, missing, _more = duplicates_and_missing([h["name"] for h in hosts], names)
    unexpected = sorted(set(h["name"] for h in hosts) - set("%s-%03d" % (prefix, i) for i in range(total)))
    failures = []
    for run in finished:
        for results in run.results.values():
            failures.extend(r for r in results if r.get("failed"))
    union = _race_plays(prefix, 0, total)
    converged = None
    if any(run.rc for run in finished):
        # A run that failed (clearly) left its part undone: one apply of the union completes it.
        converged = harness.run_playbook(os.path.join(workdir, "race-converge"), union,
                                         env=harness.token_env(server, token)).rc
    final = harness.run_playbook(os.path.join(workdir, "race-final"), union, env=harness.token_env(server, token))
    return {"runs": RACE_RUNS, "hosts": total, "rcs": [r.rc for r in finished], "seconds": round(seconds, 1),
            "organizations": len(orgs), "inventories": len(invs), "duplicates": dupes, "missing": missing,
            "unexpected": unexpected, "failures": [f.get("msg", "")[:300] for f in failures],
            "unclear_failures": [str(f)[:600] for f in failures if not _clear_failure(f)],
            "tracebacks": sum(("Traceback" in r.stdout or "MODULE FAILURE" in r.stdout) for r in finished),
            "converge_rc": converged, "final_rc": final.rc, "final_changed": final.changed}


def race_problems(figures):
    problems = []
    if figures["organizations"] != 1 or figures["inventories"] != 1:
        problems.append("%(organizations)s organizations and %(inventories)s inventories instead of one each"
                        % figures)
    for key in ("duplicates", "missing", "unexpected", "unclear_failures"):
        if figures[key]:
            problems.append("%s: %s" % (key, figures[key][:5]))
    if figures["tracebacks"]:
        problems.append("a traceback in %s runs" % figures["tracebacks"])
    if any(figures["rcs"]) and not figures["failures"]:
        problems.append("a run failed without a task failure: rcs %s" % figures["rcs"])
    if figures["converge_rc"] not in (None, 0):
        problems.append("the apply after a failed run failed (rc %s)" % figures["converge_rc"])
    if figures["final_rc"] != 0 or figures["final_changed"] != 0:
        problems.append("final rerun rc=%(final_rc)s changed=%(final_changed)s" % figures)
    return problems


# -- a server restart in the middle of an apply ---------------------------------------------------
RESTART_HOSTS = int(os.environ.get("RELIABILITY_RESTART_HOSTS", "30"))
RESTART_AFTER = 8          # host creates the server must have seen before it is killed
DOWNTIME = 2.0             # seconds the server stays down (the scenario, not a synchronisation)
RESTART_RETRYING = {"max_retries": 30, "retry_max_time": 60}


def restart(workdir, count=RESTART_HOSTS):
    """Own awxsim on a SQLite file: killed after RESTART_AFTER host creates, back after DOWNTIME s."""
    server = harness.start_sim(os.path.join(workdir, "restart-sim"))
    try:
        prefix = _prefix("restart")
        org = server.create("organizations/", name=prefix)
        inv = server.create("inventories/", name=prefix, organization=org["id"])
        token = server.new_token()
        server.reset_counts()
        plays = harness.play([{
            "name": "hosts", "loop": "{{ range(%d) | list }}" % count,
            "gitops.awx.host": {"name": "%s-{{ '%%03d' | format(item) }}" % prefix, "inventory": prefix,
                                "organization": prefix}}], RESTART_RETRYING)
        env = harness.token_env(server, token)
        running = harness.start_playbook(os.path.join(workdir, "restart-apply"), plays, env=env)
        seen = 0
        deadline = time.monotonic() + 240
        while seen < RESTART_AFTER and running.running() and time.monotonic() < deadline:
            seen = server.request_counts()["by_path"].get("POST /api/v2/hosts/", 0)
            time.sleep(0.1)
        killed_during_run = running.running()
        server.kill()
        down_at = time.monotonic()
        time.sleep(DOWNTIME)
        server.start()
        downtime = time.monotonic() - down_at
        run = running.wait()
        hosts = server.list_all("hosts/", inventory=inv["id"])
        names = ["%s-%03d" % (prefix, i) for i in range(count)]
        dupes, missing, unexpected = duplicates_and_missing([h["name"] for h in hosts], names)
        rerun = harness.run_playbook(os.path.join(workdir, "restart-rerun"), plays, env=env)
        return {"hosts": count, "killed_after_creates": seen, "killed_during_run": killed_during_run,
                "downtime": round(downtime, 1), "rc": run.rc, "seconds": round(run.seconds, 1),
                "failed_items": _summarise_failures(run, "hosts"), "duplicates": dupes, "missing": missing,
                "unexpected": unexpected, "rerun_rc": rerun.rc, "rerun_changed": rerun.changed_items("hosts"),
                "stdout_tail": run.stdout[-1500:] if run.rc else ""}
    finally:
        server.stop()


def restart_problems(figures):
    problems = []
    if not figures["killed_during_run"]:
        problems.append("the run ended before the server was killed (%s creates seen)"
                        % figures["killed_after_creates"])
    if figures["rc"] != 0 or figures["failed_items"]:
        problems.append("the run failed (rc %s): %s %s"
                        % (figures["rc"], figures["failed_items"][:3], figures["stdout_tail"][-600:]))
    for key in ("duplicates", "missing", "unexpected"):
        if figures[key]:
            problems.append("%s: %s" % (key, figures[key][:10]))
    if figures["rerun_rc"] != 0 or figures["rerun_changed"] != 0:
        problems.append("rerun rc=%(rerun_rc)s changed=%(rerun_changed)s" % figures)
    return problems
