"""Converge an organization, an inventory and N hosts, then converge again (no-op):
HTTP requests and wall time for gitops.awx and awx.awx on the same local server.

    .venv/bin/python bench/converge_bench.py [--hosts 200]
"""
import argparse

from _harness import print_table, run_playbook, start_server


def plays(collection, org, hosts, auth_vars):
    task_args = dict(auth_vars)
    tasks = [
        {"name": "organization", "%s.organization" % collection: dict(task_args, name=org)},
        {"name": "inventory", "%s.inventory" % collection: dict(
            task_args, name="inv", organization=org, variables={"tier": "web"})},
        {"name": "hosts", "%s.host" % collection: dict(
            task_args, name="host-{{ item }}", inventory="inv",
            **({"organization": org} if collection == "gitops.awx" else {}),
            variables={"index": "{{ item }}"}),
         "loop": "{{ range(%d) | list }}" % hosts},
    ]
    if collection == "awx.awx":
        # awx.awx finds the inventory by name; the named URL keeps the lookup unambiguous.
        tasks[2]["awx.awx.host"]["inventory"] = "inv++%s" % org
    return [{"name": "converge", "hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=200)
    args = parser.parse_args()
    server = start_server()
    try:
        rows = []
        for collection in ("gitops.awx", "awx.awx"):
            org = "bench-%s" % collection.replace(".", "-")
            for label in ("create", "no-op"):
                seconds, requests, rc, output = run_playbook(server, plays(collection, org, args.hosts, {}))
                if rc != 0:
                    print(output[-4000:])
                    raise SystemExit("%s %s run failed" % (collection, label))
                rows.append((collection, label, args.hosts, requests, "%.1f" % seconds,
                             "%.2f" % (requests / float(args.hosts + 2))))
        print_table("Converge 1 organization + 1 inventory + %d hosts (username/password auth)" % args.hosts,
                    ("collection", "run", "hosts", "HTTP requests", "wall s", "requests/object"), rows)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
