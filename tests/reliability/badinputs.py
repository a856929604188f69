"""Bad inputs: each must end in ONE line naming the option or object, without a traceback, and
before any write request reached the server (the server's counts by method, read just before and after each case).

Module and lookup cases run as tasks of one playbook per connection kind, each case between two
reads of the server's counters (``/_sim/`` hooks); inventory plugin cases run ``ansible-inventory``
once each, the counters reset before each.
"""
import collections
import json
import os
import socket
import ssl
import subprocess
import threading
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import yaml

from tests.reliability import sim as harness

Case = collections.namedtuple("Case", "id target expect task auth")

FAST_FAIL = {"max_retries": 1, "retry_max_time": 2, "request_timeout": 5}


def _lookup(expression):
    return {"ansible.builtin.debug": {"msg": "{{ %s }}" % expression}}


def cases(world):
    """The table. ``expect``: every string must be in the message (case-insensitive)."""
    w = world
    org, inv, jt, survey = w["org"], w["inventory"], w["template"], w["survey_template"]
    tls, closed, web = w["tls_url"], w["closed_url"], w["web_url"]
    plain_as_https = w["server_url"].replace("http://", "https://")
    table = [
        # organization
        ("org-wrong-type", "organization", ["max_hosts"], {"gitops.awx.organization": {"name": "x", "max_hosts": "many"}}),
        ("org-missing-name", "organization", ["name"], {"gitops.awx.organization": {"description": "no name"}}),
        ("org-unknown-option", "organization", ["colour"], {"gitops.awx.organization": {"name": "x", "colour": "red"}}),
        ("org-bad-state", "organization", ["state"], {"gitops.awx.organization": {"name": "x", "state": "gone"}}),
        ("org-unknown-galaxy-credential", "organization", ["no-such-credential"],
         {"gitops.awx.organization": {"name": org, "galaxy_credentials": ["no-such-credential"]}}),
        ("org-unknown-notification", "organization", ["no-such-notification"],
         {"gitops.awx.organization": {"name": org, "notification_templates_error": ["no-such-notification"]}}),
        # inventory
        ("inv-unknown-organization", "inventory", ["no-such-org"],
         {"gitops.awx.inventory": {"name": "x", "organization": "no-such-org"}}),
        ("inv-invalid-yaml-variables", "inventory", ["variables"],
         {"gitops.awx.inventory": {"name": inv, "organization": org, "variables": "a: [1"}}),
        ("inv-json-list-variables", "inventory", ["variables"],
         {"gitops.awx.inventory": {"name": inv, "organization": org, "variables": "[1, 2]"}}),
        ("inv-bad-kind", "inventory", ["kind"],
         {"gitops.awx.inventory": {"name": inv, "organization": org, "kind": "dynamic"}}),
        ("inv-unknown-copy-from", "inventory", ["no-such-source"],
         {"gitops.awx.inventory": {"name": "copy-" + inv, "organization": org, "copy_from": "no-such-source"}}),
        ("inv-missing-organization-on-create", "inventory", ["organization"],
         {"gitops.awx.inventory": {"name": "orphan-" + inv}}),
        # host
        ("host-unknown-inventory", "host", ["no-such-inventory"],
         {"gitops.awx.host": {"name": "h", "inventory": "no-such-inventory"}}),
        ("host-ambiguous-inventory", "host", [w["ambiguous"], w["org"], w["org2"]],
         {"gitops.awx.host": {"name": "h", "inventory": w["ambiguous"]}}),
        ("host-wrong-bool", "host", ["enabled"],
         {"gitops.awx.host": {"name": "h", "inventory": inv, "organization": org, "enabled": "maybe"}}),
        ("host-invalid-json-variables", "host", ["variables"],
         {"gitops.awx.host": {"name": "h", "inventory": inv, "organization": org, "variables": "{\"a\": 1"}}),
        ("host-number-variables", "host", ["variables"],
         {"gitops.awx.host": {"name": "h", "inventory": inv, "organization": org, "variables": 42}}),
        ("host-missing-inventory", "host", ["inventory"], {"gitops.awx.host": {"name": "h"}}),
        # job_launch / job_wait / job_cancel
        ("launch-unknown-template", "job_launch", ["no-such-template"],
         {"gitops.awx.job_launch": {"name": "no-such-template", "organization": org}}),
        ("launch-malformed-extra-vars", "job_launch", ["extra_vars"],
         {"gitops.awx.job_launch": {"name": jt, "organization": org, "extra_vars": "a: [1"}}),
        ("launch-list-extra-vars", "job_launch", ["extra_vars"],
         {"gitops.awx.job_launch": {"name": jt, "organization": org, "extra_vars": "[1, 2]"}}),
        ("launch-prompt-not-asked", "job_launch", ["limit"],
         {"gitops.awx.job_launch": {"name": jt, "organization": org, "limit": "h1"}}),
        ("launch-survey-answer-missing", "job_launch", ["who"],
         {"gitops.awx.job_launch": {"name": survey, "organization": org}}),
        ("launch-survey-answer-wrong-type", "job_launch", ["count"],
         {"gitops.awx.job_launch": {"name": survey, "organization": org,
                                    "extra_vars": {"who": "me", "count": "many"}}}),
        ("launch-bad-verbosity", "job_launch", ["verbosity"],
         {"gitops.awx.job_launch": {"name": jt, "organization": org, "verbosity": 9}}),
        ("wait-wrong-type", "job_wait", ["job_id"], {"gitops.awx.job_wait": {"job_id": "latest"}}),
        ("wait-unknown-job", "job_wait", ["999999"], {"gitops.awx.job_wait": {"job_id": 999999}}),
        ("cancel-bad-job-type", "job_cancel", ["job_type"],
         {"gitops.awx.job_cancel": {"job_id": 1, "job_type": "builds"}}),
        ("cancel-finished-job-strict", "job_cancel", [str(w["finished_job"])],
         {"gitops.awx.job_cancel": {"job_id": w["finished_job"], "fail_if_not_running": True}}),
        # connection
        ("conn-request-timeout-type", "organization", ["request_timeout"],
         {"gitops.awx.organization": {"name": org, "request_timeout": "soon"}}),
        ("conn-unreachable", "organization", ["127.0.0.1"],
         {"gitops.awx.organization": dict(FAST_FAIL, name=org, controller_host=closed)}),
        ("conn-https-to-plain-http", "organization", ["ssl"],
         {"gitops.awx.organization": dict(FAST_FAIL, name=org, controller_host=plain_as_https)}),
        ("conn-self-signed-certificate", "organization", ["certificate"],
         {"gitops.awx.organization": dict(FAST_FAIL, name=org, controller_host=tls, validate_certs=True)}),
        ("conn-not-an-awx", "organization", ["127.0.0.1"],
         {"gitops.awx.organization": dict(FAST_FAIL, name=org, controller_host=web)}),
        # api lookup
        ("lookup-unknown-endpoint", "api lookup", ["no_such_things"], _lookup("lookup('gitops.awx.api', 'no_such_things')")),
        ("lookup-unknown-filter", "api lookup", ["nosuchfield"],
         _lookup("lookup('gitops.awx.api', 'hosts', query_params={'nosuchfield__exact': 1})")),
        ("lookup-expect-one-none", "api lookup", ["no-such-host"],
         _lookup("lookup('gitops.awx.api', 'hosts', query_params={'name': 'no-such-host'}, expect_one=true)")),
        ("lookup-wrong-type", "api lookup", ["max_objects"],
         _lookup("lookup('gitops.awx.api', 'hosts', max_objects='lots')")),
    ]
    found = [Case(i, t, e, task, "token") for i, t, e, task in table]
    found.extend([
        Case("auth-bad-password", "organization", ["401"], {"gitops.awx.organization": {"name": org}}, "bad_password"),
        Case("auth-bad-password-lookup", "api lookup", ["401"], _lookup("lookup('gitops.awx.api', 'hosts')"),
             "bad_password"),
        Case("auth-bad-token", "host", ["401"], {"gitops.awx.host": {"name": "h", "inventory": inv, "organization": org}},
             "bad_token"),
        Case("conn-missing-host", "organization", ["controller_host"], {"gitops.awx.organization": {"name": org}},
             "no_host"),
        Case("conn-username-without-password", "organization", ["controller_password"],
             {"gitops.awx.organization": {"name": org, "controller_username": "admin"}}, "no_auth"),
    ])
    return found


