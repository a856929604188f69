"""A fresh simulator per test module, and a Bearer-token client for arranging state quickly.

Basic auth costs a deliberate ~0.2 s password hash per request (as on AWX), so tests talk
through a personal token except where Basic itself is under test.
"""
import os
import textwrap

import pytest
import requests

from tests.integration.conftest import start_simulator

PLAYBOOKS = {
    "hello.yml": """
        - name: Hello from awxsim
          hosts: all
          gather_facts: false
          tasks:
            - name: say hello
              ansible.builtin.debug:
                msg: Hello from AWX
        """,
    "fail.yml": """
        - name: Fail on purpose
          hosts: all
          gather_facts: false
          tasks:
            - name: fail
              ansible.builtin.fail:
                msg: failing on purpose
        """,
    "sleep.yml": """
        - name: Sleep
          hosts: all
          gather_facts: false
          tasks:
            - name: pause
              ansible.builtin.pause:
                seconds: 6
        """,
}


def write_demo_project(projects_root, name="rec-demo"):
    path = os.path.join(projects_root, name)
    os.makedirs(path, exist_ok=True)
    for filename, text in PLAYBOOKS.items():
        with open(os.path.join(path, filename), "w") as handle:
            handle.write(textwrap.dedent(text).lstrip())
    return path


class Api:
    """requests.Session bound to the server's /api/v2/, authenticating with a token."""

    def __init__(self, url, token=None, auth=None):
        self.url = url
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = "Bearer " + token
        if auth:
            self.session.auth = auth

    def request(self, method, path, **kwargs):
        if not path.startswith("/"):
            path = "/api/v2/" + path
        return self.session.request(method, self.url + path, timeout=30, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.request("POST", path, json=json, **kw)

    def patch(self, path, json=None, **kw):
        return self.request("PATCH", path, json=json, **kw)

    def put(self, path, json=None, **kw):
        return self.request("PUT", path, json=json, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def create(self, path, **fields):
        response = self.post(path, json=fields)
        assert response.status_code == 201, response.text
        return response.json()


def admin_token(url, username="admin", password="password", scope="write"):
    response = requests.post(url + "/api/v2/tokens/", auth=(username, password),
                             json={"description": "tests", "scope": scope}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["token"]


def _start_on_postgres(workdir, url):
    """AWXSIM_TEST_DB=postgres://...: the same tests on PostgreSQL, on an emptied schema."""
    import subprocess
    import sys
    import time

    import psycopg2

    from tests.conftest import REPO_ROOT
    from tests.integration.conftest import AWXServer, _free_port

    with psycopg2.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    port = _free_port()
    log = open(os.path.join(workdir, "awxsim.log"), "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "awxsim", "--host", "127.0.0.1", "--port", str(port), "--db", url,
         "--projects-root", os.path.join(workdir, "projects"), "--test-hooks"],
        cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    server_url = "http://127.0.0.1:%d" % port
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(server_url + "/api/v2/ping/", timeout=1).status_code == 200:
                return AWXServer(server_url, "admin", "password", process=process,
                                 workdir=workdir)
        except requests.RequestException:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("awxsim on PostgreSQL did not start; see %s" % log.name)


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("awxsim"))
    os.makedirs(os.path.join(workdir, "projects"), exist_ok=True)
    write_demo_project(os.path.join(workdir, "projects"))
    database = os.environ.get("AWXSIM_TEST_DB")
    server = _start_on_postgres(workdir, database) if database else start_simulator(workdir)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def api(sim):
    return Api(sim.url, token=admin_token(sim.url))
