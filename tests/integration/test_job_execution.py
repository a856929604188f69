"""The local server's job runner (awxsim/execution.py), driven through the raw API."""
import os
import shutil
import time
import uuid

import pytest

pytestmark = pytest.mark.integration

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects", "demo")
FINAL = ("successful", "failed", "error", "canceled")


def _ok(response):
    assert response.status_code in (200, 201, 202, 204), response.text
    return response.json() if response.text else None


@pytest.fixture(scope="module")
def world(awx_server):
    if not awx_server.is_simulator:
        pytest.skip("exercises the local server's runner")
    tag = "itexec-%s" % uuid.uuid4().hex[:6]
    project_dir = os.path.join(awx_server.projects_root, tag)
    shutil.copytree(PROJECT, project_dir)
    api = awx_server.api
    org = _ok(api("POST", "organizations/", json={"name": tag}))
    inv = _ok(api("POST", "inventories/", json={"name": tag, "organization": org["id"],
                                                "variables": "inv_var: 7"}))
    hosts = dict((name, _ok(api("POST", "hosts/", json={"name": name, "inventory": inv["id"]})))
                 for name in ("h1", "h2", "off"))
    _ok(api("PATCH", "hosts/%d/" % hosts["off"]["id"], json={"enabled": False}))
    group = _ok(api("POST", "groups/", json={"name": "web", "inventory": inv["id"],
                                             "variables": "group_color: blue"}))
    _ok(api("POST", "groups/%d/hosts/" % group["id"], json={"id": hosts["h1"]["id"]}))
    project = _ok(api("POST", "projects/", json={"name": tag, "organization": org["id"],
                                                 "scm_type": "", "local_path": tag}))
    return {"tag": tag, "inv": inv, "project": project, "project_dir": project_dir,
            "hosts": hosts}


def template(awx_server, world, playbook, **fields):
    body = {"name": "%s-%s" % (world["tag"], uuid.uuid4().hex[:6]), "playbook": playbook,
            "inventory": world["inv"]["id"], "project": world["project"]["id"]}
    body.update(fields)
    return _ok(awx_server.api("POST", "job_templates/", json=body))


def launch_and_wait(awx_server, jt, prompts=None, wait_s=60):
    job = _ok(awx_server.api("POST", "job_templates/%d/launch/" % jt["id"], json=prompts or {}))
    deadline = time.monotonic() + wait_s
    seen = []
    while time.monotonic() < deadline:
        body = _ok(awx_server.api("GET", "jobs/%d/" % job["id"]))
        if not seen or seen[-1] != body["status"]:
            seen.append(body["status"])
        if body["status"] in FINAL:
            body["seen"] = seen
            return body
        time.sleep(0.1)
    raise AssertionError("job %s did not end: %s" % (job["id"], seen))


def job_processes(awx_server, job):
    """Pids of processes still running for the job (marked by the runner; Linux /proc)."""
    needle = ("AWXSIM_JOB_MARKER=%d-%d" % (awx_server.process.pid, job["id"])).encode()
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open("/proc/%s/environ" % entry, "rb") as handle:
                if needle in handle.read().split(b"\0"):
                    found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


def stdout(awx_server, job):
    return awx_server.api("GET", "jobs/%d/stdout/" % job["id"], params={"format": "txt"},
                          headers={"Accept": "*/*"}).text


def test_tags_limit_groups_and_variables(awx_server, world):
    jt = template(awx_server, world, "tags.yml", ask_tags_on_launch=True,
                  ask_limit_on_launch=True)
    job = launch_and_wait(awx_server, jt, {"job_tags": "a", "limit": "web"})
    assert job["status"] == "successful" and job["failed"] is False
    assert job["event_processing_finished"] is True and job["elapsed"] > 0
    text = stdout(awx_server, job)
    assert "A color=blue inv=7" in text and "B ran" not in text
    summaries = _ok(awx_server.api("GET", "jobs/%d/job_host_summaries/" % job["id"]))
    assert [(s["host_name"], s["ok"]) for s in summaries["results"]] == [("h1", 1)]
    assert summaries["results"][0]["host"] == world["hosts"]["h1"]["id"]
    events = _ok(awx_server.api("GET", "jobs/%d/job_events/" % job["id"],
                                params={"event": "runner_on_ok"}))
    assert [(e["host_name"], e["task"]) for e in events["results"]] == [("h1", "Tagged a")]


