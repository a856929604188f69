"""The reliability suite's harness: its own awxsim (with ``--test-hooks``, a SQLite file, a port
that can be reused after a restart) and playbook runs through ansible-runner.

No pytest here: the tests and ``python -m tests.reliability.report`` share this code.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import ansible_runner
import requests
import yaml

from tests.conftest import COLLECTIONS_PATH, REPO_ROOT
from tests.integration.conftest import AWXServer, PlaybookRun

BIN = os.path.dirname(sys.executable)
PROJECT = os.path.join(REPO_ROOT, "tests", "integration", "projects", "demo")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sim(AWXServer):
    """An awxsim this suite owns: it can be killed and started again on the same port and db."""

    def __init__(self, workdir, port=None, admin_password="password"):
        self.port = port or free_port()
        self.db = os.path.join(workdir, "awxsim.sqlite3")
        self.log_path = os.path.join(workdir, "awxsim.log")
        os.makedirs(os.path.join(workdir, "projects"), exist_ok=True)
        super().__init__("http://127.0.0.1:%d" % self.port, "admin", admin_password, workdir=workdir)

    def start(self, timeout=60):
        """Start the server and wait (polling /api/v2/ping/) until it answers."""
        argv = [sys.executable, "-m", "awxsim", "--host", "127.0.0.1", "--port", str(self.port),
                "--db", self.db, "--projects-root", self.projects_root,
                "--admin-password", self.password, "--test-hooks"]
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(argv, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("awxsim exited early; see %s" % self.log_path)
            try:
                if requests.get(self.url + "/api/v2/ping/", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError("awxsim did not answer within %d s; see %s" % (timeout, self.log_path))

    def kill(self):
        """A crash, not a shutdown: SIGKILL, nothing is given a chance to finish."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def writes(self, counts=None):
        """Write requests by method in ``counts`` (a /_sim/requests/ answer; read now if not given)."""
        counts = counts or self.request_counts()
        return dict((m, n) for m, n in counts.get("by_method", {}).items() if m in WRITE_METHODS)

    # -- arranging and checking through the API (not the code under test) ----------------------
    def create(self, endpoint, **body):
        answer = self.api("POST", endpoint, json=body)
        if answer.status_code not in (200, 201):
            raise AssertionError("POST %s: %s %s" % (endpoint, answer.status_code, answer.text[:500]))
        return answer.json()

    def list_all(self, endpoint, **params):
        """Every object of a list endpoint (all pages), for checks on the server side."""
        params.setdefault("page_size", 200)
        answer = self.api("GET", endpoint, params=params)
        found = []
        while True:
            answer.raise_for_status()
            body = answer.json()
            found.extend(body["results"])
            if not body.get("next"):
                return found
            answer = self.api("GET", body["next"])

    def new_token(self):
        return self.create("tokens/", description="reliability suite", scope="write")["token"]

    def use_token(self, token):
        """Arrange and check with ``token`` from now on: basic auth hashes the password on every
        request (about 0.6 s each on a loaded machine), which a 100-object setup cannot afford."""
        self.session.auth = None
        self.session.headers["Authorization"] = "Bearer " + token
        return token

    def add_project(self, name, organization=None):
        """A manual project (a copy of tests/integration/projects/demo) in ``organization`` (an
        object), by default in an organization called ``name`` (created when missing)."""
        shutil.copytree(PROJECT, os.path.join(self.projects_root, name), dirs_exist_ok=True)
        org = organization or self.find_one("organizations/", name=name) or self.create("organizations/", name=name)
        return self.create("projects/", name=name, organization=org["id"], scm_type="", local_path=name)

    def find_one(self, endpoint, **params):
        found = self.list_all(endpoint, **params)
        return found[0] if found else None


def start_sim(workdir, port=None, admin_password="password"):
    return Sim(workdir, port=port, admin_password=admin_password).start()


def token_env(server, token):
    return {"CONTROLLER_HOST": server.url, "CONTROLLER_OAUTH_TOKEN": token, "CONTROLLER_VERIFY_SSL": "false"}


def password_env(server, password=None):
    return {"CONTROLLER_HOST": server.url, "CONTROLLER_USERNAME": server.username,
            "CONTROLLER_PASSWORD": server.password if password is None else password,
            "CONTROLLER_VERIFY_SSL": "false"}


