"""``python -m awxsim`` stops cleanly on SIGTERM and SIGINT: running jobs end, their
ansible-playbook processes with them, the job is recorded as ended, the exit status is 0."""
import os
import signal
import sqlite3
import time

import pytest

from tests.awxsim.conftest import Api, admin_token, write_demo_project
from tests.integration.conftest import start_simulator

MARKER_ENV = b"AWXSIM_JOB_MARKER="


def marked_processes(marker):
    """{pid: command line} of the processes whose environment carries this job marker."""
    needle = MARKER_ENV + marker.encode()
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as handle:
                environ = handle.read().split(b"\0")
            with open("/proc/%s/cmdline" % entry, "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in environ:
            found[int(entry)] = cmdline
    return found


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("not within %s s: %s" % (timeout, what))


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc to find job processes")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_ends_running_jobs_and_exits_zero(tmp_path, signum):
    workdir = str(tmp_path)
    write_demo_project(os.path.join(workdir, "projects"))
    server = start_simulator(workdir)
    try:
        api = Api(server.url, token=admin_token(server.url))
        org = api.create("organizations/", name="stop-org")
        inv = api.create("inventories/", name="stop-inv", organization=org["id"])
        api.create("hosts/", name="stop-host", inventory=inv["id"])
        project = api.create("projects/", name="stop-proj", organization=org["id"], scm_type="",
                             local_path="rec-demo")
        jt = api.create("job_templates/", name="stop-jt", project=project["id"],
                        inventory=inv["id"], playbook="sleep.yml")
        launched = api.post("job_templates/%d/launch/" % jt["id"], json={})
        assert launched.status_code == 201, launched.text
        job_id = launched.json()["id"]
        marker = "%d-%d" % (server.process.pid, job_id)
        wait_until(lambda: any("ansible-playbook" in cmd
                               for cmd in marked_processes(marker).values()),
                   30, "ansible-playbook of job %d running" % job_id)
        assert api.get("jobs/%d/" % job_id).json()["status"] == "running"

        started = time.monotonic()
        server.process.send_signal(signum)
        assert server.process.wait(timeout=8) == 0
        assert time.monotonic() - started < 5
        # Nothing of the job survives the server (Ansible's setsid() workers included).
        assert wait_until(lambda: not marked_processes(marker), 2, "job processes gone")
        with sqlite3.connect(os.path.join(workdir, "awxsim.sqlite3")) as db:
            status, finished = db.execute("SELECT status, finished FROM awxsim_job WHERE id = ?",
                                          (job_id,)).fetchone()
        assert status in ("canceled", "failed") and finished is not None
        with open(os.path.join(workdir, "awxsim.log")) as handle:
            assert "awxsim stopped" in handle.read()
    finally:
        server.stop()