def test_disabled_hosts_are_left_out_and_skip_tags(awx_server, world):
    jt = template(awx_server, world, "tags.yml", ask_skip_tags_on_launch=True)
    job = launch_and_wait(awx_server, jt, {"skip_tags": "a"})
    text = stdout(awx_server, job)
    assert "B ran" in text and "A color" not in text
    assert "[off]" not in text and "[h2]" in text


def test_check_and_diff_mode_change_nothing(awx_server, world, tmp_path):
    jt = template(awx_server, world, "change.yml", ask_job_type_on_launch=True,
                  ask_diff_mode_on_launch=True, ask_variables_on_launch=True)
    job = launch_and_wait(awx_server, jt, {"job_type": "check", "diff_mode": True,
                                           "extra_vars": {"marker_dir": str(tmp_path)}})
    assert job["status"] == "successful"
    assert os.listdir(str(tmp_path)) == []
    assert "written by h1" in stdout(awx_server, job)          # --diff shows the content
    job = launch_and_wait(awx_server, jt, {"extra_vars": {"marker_dir": str(tmp_path)}})
    assert sorted(os.listdir(str(tmp_path))) == ["h1.txt", "h2.txt"]
    assert job["host_status_counts"] == {"changed": 2}


def test_job_timeout_fails_the_job(awx_server, world):
    jt = template(awx_server, world, "sleep.yml", ask_timeout_on_launch=True,
                  ask_variables_on_launch=True)
    started = time.monotonic()
    job = launch_and_wait(awx_server, jt, {"timeout": 2, "extra_vars": {"sleep_seconds": 60}})
    assert job["status"] == "failed" and job["failed"] is True
    assert job["job_explanation"] == "Job terminated due to timeout"
    assert time.monotonic() - started < 40    # the 60 s pause was cut short
    assert job_processes(awx_server, job) == []      # Ansible's setsid() workers too


def test_cancel_stops_a_running_job_quickly(awx_server, world):
    jt = template(awx_server, world, "sleep.yml", ask_variables_on_launch=True)
    job = _ok(awx_server.api("POST", "job_templates/%d/launch/" % jt["id"],
                             json={"extra_vars": {"sleep_seconds": 60}}))
    deadline = time.monotonic() + 30
    while _ok(awx_server.api("GET", "jobs/%d/" % job["id"]))["status"] != "running":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    while not job_processes(awx_server, job):          # the playbook really started
        assert time.monotonic() < deadline
        time.sleep(0.1)
    asked = time.monotonic()
    assert awx_server.api("POST", "jobs/%d/cancel/" % job["id"]).status_code == 202
    while True:
        body = _ok(awx_server.api("GET", "jobs/%d/" % job["id"]))
        if body["status"] in FINAL:
            break
        assert time.monotonic() - asked < 20
        time.sleep(0.05)
    assert body["status"] == "canceled" and body["failed"] is True and body["canceled_on"]
    assert time.monotonic() - asked < 10    # the runner checks every 0.1 s; slack for busy CI
    assert job_processes(awx_server, body) == []     # Ansible's setsid() workers too
    assert awx_server.api("POST", "jobs/%d/cancel/" % job["id"]).status_code == 405


def test_missing_playbook_ends_in_error(awx_server, world):
    shutil.copy(os.path.join(world["project_dir"], "hello.yml"),
                os.path.join(world["project_dir"], "gone.yml"))
    jt = template(awx_server, world, "gone.yml")
    os.remove(os.path.join(world["project_dir"], "gone.yml"))
    job = launch_and_wait(awx_server, jt)
    assert job["status"] == "error" and job["failed"] is True
    assert "gone.yml" in job["job_explanation"]
    assert job["seen"][-1] == "error"
