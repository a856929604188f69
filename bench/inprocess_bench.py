"""The two ways into gitops.awx side by side with awx.awx: per-item time, requests, peak memory.

On the same local server, in one run:

- a loop of N ``host`` tasks that change nothing (no-op), and a loop that creates N hosts;
- ``job_launch`` with ``wait: true`` on a job that pauses 1 s (the job's own run time, as AWX
  reports it, is shown apart: on a busy machine it varies more than anything measured here);

each with gitops.awx in the controller process (the default), gitops.awx as a module
(``GITOPS_AWX_IN_PROCESS=false``) and awx.awx.  Username/password auth from the
environment, as most pipelines have it.  Printed: wall seconds of the whole
``ansible-playbook`` run (its start-up included), seconds per item (wall / items), HTTP
requests counted by the server, and the peak RSS of ``ansible-playbook`` and every process
it started (``RUSAGE_CHILDREN`` of a wrapper that runs nothing else).

    .venv/bin/python bench/inprocess_bench.py [--items 100] [--repeat 3] [--jobs-only]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import yaml

from _harness import COLLECTIONS_PATH, SITE_COLLECTIONS, print_table, start_server

PROJECT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                       "tests", "integration", "projects", "demo")
WAYS = (
    ("gitops.awx in-process", "gitops.awx", {}),
    ("gitops.awx module", "gitops.awx", {"GITOPS_AWX_IN_PROCESS": "false"}),
    ("awx.awx", "awx.awx", {}),
)
# Runs ansible-playbook and reports the largest RSS of it and its descendants (kB on Linux).
_WRAPPER = ("import resource, subprocess, sys\n"
            "rc = subprocess.call(sys.argv[1:])\n"
            "sys.stderr.write('\\nBENCH_MAXRSS %d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "sys.exit(rc)\n")


def measure(server, plays, extra_env):
    """``(seconds, requests, peak_rss_mb)`` of one ansible-playbook run; exits on failure."""
    with tempfile.NamedTemporaryFile("w", suffix=".yml", delete=False) as handle:
        yaml.safe_dump(plays, handle, sort_keys=False)
        path = handle.name
    env = dict(os.environ)
    env.update(server.env())
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([COLLECTIONS_PATH, SITE_COLLECTIONS]),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "PATH": os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
    })
    env.pop("GITOPS_AWX_IN_PROCESS", None)
    env.update(extra_env)
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    server.reset_counts()
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", _WRAPPER, playbook, "-i", "localhost,", path],
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    requests = server.request_counts().get("total", 0)
    os.unlink(path)
    if proc.returncode != 0:
        print(proc.stdout[-4000:], proc.stderr[-2000:])
        raise SystemExit("ansible-playbook failed (rc %d)" % proc.returncode)
    rss_kb = int(proc.stderr.rsplit("BENCH_MAXRSS ", 1)[1].split()[0])
    return seconds, requests, rss_kb / 1024.0


def _created(response):
    if response.status_code not in (200, 201):
        raise SystemExit("setup failed: %s %s" % (response.status_code, response.text[:300]))
    return response.json()


def host_loop(collection, org, inventory, items):
    task = {"name": "hosts", "loop": "{{ range(%d) | list }}" % items,
            collection + ".host": {"name": "host-{{ item }}", "variables": {"index": "{{ item }}"}}}
    if collection == "awx.awx":
        task["awx.awx.host"]["inventory"] = "%s++%s" % (inventory, org)   # awx.awx has no organization option
    else:
        task[collection + ".host"].update(inventory=inventory, organization=org)
    return [{"name": "hosts", "hosts": "localhost", "connection": "local", "gather_facts": False,
             "tasks": [task]}]


def launch_and_wait(collection, template):
    return [{"name": "launch", "hosts": "localhost", "connection": "local", "gather_facts": False,
             "tasks": [{"name": "launch", collection + ".job_launch": {
                 "name": template, "extra_vars": {"sleep_seconds": 1}, "wait": True}}]}]


def job_template(server):
    tag = "bench-inproc-%s" % uuid.uuid4().hex[:6]
    shutil.copytree(PROJECT, os.path.join(server.projects_root, tag))
    org = _created(server.api("POST", "organizations/", json={"name": tag}))
    inv = _created(server.api("POST", "inventories/", json={"name": tag, "organization": org["id"]}))
    _created(server.api("POST", "hosts/", json={"name": "h1", "inventory": inv["id"]}))
    project = _created(server.api("POST", "projects/", json={
        "name": tag, "organization": org["id"], "scm_type": "", "local_path": tag}))
    return _created(server.api("POST", "job_templates/", json={
        "name": tag + "-sleep", "inventory": inv["id"], "project": project["id"],
        "playbook": "sleep.yml", "ask_variables_on_launch": True}))["name"]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--jobs-only", action="store_true", help="skip the host loops")
    parser.add_argument("--repeat", type=int, default=3, help="runs per job case (median shown)")
    args = parser.parse_args()
    server = start_server()
    try:
        if args.jobs_only:
            args.items = 0
        org = "bench-inproc-%s" % uuid.uuid4().hex[:6]
        org_id = _created(server.api("POST", "organizations/", json={"name": org}))["id"]
        rows = []
        for label, collection, env in WAYS if args.items else ():
            inventory = "inv-%s" % label.replace(" ", "-").replace(".", "-")
            _created(server.api("POST", "inventories/", json={"name": inventory, "organization": org_id}))
            for run in ("create", "no-op"):
                seconds, requests, rss = measure(server, host_loop(collection, org, inventory, args.items), env)
                rows.append((run, label, args.items, "%.1f" % seconds, "%.3f" % (seconds / args.items),
                             requests, "%.0f" % rss))
        rows.sort(key=lambda row: (row[0] != "no-op", row[0]))
        if rows:
            print_table("host loop of %d items (username/password auth)" % args.items,
                        ("loop", "way", "items", "wall s", "s/item", "HTTP requests", "peak RSS MB"), rows)

        template = job_template(server)
        runs = dict((label, []) for label, _collection, _env in WAYS)
        for _attempt in range(args.repeat):
            # Round-robin, so that a slow spell of the machine does not fall on one way only.
            for label, collection, env in WAYS:
                seconds, requests, rss = measure(server, launch_and_wait(collection, template), env)
                job = server.api("GET", "jobs/", params={"order_by": "-id", "page_size": 1}).json()["results"][0]
                runs[label].append((seconds, requests, rss, float(job["elapsed"])))
        rows = []
        for label, _collection, _env in WAYS:
            done = runs[label]
            rows.append((label, "%.1f" % statistics.median(r[0] for r in done),
                         "%.1f" % statistics.median(r[3] for r in done),
                         "%.1f" % statistics.median(r[0] - r[3] for r in done),
                         int(statistics.median(r[1] for r in done)), "%.0f" % max(r[2] for r in done)))
        print_table("job_launch wait=true on a job that pauses 1 s (median of %d)" % args.repeat,
                    ("way", "wall s", "job elapsed s", "wall - job s", "HTTP requests", "peak RSS MB"), rows)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
