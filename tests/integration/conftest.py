"""Fixtures for real ``ansible-playbook`` runs against the local AWX API server.

``awx_server`` starts ``python -m awxsim`` once per test session on a free loopback
port (or uses the AWX named by GITOPS_AWX_TEST_HOST / _USERNAME / _PASSWORD, with its
projects root as GITOPS_AWX_TEST_PROJECTS_ROOT; see docs/developing.md), and
``run_playbook`` runs a playbook through ansible-runner with the connection
environment set, returning every task result by task name.
"""
import json
import os
import socket
import subprocess
import sys
import time

import ansible_runner
import pytest
import requests
import yaml

from tests.conftest import COLLECTIONS_PATH, REPO_ROOT

PLAYBOOKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "playbooks")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AWXServer:
    """A running AWX API (the local server, or a real one) and a few helpers for tests."""

    def __init__(self, url, username, password, process=None, workdir=None, projects_root=None):
        self.url = url.rstrip("/")
        self.username = username
        self.password = password
        self.process = process
        self.workdir = workdir
        # Where manual projects live: the local server's, or on a real AWX the directory given by
        # GITOPS_AWX_TEST_PROJECTS_ROOT (its PROJECTS_ROOT as this machine sees it), else None.
        self.projects_root = projects_root or (os.path.join(workdir, "projects") if workdir else None)
        self.session = requests.Session()
        self.session.auth = (username, password)

    @property
    def is_simulator(self):
        return self.process is not None

    def api(self, method, path, **kwargs):
        """A raw request for arranging and checking state (not the code under test)."""
        if not path.startswith("/"):
            path = "/api/v2/" + path
        response = self.session.request(method, self.url + path, timeout=30, **kwargs)
        return response

    def env(self):
        return {
            "CONTROLLER_HOST": self.url,
            "CONTROLLER_USERNAME": self.username,
            "CONTROLLER_PASSWORD": self.password,
            "CONTROLLER_VERIFY_SSL": "false",
        }

    def _hook(self, method, path, **kwargs):
        """A call to the local server's /_sim/ test hooks (which a real AWX does not have)."""
        assert self.is_simulator, "/_sim/%s needs the local server (guard with is_simulator)" % path
        response = self.session.request(method, self.url + "/_sim/" + path, timeout=10, **kwargs)
        assert response.status_code in (200, 204), "/_sim/%s: %d %s" % (
            path, response.status_code, response.text[:300])
        return response.json() if response.status_code == 200 else None

    def request_counts(self):
        return self._hook("GET", "requests/")

    def reset_counts(self):
        """Zero the local server's counters; nothing to do on a real AWX (read counts only under
        ``is_simulator``)."""
        if self.is_simulator:
            self._hook("POST", "requests/reset/")

    def set_faults(self, **faults):
        """Set a fault plan (flat keys or ``seed=..., rules=[...]``); returns the normalised plan."""
        return self._hook("POST", "faults/", json=faults)["faults"]

    def clear_faults(self):
        self._hook("DELETE", "faults/")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def start_simulator(workdir, port=None, test_hooks=True):
    """Start ``python -m awxsim`` (with its /_sim/ test hooks unless told not to) and wait until
    /api/v2/ping/ answers."""
    port = port or _free_port()
    os.makedirs(os.path.join(workdir, "projects"), exist_ok=True)
    log = open(os.path.join(workdir, "awxsim.log"), "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "awxsim", "--host", "127.0.0.1", "--port", str(port),
         "--db", os.path.join(workdir, "awxsim.sqlite3"),
         "--projects-root", os.path.join(workdir, "projects")] + (["--test-hooks"] if test_hooks else []),
        cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    url = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("awxsim exited early; see %s" % log.name)
        try:
            if requests.get(url + "/api/v2/ping/", timeout=1).status_code == 200:
                return AWXServer(url, "admin", "password", process=process, workdir=workdir)
        except requests.RequestException:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("awxsim did not become ready in 60 s; see %s" % log.name)


@pytest.fixture(scope="session")
def awx_server(tmp_path_factory):
    external = os.environ.get("GITOPS_AWX_TEST_HOST")
    if external:
        yield AWXServer(external, os.environ.get("GITOPS_AWX_TEST_USERNAME", "admin"),
                        os.environ["GITOPS_AWX_TEST_PASSWORD"],
                        projects_root=os.environ.get("GITOPS_AWX_TEST_PROJECTS_ROOT") or None)
        return
    server = start_simulator(str(tmp_path_factory.mktemp("awxsim")))
    try:
        yield server
    finally:
        server.stop()


class PlaybookRun:
    """What one ansible-playbook run did: rc, stats, stdout and each task's results."""

    def __init__(self, runner):
        self.rc = runner.rc
        self.status = runner.status
        self.stats = runner.stats or {}
        self.stdout = runner.stdout.read()
        self.results = {}
        for event in runner.events:
            data = event.get("event_data", {})
            kind = event.get("event")
            if kind in ("runner_on_ok", "runner_on_failed", "runner_on_skipped",
                        "runner_item_on_ok", "runner_item_on_failed"):
                result = dict(data.get("res") or {})
                result.setdefault("failed", kind.endswith("failed"))
                self.results.setdefault(data.get("task"), []).append(result)

    def result(self, task_name):
        """The (last) result of the task with this name."""
        if task_name not in self.results:
            raise AssertionError("no result for task %r; tasks: %s\n%s"
                                 % (task_name, sorted(self.results), self.stdout[-3000:]))
        return self.results[task_name][-1]

    @property
    def changed(self):
        return sum((self.stats.get("changed") or {}).values())

    @property
    def failures(self):
        return sum((self.stats.get("failures") or {}).values())


@pytest.fixture
def run_playbook(awx_server, tmp_path):
    """run_playbook(playbook, extravars=None, check=False, diff=False, env=None,
    in_process=True) -> PlaybookRun.

    ``playbook`` is a file under tests/integration/playbooks/, an absolute path, or a list of plays.
    ``in_process=False`` runs the gitops.awx modules as modules (GITOPS_AWX_IN_PROCESS=false).
    """
    counter = {"n": 0}

    def run(playbook, extravars=None, check=False, diff=False, env=None, limit=None, in_process=True):
        counter["n"] += 1
        private = tmp_path / ("run%d" % counter["n"])
        private.mkdir()
        if isinstance(playbook, list):
            path = private / "playbook.yml"
            path.write_text(yaml.safe_dump(playbook, sort_keys=False))
            playbook = str(path)
        elif not os.path.isabs(playbook):
            playbook = os.path.join(PLAYBOOKS, playbook)
        envvars = {
            "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH,
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_LOCALHOST_WARNING": "false",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
            "ANSIBLE_NOCOLOR": "true",
            "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        }
        envvars.update(awx_server.env())
        if not in_process:
            envvars["GITOPS_AWX_IN_PROCESS"] = "false"
        envvars.update(env or {})
        cmdline = []
        if check:
            cmdline.append("--check")
        if diff:
            cmdline.append("--diff")
        runner = ansible_runner.run(
            private_data_dir=str(private), playbook=playbook, inventory="localhost,",
            extravars=dict(extravars or {}), envvars=envvars, cmdline=" ".join(cmdline) or None,
            quiet=True, limit=limit,
        )
        return PlaybookRun(runner)

    return run


def json_dump(data):
    return json.dumps(data, indent=2, sort_keys=True)
