"""Canary secrets: every secret the collection handles is a unique string, searched for in every
output of real runs (results, diffs, ``-vvvv`` output, error messages, ansible-runner's
artifacts and events, the inventory plugin's output and cache files). It must be found nowhere.

``SECRET_ROWS`` is the table: one row per secret and the runs that handle it. A module that
handles a new secret adds a canary, a run (or a task in ``_main_tasks``) and one row.
"""
import glob
import json
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
import yaml

from tests.reliability import sim as harness


class RecordingProxy:
    """A loopback HTTP proxy in front of the server that remembers every token the server issued
    (the answers to ``POST .../tokens/``): the session tokens the client creates for itself."""

    def __init__(self, upstream):
        self.upstream = upstream.rstrip("/")
        self.tokens = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, fmt, *args):
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = dict((k, v) for k, v in self.headers.items()
                               if k.lower() not in ("host", "content-length", "connection"))
                answer = requests.request(self.command, proxy.upstream + self.path, data=body, headers=headers,
                                          timeout=60, allow_redirects=False)
                if self.command == "POST" and self.path.split("?")[0].endswith("/tokens/"):
                    try:
                        proxy.tokens.append(answer.json()["token"])
                    except (ValueError, KeyError, TypeError):
                        pass
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "connection", "transfer-encoding", "content-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class SecretWorld:
    """A server whose admin password is a canary, and objects holding canary secrets."""

    def __init__(self, workdir):
        self.workdir = workdir
        tag = uuid.uuid4().hex[:8]
        self.canaries = dict((name, "CANARY%s%s" % (name.replace("_", ""), tag)) for name in (
            "password", "wrong_password", "wrong_token", "galaxy_token", "machine_password",
            "notification_password", "credential_passwords"))
        self.server = harness.start_sim(os.path.join(workdir, "secrets-sim"), admin_password=self.canaries["password"])
        self.proxy = RecordingProxy(self.server.url)
        server = self.server
        self.canaries["token"] = server.new_token()
        self.prefix = "sec-%s" % tag
        org = server.create("organizations/", name=self.prefix)
        galaxy = server.find_one("credential_types/", name="Ansible Galaxy/Automation Hub API Token")
        machine = server.find_one("credential_types/", name="Machine")
        server.create("credentials/", name=self.prefix + "-galaxy", organization=org["id"],
                      credential_type=galaxy["id"],
                      inputs={"url": "https://galaxy.example.com/", "token": self.canaries["galaxy_token"]})
        server.create("credentials/", name=self.prefix + "-machine", organization=org["id"],
                      credential_type=machine["id"],
                      inputs={"username": "deploy", "password": self.canaries["machine_password"]})
        server.create("notification_templates/", name=self.prefix + "-mail", organization=org["id"],
                      notification_type="email", notification_configuration={
                          "host": "smtp.example.com", "port": 25, "username": "mailer",
                          "password": self.canaries["notification_password"], "sender": "awx@example.com",
                          "recipients": ["ops@example.com"], "use_tls": False, "use_ssl": False, "timeout": 30})
        project = server.add_project(self.prefix + "-jobs", organization=org)
        inv = server.create("inventories/", name=self.prefix, organization=org["id"])
        server.create("hosts/", name="h1", inventory=inv["id"])
        self.template = server.create("job_templates/", name=self.prefix + "-hello", inventory=inv["id"],
                                      project=project["id"], playbook="hello.yml")
        self.inventory = inv
        self.outputs = {}

    def stop(self):
        self.proxy.stop()
        self.server.stop()

    # -- the runs -----------------------------------------------------------------------------------
    def env(self, auth, where="env", url=None):
        """Connection settings for a run: ``auth`` password|token|wrong_password|wrong_token,
        given in the environment or as task options (module_defaults and play vars)."""
        url = url or self.proxy.url
        if auth in ("password", "wrong_password"):
            options = {"controller_username": "admin", "controller_password": self.canaries[auth]}
        else:
            options = {"controller_oauthtoken": self.canaries[auth]}
        options["controller_host"] = url
        if where == "env":
            names = {"controller_host": "CONTROLLER_HOST", "controller_username": "CONTROLLER_USERNAME",
                     "controller_password": "CONTROLLER_PASSWORD", "controller_oauthtoken": "CONTROLLER_OAUTH_TOKEN"}
            return dict((names[k], v) for k, v in options.items()), None
        return {}, options

    def _main_tasks(self):
        prefix = self.prefix
        lookup = "{{ query('gitops.awx.api', '%s', query_params={'name__startswith': '" + prefix + "'}) }}"
        return [
            {"name": "create an organization", "gitops.awx.organization": {
                "name": prefix + "-{{ run_tag }}", "description": "canary run"}},
            {"name": "the same again", "gitops.awx.organization": {
                "name": prefix + "-{{ run_tag }}", "description": "canary run"}},
            {"name": "reference the secret-holding objects", "gitops.awx.organization": {
                "name": prefix + "-{{ run_tag }}", "galaxy_credentials": [prefix + "-galaxy"],
                "notification_templates_started": [prefix + "-mail"]}},
            {"name": "fail on an unknown inventory", "ignore_errors": True, "gitops.awx.host": {
                "name": "h-{{ run_tag }}", "inventory": "no-such-inventory-{{ run_tag }}"}},
            {"name": "fail on a wrong type", "ignore_errors": True, "gitops.awx.organization": {
                "name": prefix + "-{{ run_tag }}", "max_hosts": "many"}},
            {"name": "read credentials", "ansible.builtin.debug": {"msg": lookup % "credentials"}},
            {"name": "read notification templates", "ansible.builtin.debug": {"msg": lookup % "notification_templates"}},
            {"name": "fail in a lookup", "ignore_errors": True, "ansible.builtin.debug": {
                "msg": "{{ lookup('gitops.awx.api', 'no_such_endpoint') }}"}},
        ]

    def playbook_run(self, name, auth, where="env", tasks=None, module_path=False):
        """One run at -vvvv with --diff; ``module_path`` runs the modules as module processes
        instead of in the controller (the in-process entry's own switch)."""
        env, options = self.env(auth, where)
        if module_path:
            env["GITOPS_AWX_IN_PROCESS"] = "false"
        plays = harness.play(tasks or self._main_tasks(), options, name=name)
        if options:
            plays[0]["vars"] = dict(options)
        workdir = os.path.join(self.workdir, "secrets-" + name)
        run = harness.run_playbook(workdir, plays, extravars={"run_tag": name}, env=env, diff=True, verbosity=4)
        texts = [("stdout", run.stdout), ("events", json.dumps(run.events))]
        texts.extend(run.artifact_texts())
        self.outputs[name] = {"texts": texts, "rc": run.rc, "run": run}
        return run

    def inventory_run(self, name, auth):
        env, _options = self.env(auth)
        folder = os.path.join(self.workdir, "secrets-" + name)
        cache = os.path.join(folder, "cache")
        os.makedirs(cache, exist_ok=True)
        config = os.path.join(folder, "canary.awx.yml")
        with open(config, "w") as handle:
            yaml.safe_dump({"plugin": "gitops.awx.awx", "inventory": self.inventory["name"], "cache": True,
                            "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": cache}, handle)
        proc = harness.ansible_inventory(config, env, args=("--list", "-vvvv"))
        texts = [("stdout", proc.stdout), ("stderr", proc.stderr)]
        for path in glob.glob(os.path.join(cache, "*")):
            with open(path) as handle:
                texts.append((path, handle.read()))
        self.outputs[name] = {"texts": texts, "rc": proc.returncode, "cache_files": len(texts) - 2}
        return proc

    def run_all(self):
        for auth in ("password", "token"):
            for where in ("env", "option"):
                self.playbook_run("%s-%s" % (auth, where), auth, where)
            self.playbook_run("%s-env-module" % auth, auth, module_path=True)
        for auth in ("wrong_password", "wrong_token"):
            # Every task fails on the 401: the module, then the lookup (both must have run).
            failing = [dict(task, ignore_errors=True) for task in self._main_tasks()
                       if task["name"] in ("create an organization", "read credentials")]
            self.playbook_run(auth, auth, tasks=failing)
        self.playbook_run("job_launch", "token", tasks=[{
            "name": "launch with credential passwords", "ignore_errors": True, "gitops.awx.job_launch": {
                "name": self.template["name"], "organization": self.prefix, "wait": True,
                "credential_passwords": {"ssh_password": self.canaries["credential_passwords"]}}}])
        for auth in ("password", "token"):
            self.inventory_run("inventory-" + auth, auth)
        self.canaries["session_tokens"] = list(self.proxy.tokens)


