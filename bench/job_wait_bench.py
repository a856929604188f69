"""How fast does a waiting task notice that a job ended, and how many polls does it cost?

For a short job (pause 1 s) and a long one (pause 20 s), ``job_launch`` with ``wait: true``
is run with gitops.awx and with awx.awx (each with its default poll interval) on the same
local server.  Printed per run: the job's own run time, the polls of ``jobs/<id>/``, all
requests of the playbook, and the latency from the job's ``finished`` time to the moment
the task had returned (taken by the next task, so it slightly over-counts).
"""
import datetime
import os
import re
import shutil
import statistics
import sys
import uuid

from _harness import print_table, run_playbook, start_server

PROJECT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "tests", "integration", "projects", "demo")
COLLECTIONS = ("gitops.awx", "awx.awx")
JOB_SECONDS = (1, 20)
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))   # runs per case; median and worst shown


def _created(response):
    if response.status_code not in (200, 201):
        sys.exit("setup failed: %s %s" % (response.status_code, response.text[:300]))
    return response.json()


def setup(server):
    tag = "bench-jobs-%s" % uuid.uuid4().hex[:6]
    shutil.copytree(PROJECT, os.path.join(server.projects_root, tag))
    org = _created(server.api("POST", "organizations/", json={"name": tag}))
    inv = _created(server.api("POST", "inventories/", json={"name": tag,
                                                            "organization": org["id"]}))
    _created(server.api("POST", "hosts/", json={"name": "h1", "inventory": inv["id"]}))
    project = _created(server.api("POST", "projects/", json={
        "name": tag, "organization": org["id"], "scm_type": "", "local_path": tag}))
    jt = _created(server.api("POST", "job_templates/", json={
        "name": tag + "-sleep", "inventory": inv["id"], "project": project["id"],
        "playbook": "sleep.yml", "ask_variables_on_launch": True}))
    return jt["name"]


def plays(collection, template, seconds):
    return [{
        "name": "launch and wait", "hosts": "localhost", "connection": "local", "gather_facts": False,
        "tasks": [
            {"name": "launch", collection + ".job_launch": {
                "name": template, "extra_vars": {"sleep_seconds": seconds}, "wait": True},
             "register": "launched"},
            {"name": "returned", "ansible.builtin.debug": {
                "msg": "BENCH {{ launched.id }} {{ now(utc=true).timestamp() }}"}},
        ],
    }]


def epoch(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def measure(server, collection, template, seconds):
    """One run: (job seconds, polls, requests, latency seconds, wall seconds)."""
    wall, requests, rc, output = run_playbook(server, plays(collection, template, seconds))
    found = re.search(r"BENCH (\d+) ([0-9.]+)", output)
    if rc != 0 or not found:
        print(output[-3000:])
        sys.exit("%s run failed (rc=%s)" % (collection, rc))
    job_id, returned_at = int(found.group(1)), float(found.group(2))
    polls = server.request_counts()["by_path"].get("GET /api/v2/jobs/%d/" % job_id, 0)
    job = server.api("GET", "jobs/%d/" % job_id).json()
    return job["elapsed"], polls, requests, returned_at - epoch(job["finished"]), wall


def main():
    server = start_server()
    rows = []
    try:
        template = setup(server)
        for seconds in JOB_SECONDS:
            for collection in COLLECTIONS:
                runs = [measure(server, collection, template, seconds) for _run in range(REPEAT)]
                elapsed, polls, requests, latency, wall = [list(v) for v in zip(*runs)]
                rows.append((collection, "%d s pause" % seconds,
                             "%.1f" % statistics.median(elapsed),
                             "%g" % statistics.median(polls),
                             "%.2f" % (sum(polls) / sum(elapsed)),
                             "%g" % statistics.median(requests),
                             "%.2f" % statistics.median(latency), "%.2f" % max(latency),
                             "%.1f" % statistics.median(wall)))
    finally:
        server.stop()
    print_table("job_launch wait: true on the local server, default poll settings, "
                "%d runs per case (medians; latency also worst)" % REPEAT,
                ["collection", "job", "job s", "polls", "polls/s", "requests", "latency s",
                 "worst latency s", "wall s"], rows)


if __name__ == "__main__":
    main()
