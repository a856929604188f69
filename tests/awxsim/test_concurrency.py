"""Many clients at once: no lost writes, no "database is locked", on file and in-memory DBs."""
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.awxsim.conftest import Api, admin_token
from tests.conftest import REPO_ROOT
from tests.integration.conftest import _free_port


@pytest.fixture(scope="module")
def memory_sim(tmp_path_factory):
    workdir = str(tmp_path_factory.mktemp("awxsim-mem"))
    port = _free_port()
    url = "http://127.0.0.1:%d" % port
    log = open(os.path.join(workdir, "awxsim.log"), "w")
    process = subprocess.Popen([sys.executable, "-m", "awxsim", "--port", str(port),
                                "--db", ":memory:", "--projects-root", workdir,
                                "--admin-username", "root", "--admin-password", "s3cret"],
                               cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(url + "/api/v2/ping/", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def hammer(url, prefix, username="admin", password="password"):
    token = admin_token(url, username, password)
    setup = Api(url, token=token)
    org = setup.create("organizations/", name=prefix + "-org")
    inv = setup.create("inventories/", name=prefix + "-inv", organization=org["id"])

    def worker(n):
        client = Api(url, token=token)
        statuses = []
        for i in range(15):
            statuses.append(client.post("hosts/", json={"name": "%s-%d-%d" % (prefix, n, i),
                                                        "inventory": inv["id"]}).status_code)
            statuses.append(client.get("hosts/?inventory=%d&page_size=5" % inv["id"]
                                       ).status_code)
            statuses.append(client.patch("inventories/%d/" % inv["id"],
                                         json={"description": str(i)}).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [s for statuses in pool.map(worker, range(8)) for s in statuses]
    assert set(results) == {200, 201}
    assert setup.get("hosts/?inventory=%d" % inv["id"]).json()["count"] == 8 * 15


def test_concurrent_clients_on_sqlite_file(sim):
    hammer(sim.url, "cf")


def test_concurrent_clients_in_memory(memory_sim):
    hammer(memory_sim, "cm", "root", "s3cret")


def test_admin_credentials_come_from_the_command_line(memory_sim):
    assert requests.get(memory_sim + "/api/v2/me/", auth=("root", "s3cret"),
                        timeout=10).status_code == 200
    assert requests.get(memory_sim + "/api/v2/me/", auth=("admin", "password"),
                        timeout=10).status_code == 401