def base_env():
    return {
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH,
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_LOCALHOST_WARNING": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "ANSIBLE_NOCOLOR": "true",
        "ANSIBLE_FORCE_COLOR": "false",
        "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
    }


class Run(PlaybookRun):
    """A finished run, plus where its artifacts are and how long it took."""

    def __init__(self, runner, private_dir, seconds):
        super().__init__(runner)
        self.private_dir = private_dir
        self.seconds = seconds
        self.events = list(runner.events)

    def items(self, task_name):
        """Every loop item's result of a task (the per-item events)."""
        found = [r for r in self.results.get(task_name, []) if "item" in r or "ansible_loop_var" in r]
        return found or self.results.get(task_name, [])

    def changed_items(self, task_name):
        return sum(1 for r in self.items(task_name) if r.get("changed"))

    def failed_items(self, task_name):
        return [r for r in self.items(task_name) if r.get("failed")]

    def artifact_texts(self):
        """(path, text) of every file ansible-runner wrote as output (events, stdout, status)."""
        root = os.path.join(self.private_dir, "artifacts")
        for folder, _dirs, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                with open(path, "rb") as handle:
                    text = handle.read().decode("utf-8", "replace")
                if name == "command":
                    # ansible-runner records the command line and the environment this harness
                    # gave it (an input holding the secrets under test, not an output): drop "env".
                    command = json.loads(text)
                    command.pop("env", None)
                    text = json.dumps(command)
                yield path, text


def _prepare(workdir, plays, extravars, env, check, diff, verbosity, limit):
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "playbook.yml")
    with open(path, "w") as handle:
        handle.write(yaml.safe_dump(plays, sort_keys=False))
    envvars = base_env()
    envvars.update(env or {})
    cmdline = " ".join(flag for flag, wanted in (("--check", check), ("--diff", diff)) if wanted)
    return dict(private_data_dir=workdir, playbook=path, inventory="localhost,", extravars=dict(extravars or {}),
                envvars=envvars, cmdline=cmdline or None, quiet=True, verbosity=verbosity or None, limit=limit)


def run_playbook(workdir, plays, extravars=None, env=None, check=False, diff=False, verbosity=0, limit=None):
    """Run a list of plays with ansible-playbook (through ansible-runner) and wait for it."""
    kwargs = _prepare(workdir, plays, extravars, env, check, diff, verbosity, limit)
    started = time.monotonic()
    runner = ansible_runner.run(**kwargs)
    return Run(runner, workdir, time.monotonic() - started)


class Started:
    """A playbook run started in the background (ansible-runner's own thread)."""

    def __init__(self, workdir, plays, options):
        kwargs = _prepare(workdir, plays, options.get("extravars"), options.get("env"), options.get("check", False),
                          options.get("diff", False), options.get("verbosity", 0), None)
        self.workdir = workdir
        self.started = time.monotonic()
        self.thread, self.runner = ansible_runner.run_async(**kwargs)

    def running(self):
        return self.thread.is_alive()

    def wait(self):
        self.thread.join()
        return Run(self.runner, self.workdir, time.monotonic() - self.started)


def start_playbook(workdir, plays, **options):
    """Start a run without waiting; ``.wait()`` gives its Run."""
    return Started(workdir, plays, options)


def run_playbooks_at_once(runs):
    """Start several runs ((workdir, plays, options) each) at the same time; wait for all of them."""
    started = [Started(workdir, plays, options) for workdir, plays, options in runs]
    return [handle.wait() for handle in started]


def play(tasks, connection_defaults=None, name="reliability"):
    """One play on localhost; ``connection_defaults`` go to module_defaults group/gitops.awx.awx."""
    body = {"name": name, "hosts": "localhost", "gather_facts": False, "tasks": tasks}
    if connection_defaults:
        body["module_defaults"] = {"group/gitops.awx.awx": connection_defaults}
    return [body]


def ansible_inventory(config_path, env, args=("--list",), timeout=120):
    """``ansible-inventory -i config`` with only our plugin enabled; the CompletedProcess."""
    full = dict(os.environ)
    full.update(base_env())
    full.update({"ANSIBLE_INVENTORY_ENABLED": "gitops.awx.awx", "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"})
    full.update(env)
    started = time.monotonic()
    proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", config_path] + list(args),
                          env=full, capture_output=True, text=True, timeout=timeout, check=False)
    proc.seconds = time.monotonic() - started
    return proc
