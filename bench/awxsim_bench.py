"""awxsim benchmark: start-to-ready time and list-page latency.

    .venv/bin/python bench/awxsim_bench.py [--hosts 1000] [--db :memory:|PATH] [--runs 3]

Starts ``python -m awxsim`` on a free loopback port (as a user would), measures the time
until ``GET /api/v2/ping/`` answers 200, fills one inventory with ``--hosts`` hosts through
``bulk/host_create``, then reads every page at ``page_size=200`` with one keep-alive
session and a personal token, and prints the figures (budget: ready <= 3 s, page <= 0.5 s).
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import requests

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(workdir, db):
    port = free_port()
    url = "http://127.0.0.1:%d" % port
    log = open(os.path.join(workdir, "awxsim.log"), "w")
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "awxsim", "--host", "127.0.0.1", "--port", str(port),
         "--db", db, "--projects-root", os.path.join(workdir, "projects")],
        cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    while True:
        if process.poll() is not None:
            raise SystemExit("awxsim exited; see %s" % log.name)
        try:
            if requests.get(url + "/api/v2/ping/", timeout=1).status_code == 200:
                return process, url, time.monotonic() - started
        except requests.RequestException:
            time.sleep(0.02)
        if time.monotonic() - started > 60:
            process.kill()
            raise SystemExit("awxsim not ready after 60 s")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--db", default=":memory:")
    parser.add_argument("--runs", type=int, default=3, help="full listings to time")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        db = args.db if args.db == ":memory:" or args.db.startswith("postgres") \
            else os.path.join(workdir, "bench.sqlite3")
        process, url, ready = start(workdir, db)
        try:
            session = requests.Session()
            token = session.post(url + "/api/v2/tokens/",
                                 auth=("admin", "password"), json={"scope": "write"},
                                 timeout=30).json()["token"]
            session.headers["Authorization"] = "Bearer " + token
            api = url + "/api/v2/"
            tag = "bench-%d-%d" % (os.getpid(), int(time.time()))  # the database may be reused
            org = session.post(api + "organizations/", json={"name": tag}).json()["id"]
            inv = session.post(api + "inventories/",
                               json={"name": tag, "organization": org}).json()["id"]
            fill_started = time.monotonic()
            for start_at in range(0, args.hosts, 100):
                batch = [{"name": "%s-%05d" % (tag, i), "variables": "a: %d" % i}
                         for i in range(start_at, min(start_at + 100, args.hosts))]
                response = session.post(api + "bulk/host_create/",
                                        json={"inventory": inv, "hosts": batch})
                response.raise_for_status()
            fill = time.monotonic() - fill_started
            group = session.post(api + "groups/", json={"name": "g", "inventory": inv}).json()
            first = session.get(api + "hosts/?inventory=%d&page_size=10" % inv).json()
            for host in first["results"]:
                session.post(api + "groups/%d/hosts/" % group["id"], json={"id": host["id"]})
            page_times, requests_made = [], 0
            for _run in range(args.runs):
                path = api + "hosts/?inventory=%d&page_size=200" % inv
                while path:
                    started = time.monotonic()
                    response = session.get(path)
                    page_times.append(time.monotonic() - started)
                    requests_made += 1
                    body = response.json()
                    path = url + body["next"] if body["next"] else None
            print("awxsim bench (%s, %d hosts)" % ("memory" if db == ":memory:" else db,
                                                   args.hosts))
            print("  start to ready:            %.2f s (budget 3 s)" % ready)
            print("  bulk create %5d hosts:    %.2f s (%d requests)"
                  % (args.hosts, fill, -(-args.hosts // 100)))
            print("  page of 200 hosts:         median %.3f s, max %.3f s over %d pages "
                  "(budget 0.5 s)" % (statistics.median(page_times), max(page_times),
                                      requests_made))
            print("  full listing:              %.2f s per pass of %d pages"
                  % (sum(page_times) / args.runs, requests_made // args.runs))
        finally:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