def case_ids():
    """The ids of every case (module, lookup and inventory plugin), without a server."""
    placeholders = collections.defaultdict(lambda: "placeholder")
    return [c.id for c in cases(placeholders)] + [c[0] for c in inventory_cases(placeholders)]


def inventory_cases(world):
    """(id, plugin configuration, auth, expected strings) for ansible-inventory."""
    return [
        ("inventory-plugin-unknown-inventory", {"inventory": "no-such-inventory"}, "token", ["no-such-inventory"]),
        ("inventory-plugin-ambiguous-inventory", {"inventory": world["ambiguous"]}, "token",
         [world["ambiguous"], world["org"], world["org2"]]),
        ("inventory-plugin-unknown-organization", {"inventory": world["inventory"], "organization": "no-such-org"},
         "token", ["no-such-org"]),
        ("inventory-plugin-bad-read-method", {"inventory": world["inventory"], "read_method": "telepathy"}, "token",
         ["read_method"]),
        ("inventory-plugin-bad-password", {"inventory": world["inventory"]}, "bad_password", ["401"]),
    ]


class _Website(BaseHTTPRequestHandler):
    """Not an AWX: a web site answering every request with 200 and an HTML page."""
    protocol_version = "HTTP/1.0"

    def _page(self):
        body = b"<html><body>Welcome</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_OPTIONS = _page

    def log_message(self, fmt, *args):
        pass


