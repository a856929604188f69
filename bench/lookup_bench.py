"""Read 1,000 hosts with a lookup: gitops.awx.api against awx.awx.controller_api on the
same local server in the same run.  HTTP requests are counted by the server (/_sim/requests/)
and include everything the playbook run sent: for gitops.awx the API discovery (GET /api/),
the session token it creates for username/password and deletes at the end, and the reads;
awx.awx creates a token too but leaves it behind (no DELETE).

    .venv/bin/python bench/lookup_bench.py [--hosts 1000] [--repeat 3]
"""
import argparse
import json

from _harness import print_table, run_playbook, start_server


def make_inventory(server, hosts):
    def created(response):
        assert response.status_code in (200, 201), response.text
        return response.json()

    org = created(server.api("POST", "organizations/", json={"name": "bench-lookup-org"}))
    inv = created(server.api("POST", "inventories/", json={"name": "bench-lookup-inv", "organization": org["id"]}))
    for start in range(0, hosts, 100):
        batch = [{"name": "host-%05d" % i, "variables": json.dumps({"n": i})}
                 for i in range(start, min(start + 100, hosts))]
        created(server.api("POST", "bulk/host_create/", json={"inventory": inv["id"], "hosts": batch}))
    return inv["id"]


def play(expression, hosts):
    return [{"hosts": "localhost", "gather_facts": False, "tasks": [
        {"name": "read", "ansible.builtin.set_fact": {"found": "{{ %s }}" % expression}},
        {"name": "check", "ansible.builtin.assert": {"that": ["found | length == %d" % hosts]}},
    ]}]


def run_case(server, label, expression, hosts):
    seconds, count, rc, output = run_playbook(server, play(expression, hosts))
    if rc != 0:
        raise SystemExit("%s failed:\n%s" % (label, output[-3000:]))
    return seconds, count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    server = start_server()
    try:
        inventory_id = make_inventory(server, args.hosts)
        cases = [
            ("gitops.awx.api (defaults)",
             "query('gitops.awx.api', 'hosts', query_params={'inventory': %d})" % inventory_id),
            ("awx.awx.controller_api return_all",
             "query('awx.awx.controller_api', 'hosts', query_params={'inventory': %d}, return_all=true, "
             "max_objects=%d)" % (inventory_id, args.hosts)),
            ("awx.awx.controller_api return_all, page_size=200",
             "query('awx.awx.controller_api', 'hosts', query_params={'inventory': %d, 'page_size': 200}, "
             "return_all=true, max_objects=%d)" % (inventory_id, args.hosts)),
        ]
        # One warm-up run per case (byte-code caches, the server's first queries), then the
        # cases take turns so that no case profits from running last.
        for label, expression in cases:
            run_case(server, label, expression, args.hosts)
        results = dict((label, {"timings": [], "requests": set()}) for label, _expression in cases)
        for _round in range(args.repeat):
            for label, expression in cases:
                seconds, count = run_case(server, label, expression, args.hosts)
                results[label]["timings"].append(seconds)
                results[label]["requests"].add(count)
        rows = []
        for label, _expression in cases:
            timings = results[label]["timings"]
            rows.append((label, "/".join(str(n) for n in sorted(results[label]["requests"])),
                         "%.2f" % min(timings), "%.2f" % (sum(timings) / len(timings))))
        print_table("Lookup of %d hosts (wall time of the whole ansible-playbook run, %d runs)"
                    % (args.hosts, args.repeat),
                    ["lookup", "HTTP requests", "best s", "mean s"], rows)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