# (secret, canary key, runs whose every output is searched, what the row proves)
SECRET_ROWS = [
    ("controller_password (environment)", "password", ["password-env", "password-env-module", "inventory-password"],
     "modules, lookup and inventory plugin; -vvvv, --diff, failures"),
    ("controller_password (task option / play var)", "password", ["password-option"],
     "module_defaults and the lookup's vars"),
    ("controller_oauthtoken (environment)", "token", ["token-env", "token-env-module", "inventory-token", "job_launch"],
     "modules, lookup, inventory plugin, job_launch"),
    ("controller_oauthtoken (task option / play var)", "token", ["token-option"],
     "module_defaults and the lookup's vars"),
    ("session token (created from the password)", "session_tokens",
     ["password-env", "password-option", "password-env-module", "inventory-password"],
     "tokens the client created, seen by a proxy"),
    ("wrong controller_password (401)", "wrong_password", ["wrong_password"], "the failing run's messages"),
    ("wrong controller_oauthtoken (401)", "wrong_token", ["wrong_token"], "the failing run's messages"),
    ("credential input (Galaxy token)", "galaxy_token",
     ["password-env", "token-env", "password-option", "token-option", "password-env-module", "token-env-module"],
     "organization galaxy_credentials diff; the lookup reading credentials/"),
    ("credential input (Machine password)", "machine_password", ["password-env", "token-env"],
     "the lookup reading credentials/"),
    ("notification secret (email password)", "notification_password", ["password-env", "token-env"],
     "organization notification_templates_* diff; the lookup reading notification_templates/"),
    ("job_launch credential_passwords", "credential_passwords", ["job_launch"], "launch, wait, job output"),
]


