"""Shared pieces of the benchmarks: a local AWX API server, playbook runs, request counts.

Every benchmark prints figures for gitops.awx and awx.awx side by side, measured on the
same server in the same run; requests are counted by the server itself (/_sim/requests/).
"""
import os
import subprocess
import sys
import tempfile
import time

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

from tests.conftest import COLLECTIONS_PATH  # noqa: E402  (links the checkout as gitops.awx)
from tests.integration.conftest import start_simulator  # noqa: E402

# awx.awx comes with the `ansible` package in the venv; ours through the .build link.
SITE_COLLECTIONS = next(p for p in sys.path if p.endswith("site-packages"))


def start_server():
    # the benches count requests through /_sim/requests/
    return start_simulator(tempfile.mkdtemp(prefix="gitops-awx-bench-"), test_hooks=True)


def run_playbook(server, plays, extra_env=None):
    """Run plays with ansible-playbook; return (seconds, requests counted by the server, rc, output)."""
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
    env.update(extra_env or {})
    server.reset_counts()
    started = time.monotonic()
    proc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "localhost,", path],
        env=env, capture_output=True, text=True, check=False,
    )
    seconds = time.monotonic() - started
    counts = server.request_counts()
    os.unlink(path)
    return seconds, counts.get("total", 0), proc.returncode, proc.stdout + proc.stderr


def print_table(title, headers, rows):
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    print("\n" + title)
    line = "  ".join(str(h).ljust(w) for h, w in zip(headers, widths))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
