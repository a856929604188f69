"""Build an Ansible inventory from a 1,000-host, 20-group AWX inventory: the gitops.awx.awx
inventory plugin against awx.awx's awx.awx.controller plugin, on the same local server in the
same run, through ``ansible-inventory --list``.  HTTP requests are counted by the server
(/_sim/requests/) and include everything the run sent (discovery, auth, reads).

Layout: hosts spread over 18 leaf groups; the leaf groups are children of 2 parent groups.

    .venv/bin/python bench/inventory_bench.py [--hosts 1000] [--groups 20] [--repeat 3]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import yaml

from _harness import COLLECTIONS_PATH, SITE_COLLECTIONS, print_table, start_server

BIN = os.path.dirname(sys.executable)


def created(response):
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.text else None


def make_inventory(server, hosts, groups):
    org = created(server.api("POST", "organizations/", json={"name": "bench-inv-org"}))
    inv = created(server.api("POST", "inventories/", json={
        "name": "bench-inv", "organization": org["id"], "variables": json.dumps({"env": "bench"})}))
    host_ids = []
    for start in range(0, hosts, 100):
        batch = [{"name": "host-%05d" % i, "variables": json.dumps({"n": i, "tier": "t%d" % (i % 3)})}
                 for i in range(start, min(start + 100, hosts))]
        answer = created(server.api("POST", "bulk/host_create/", json={"inventory": inv["id"], "hosts": batch}))
        host_ids.extend(h["id"] for h in answer["hosts"])
    parents = max(1, groups // 10)
    group_ids = [created(server.api("POST", "groups/", json={
        "name": "group-%02d" % g, "inventory": inv["id"], "variables": json.dumps({"g": g})}))["id"]
        for g in range(groups)]
    leaves, tops = group_ids[:groups - parents], group_ids[groups - parents:]
    for index, host_id in enumerate(host_ids):
        created(server.api("POST", "groups/%d/hosts/" % leaves[index % len(leaves)], json={"id": host_id}))
    for index, leaf in enumerate(leaves):
        created(server.api("POST", "groups/%d/children/" % tops[index % len(tops)], json={"id": leaf}))
    return inv["id"]


def run_inventory(server, config, suffix):
    directory = tempfile.mkdtemp(prefix="gitops-awx-invbench-")
    path = os.path.join(directory, "bench.%s" % suffix)
    with open(path, "w") as handle:
        yaml.safe_dump(config, handle)
    env = dict(os.environ)
    env.update(server.env())
    env.update({"ANSIBLE_COLLECTIONS_PATH": os.pathsep.join([COLLECTIONS_PATH, SITE_COLLECTIONS]),
                "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true",
                "PATH": BIN + os.pathsep + env.get("PATH", "")})
    server.reset_counts()
    started = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", path, "--list", "--export"],
                          env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    counts = server.request_counts()
    if proc.returncode != 0:
        return seconds, counts, None, proc.stderr.strip().splitlines()[-1:] or ["failed"]
    return seconds, counts, json.loads(proc.stdout), None


def summary(listing):
    """(hosts, groups, memberships, children links) of an ansible-inventory --list answer."""
    groups = [name for name in listing if name not in ("_meta", "all", "ungrouped")]
    members = sum(len(listing[name].get("hosts", [])) for name in groups)
    children = sum(len(listing[name].get("children", [])) for name in groups)
    return len(listing["_meta"]["hostvars"]), len(groups), members, children


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = start_server()
    try:
        inventory_id = make_inventory(server, args.hosts, args.groups)
        script = server.api("GET", "inventories/%d/script/" % inventory_id, params={"hostvars": 1}).status_code
        cases = [
            ("gitops.awx.awx read_method=auto", {"plugin": "gitops.awx.awx", "inventory": "bench-inv",
                                                 "organization": "bench-inv-org"}, "awx.yml"),
            ("gitops.awx.awx read_method=pages", {"plugin": "gitops.awx.awx", "inventory": "bench-inv",
                                                  "organization": "bench-inv-org", "read_method": "pages"},
             "awx.yml"),
            ("awx.awx.controller", {"plugin": "awx.awx.controller", "inventory_id": inventory_id},
             "controller.yml"),
        ]
        for _label, config, suffix in cases:  # warm-up
            run_inventory(server, config, suffix)
        results = dict((label, {"timings": [], "requests": set(), "shape": None, "error": None})
                       for label, _config, _suffix in cases)
        for _round in range(args.repeat):
            for label, config, suffix in cases:
                seconds, counts, listing, error = run_inventory(server, config, suffix)
                result = results[label]
                result["timings"].append(seconds)
                result["requests"].add(counts.get("total", 0))
                result["error"] = error
                result["paths"] = counts.get("by_path", {})
                if listing is not None:
                    result["shape"] = summary(listing)
        rows = []
        for label, _config, _suffix in cases:
            result = results[label]
            timings = result["timings"]
            shape = ("%d hosts, %d groups, %d memberships, %d children" % result["shape"]
                     if result["shape"] else "FAILED: %s" % " ".join(result["error"] or [])[:90])
            rows.append((label, "/".join(str(n) for n in sorted(result["requests"])),
                         "%.2f" % min(timings), "%.2f" % (sum(timings) / len(timings)), shape))
        print_table("ansible-inventory --list on %d hosts in %d groups (script endpoint on this server: HTTP %d; "
                    "wall time of the whole command, %d runs)" % (args.hosts, args.groups, script, args.repeat),
                    ["plugin", "HTTP requests", "best s", "mean s", "result"], rows)
        for label, _config, _suffix in cases:
            print("\n%s requests by path:\n  %s" % (label, json.dumps(results[label].get("paths"), sort_keys=True)))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
