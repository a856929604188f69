"""job_launch / job_wait / job_cancel against the local server, with real playbook runs."""
import os
import shutil
import uuid

import pytest

pytestmark = pytest.mark.integration

PROJECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "projects", "demo")


def _created(response):
    assert response.status_code in (200, 201), response.text
    return response.json()


@pytest.fixture(scope="module")
def job_world(awx_server):
    """An organization, an inventory with two hosts, a manual project and four templates."""
    if not awx_server.projects_root:
        pytest.skip("copies its project into the server's projects root: on a real AWX set "
                    "GITOPS_AWX_TEST_PROJECTS_ROOT to its PROJECTS_ROOT as seen from here")
    tag = "itjobs-%s" % uuid.uuid4().hex[:6]
    shutil.copytree(PROJECT, os.path.join(awx_server.projects_root, tag))
    api = awx_server.api
    org = _created(api("POST", "organizations/", json={"name": tag}))
    inv = _created(api("POST", "inventories/", json={"name": tag, "organization": org["id"],
                                                     "variables": "inv_var: 1"}))
    for host in ("h1", "h2"):
        _created(api("POST", "hosts/", json={"name": host, "inventory": inv["id"]}))
    project = _created(api("POST", "projects/", json={
        "name": tag, "organization": org["id"], "scm_type": "", "local_path": tag}))

    def template(name, playbook, **fields):
        body = {"name": "%s-%s" % (tag, name), "inventory": inv["id"], "project": project["id"],
                "playbook": playbook}
        body.update(fields)
        return _created(api("POST", "job_templates/", json=body))

    hello = template("hello", "hello.yml", ask_limit_on_launch=True,
                     ask_variables_on_launch=True)
    fail = template("fail", "fail.yml")
    sleep = template("sleep", "sleep.yml", ask_variables_on_launch=True)
    survey = template("survey", "hello.yml", survey_enabled=True)
    answer = api("POST", "job_templates/%d/survey_spec/" % survey["id"], json={
        "name": "who", "description": "", "spec": [{
            "question_name": "Who?", "variable": "who", "type": "text", "required": True,
            "default": "", "min": 0, "max": 64}]})
    assert answer.status_code == 200, answer.text
    return {"org": tag, "jt_hello": hello["name"], "jt_fail": fail["name"],
            "jt_sleep": sleep["name"], "jt_survey": survey["name"], "ids": {
                "hello": hello["id"], "fail": fail["id"], "sleep": sleep["id"],
                "survey": survey["id"]}}


def _vars(world):
    return dict((k, v) for k, v in world.items() if k != "ids")


def test_job_launch_runs_real_jobs(run_playbook, job_world, awx_server):
    run = run_playbook("job_launch.yml", extravars=_vars(job_world))

    hello = run.result("Launch hello with extra_vars and limit, and wait")
    assert hello["failed"] is False, hello.get("msg")
    assert hello["changed"] is True and hello["status"] == "successful"
    assert any("Hello tester from h1" in line for line in hello["stdout_lines"])
    assert hello["host_summaries"]["h1"]["ok"] == 2 and hello["host_summaries"]["h1"]["failures"] == 0
    assert list(hello["host_summaries"]) == ["h1"]          # the limit was applied
    assert hello["artifacts"] == {"greeted": "tester"}
    assert hello["elapsed"] > 0 and hello["started"] and hello["finished"]
    job = awx_server.api("GET", "jobs/%d/" % hello["id"]).json()
    assert job["limit"] == "h1" and job["status"] == "successful"

    failing = run.result("Launch a failing playbook and wait")
    assert failing["failed"] is True and failing["status"] == "failed"
    assert "ended with status failed" in failing["msg"]
    assert "deliberate failure on h1" in failing["msg"]        # the stdout tail is in the message
    assert failing["host_summaries"]["h2"]["failures"] == 1

    slow = run.result("Launch a slow playbook, give up after 3 seconds and cancel it")
    assert slow["failed"] is True and slow["status"] == "canceled"
    assert "Timed out after 3 seconds" in slow["msg"]
    assert awx_server.api("GET", "jobs/%d/" % slow["id"]).json()["status"] == "canceled"

    survey = run.result("Launch with the survey answer")
    assert survey["status"] == "successful"
    assert any("Hello surveyed from" in line for line in survey["stdout_lines"])

    checked = run.result("Launch in check mode")
    assert checked["changed"] is True and checked["id"] is None
    assert checked["prompts"] == {"limit": "h2"}
    assert checked["job_template"] == job_world["ids"]["hello"]
    assert run.result("Launch by named URL in check mode")["job_template"] == \
        job_world["ids"]["hello"]


def test_refused_launches_send_no_launch_request(run_playbook, job_world, awx_server):
    if not awx_server.is_simulator:
        pytest.skip("request counts come from the local server")
    awx_server.reset_counts()
    run = run_playbook("job_launch_refused.yml", extravars=_vars(job_world))
    prompt = run.result("A prompt the template does not ask for")
    assert prompt["failed"] is True
    assert "limit" in prompt["msg"] and "verbosity" in prompt["msg"]
    assert "extra_vars (x)" in prompt["msg"]
    survey = run.result("A survey without its required answer")
    assert survey["failed"] is True
    assert "survey answer required but missing: who" in survey["msg"]
    counts = awx_server.request_counts()
    assert [key for key in counts["by_path"] if key.startswith("POST ")
            and key.endswith("/launch/")] == []
    assert counts["by_method"].get("POST", 0) <= 2    # at most the session tokens


def test_job_wait_and_job_cancel(run_playbook, job_world):
    run = run_playbook("job_wait_cancel.yml", extravars=_vars(job_world))
    waited = run.result("Wait for it")
    assert waited["status"] == "successful" and waited["changed"] is False
    again = run.result("Wait again for the finished job")
    assert again["polls"] == 1 and again["status"] == "successful"

    assert run.result("Cancelling a finished job changes nothing")["changed"] is False
    assert run.result("Cancel it in check mode")["changed"] is True
    first = run.result("Cancel it and wait until it stopped")
    assert first["changed"] is True and first["status"] == "canceled"
    second = run.result("Cancel it again")
    assert second["changed"] is False and second["failed"] is False
    strict = run.result("Cancel it again, insisting it runs")
    assert strict["failed"] is True and "is not running" in strict["msg"]
