"""When does a session token pay off for a username/password user?

Measures, against the local AWX API server (or any AWX given with --url):

1. the cost of one authenticated request with HTTP Basic and with a Bearer token;
2. whole client runs of k requests (close included) with three strategies:
   Basic only, the default (Basic for the first 2 requests, then a session token),
   and a session token from the first request.

Usage:
    .venv/bin/python bench/auth_crossover.py                  # starts python -m awxsim
    .venv/bin/python bench/auth_crossover.py --url https://awx.example.com --username admin \\
        --password-env AWX_PASSWORD [--insecure]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

# Importing tests.conftest links the checkout as ansible_collections.gitops.awx.
import tests.conftest  # noqa: E402,F401  pylint: disable=unused-import
from tests.integration.conftest import start_simulator  # noqa: E402

from ansible_collections.gitops.awx.plugins.module_utils._auth import DEFAULT_SWITCH_AFTER  # noqa: E402
from ansible_collections.gitops.awx.plugins.module_utils._client import Client  # noqa: E402
from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options  # noqa: E402

PROBE = ("hosts/", {"name": "gitops-awx-bench-nothing"})
STRATEGIES = [
    ("basic only", None),
    ("default (token after %d)" % DEFAULT_SWITCH_AFTER, DEFAULT_SWITCH_AFTER),
    ("token first", 0),
]


def settings(url, username, password, insecure):
    return settings_from_options({"controller_host": url, "controller_username": username,
                                  "controller_password": password, "validate_certs": not insecure})


def per_request_cost(conn, samples):
    """Median seconds of one GET with Basic and with a Bearer token."""
    basic = []
    client = Client(conn, switch_after=None)
    client.get(*PROBE)  # connection set-up out of the measurement
    for _round in range(samples):
        started = time.perf_counter()
        client.get(*PROBE)
        basic.append(time.perf_counter() - started)
    client.close()

    bearer = []
    client = Client(conn, switch_after=0)
    client.get(*PROBE)  # creates the session token
    for _round in range(samples):
        started = time.perf_counter()
        client.get(*PROBE)
        bearer.append(time.perf_counter() - started)
    client.close()
    return statistics.median(basic), statistics.median(bearer)


def one_run(conn, switch_after, k):
    started = time.perf_counter()
    client = Client(conn, switch_after=switch_after)
    try:
        for _round in range(k):
            client.get(*PROBE)
    finally:
        client.close()
    return time.perf_counter() - started, client.request_count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password-env", default="AWX_PASSWORD",
                        help="environment variable holding the password (never a command-line argument)")
    parser.add_argument("--insecure", action="store_true")
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="1,2,3,4,5,6,8,12,20,50")
    args = parser.parse_args(argv)

    server = None
    if args.url:
        conn = settings(args.url, args.username, os.environ[args.password_env], args.insecure)
        where = args.url
    else:
        server = start_simulator(tempfile.mkdtemp(prefix="gitops-awx-auth-bench-"), test_hooks=False)
        conn = settings(server.url, server.username, server.password, True)
        where = "python -m awxsim (%s)" % server.url
    try:
        basic, bearer = per_request_cost(conn, args.samples)
        print("server: %s" % where)
        print("one GET, median of %d: Basic %.1f ms, Bearer %.1f ms (Basic costs %.1f ms more)"
              % (args.samples, basic * 1000, bearer * 1000, (basic - bearer) * 1000))
        sizes = [int(x) for x in args.sizes.split(",")]
        header = ["k requests"] + ["%s: ms / requests" % name for name, _s in STRATEGIES]
        rows = []
        for k in sizes:
            row = [str(k)]
            for _name, switch_after in STRATEGIES:
                runs = [one_run(conn, switch_after, k) for _round in range(args.repeat)]
                seconds = statistics.median(r[0] for r in runs)
                row.append("%.0f / %d" % (seconds * 1000, runs[0][1]))
            rows.append(row)
        widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
        print("\nwhole client runs (close included), median of %d:" % args.repeat)
        for row in [header, ["-" * w for w in widths]] + rows:
            print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)))
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