def website(workdir=None):
    """A loopback web site that is not AWX; with ``workdir``, HTTPS with a self-signed certificate."""
    server = HTTPServer(("127.0.0.1", 0), _Website)
    scheme = "http"
    if workdir:
        cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "1", "-subj", "/CN=127.0.0.1"], check=True, capture_output=True, timeout=60)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, "%s://127.0.0.1:%d" % (scheme, server.server_address[1])


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d" % sock.getsockname()[1]


def build_world(server, workdir):
    tag = uuid.uuid4().hex[:6]
    org = server.create("organizations/", name="bad-%s" % tag)
    org2 = server.create("organizations/", name="bad2-%s" % tag)
    inv = server.create("inventories/", name="bad-%s" % tag, organization=org["id"])
    for owner in (org, org2):
        server.create("inventories/", name="twin-%s" % tag, organization=owner["id"])
    server.create("hosts/", name="h1", inventory=inv["id"])
    project = server.add_project("badjobs-%s" % tag, organization=org)
    template = server.create("job_templates/", name="bad-%s-hello" % tag, inventory=inv["id"],
                             project=project["id"], playbook="hello.yml")
    survey = server.create("job_templates/", name="bad-%s-survey" % tag, inventory=inv["id"],
                           project=project["id"], playbook="hello.yml", survey_enabled=True)
    answer = server.api("POST", "job_templates/%d/survey_spec/" % survey["id"], json={
        "name": "s", "description": "", "spec": [
            {"question_name": "Who?", "variable": "who", "type": "text", "required": True, "default": "",
             "min": 0, "max": 64},
            {"question_name": "How many?", "variable": "count", "type": "integer", "required": False,
             "min": 1, "max": 10, "default": ""}]})
    assert answer.status_code == 200, answer.text
    job = server.create("job_templates/%d/launch/" % template["id"])
    tls_server, tls_url = website(workdir)
    web_server, web_url = website()
    return {"org": org["name"], "org2": org2["name"], "inventory": inv["name"], "ambiguous": "twin-%s" % tag,
            "template": template["name"], "survey_template": survey["name"], "finished_job": job["id"],
            "tls_url": tls_url, "web_url": web_url,
            "servers": [tls_server, web_server], "closed_url": _closed_port(), "server_url": server.url}


def _auth_env(server, token, auth):
    if auth == "token":
        return harness.token_env(server, token)
    if auth == "bad_token":
        return harness.token_env(server, "not-a-valid-token-%s" % uuid.uuid4().hex[:6])
    if auth == "bad_password":
        return harness.password_env(server, password="not-the-password")
    if auth == "no_auth":
        return {"CONTROLLER_HOST": server.url}
    return {"CONTROLLER_OAUTH_TOKEN": token}      # no_host