def search(world, canary_key, runs):
    """(places the canary was found, texts searched) for one row."""
    canaries = world.canaries[canary_key]
    canaries = canaries if isinstance(canaries, list) else [canaries]
    found, searched = [], 0
    for run in runs:
        for label, text in world.outputs[run]["texts"]:
            searched += 1
            for canary in canaries:
                if canary in text:
                    found.append("%s: %s" % (run, label))
    return found, searched


def world_problems(world):
    """The runs must have done what the rows claim (otherwise a clean search proves nothing)."""
    problems = []
    if not world.canaries.get("session_tokens"):
        problems.append("no session token was created in the password runs")
    for name in ("password-env", "password-option", "token-env", "token-option", "password-env-module",
                 "token-env-module"):
        run = world.outputs[name]["run"]
        if run.rc != 0:
            problems.append("%s: rc %s\n%s" % (name, run.rc, run.stdout[-1500:]))
            continue
        refs = run.result("reference the secret-holding objects")
        if not refs.get("changed") or "diff" not in json.dumps(run.events):
            problems.append("%s: the reference task did not change anything" % name)
        if world.prefix + "-galaxy" not in json.dumps(run.result("read credentials")):
            problems.append("%s: the lookup did not return the credentials" % name)
        for failing in ("fail on an unknown inventory", "fail on a wrong type", "fail in a lookup"):
            if not run.result(failing).get("failed"):
                problems.append("%s: %r did not fail" % (name, failing))
    for name in ("wrong_password", "wrong_token"):
        run = world.outputs[name]["run"]
        for task in ("create an organization", "read credentials"):
            if "401" not in run.result(task).get("msg", ""):
                problems.append("%s: %r did not fail with a 401" % (name, task))
    for name in ("inventory-password", "inventory-token"):
        if world.outputs[name]["rc"] != 0 or not world.outputs[name]["cache_files"]:
            problems.append("%s: rc %s, %s cache files" % (name, world.outputs[name]["rc"], world.outputs[name]["cache_files"]))
    return problems