def _counted(case, url):
    """The case between two reads of the server's counters (the difference is what the case sent).

    The reads are ``url`` lookups, which run in the controller: two tasks that cost no module process.
    """
    counters = "{{ lookup('ansible.builtin.url', '%s/_sim/requests/', split_lines=False) }}" % url
    task = dict(case.task, name=case.id, ignore_errors=True)
    return [{"name": "before " + case.id, "ansible.builtin.debug": {"msg": counters}},
            task,
            {"name": "after " + case.id, "ansible.builtin.debug": {"msg": counters}}]


def _counters(result):
    msg = result.get("msg")
    return msg if isinstance(msg, dict) else json.loads(msg) if msg else None


def _writes_between(server, before, after):
    """Write requests (by method) counted between two reads of the counters."""
    if before is None or after is None:
        return {"unknown": "no counters"}
    was = server.writes(before)
    return dict((m, n - was.get(m, 0)) for m, n in server.writes(after).items() if n - was.get(m, 0))


def _verdict(case, msg, writes, raw):
    line = msg if isinstance(msg, str) else json.dumps(msg)
    problems = []
    if not line:
        problems.append("no error message")
    if "\n" in line.strip():
        problems.append("more than one line")
    missing = [e for e in case.expect if e.lower() not in line.lower()]
    if missing:
        problems.append("does not name %s" % missing)
    if "Traceback" in raw or "MODULE FAILURE" in raw:
        problems.append("a traceback or MODULE FAILURE")
    if writes:
        problems.append("write requests reached the server: %s" % writes)
    return {"id": case.id, "target": case.target, "msg": line[:400], "writes": writes,
            "passed": not problems, "problems": problems}


def run_cases(server, workdir, token, world):
    """Every case; a list of verdicts (id, target, msg, writes, passed, problems)."""
    verdicts = []
    by_auth = collections.OrderedDict()
    for case in cases(world):
        by_auth.setdefault(case.auth, []).append(case)
    for auth, group in by_auth.items():
        tasks = []
        for case in group:
            tasks.extend(_counted(case, server.url))
        run = harness.run_playbook(os.path.join(workdir, "bad-" + auth), harness.play(tasks),
                                   env=_auth_env(server, token, auth))
        for case in group:
            result = run.results.get(case.id, [{}])[-1]
            writes = _writes_between(server, _counters(run.results.get("before " + case.id, [{}])[-1]),
                                     _counters(run.results.get("after " + case.id, [{}])[-1]))
            if not result.get("failed"):
                verdicts.append({"id": case.id, "target": case.target, "msg": "", "writes": writes, "passed": False,
                                 "problems": ["did not fail: %s" % json.dumps(result)[:300]]})
                continue
            verdicts.append(_verdict(case, result.get("msg", ""), writes, json.dumps(result)))
        if "Traceback" in run.stdout or "MODULE FAILURE" in run.stdout:
            verdicts.append({"id": "bad-%s-run" % auth, "target": "run", "msg": "", "writes": {}, "passed": False,
                             "problems": ["a traceback in the run's output"]})
    for case_id, config, auth, expect in inventory_cases(world):
        path = os.path.join(workdir, "%s.awx.yml" % case_id)
        with open(path, "w") as handle:
            yaml.safe_dump(dict({"plugin": "gitops.awx.awx"}, **config), handle)
        server.reset_counts()
        proc = harness.ansible_inventory(path, _auth_env(server, token, auth))
        writes = server.writes()
        # Ansible prints the plugin's message on its "Failed to parse" warning line (then repeats it
        # under "caused by" with its own origin lines): that line is the plugin's one-line error.
        lines = [line for line in proc.stderr.splitlines()
                 if "Failed to parse" in line and "plugins.inventory.awx' plugin: " in line]
        msg = lines[0].split("plugin: ", 1)[1].strip() if lines else proc.stderr.strip()[-400:]
        case = Case(case_id, "awx inventory", expect, None, auth)
        if proc.returncode == 0:
            verdicts.append({"id": case_id, "target": case.target, "msg": "", "writes": writes, "passed": False,
                             "problems": ["ansible-inventory succeeded"]})
            continue
        verdicts.append(_verdict(case, msg, writes, proc.stderr + proc.stdout))
    return verdicts
