"""Job templates, launch prompts, surveys, real runs, stdout, cancel and relaunch."""
import time

import pytest

FINISHED = ("successful", "failed", "error", "canceled")


def wait_for(api, job_id, predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get("jobs/%d/" % job_id).json()
        if predicate(job):
            return job
        time.sleep(0.2)
    raise AssertionError("job %d: condition not met in %d s: %s" % (job_id, timeout, job["status"]))


@pytest.fixture(scope="module")
def setup(api):
    org = api.create("organizations/", name="j-org")
    inv = api.create("inventories/", name="j-inv", organization=org["id"],
                     variables="ansible_connection: local")
    for name in ("j-1", "j-2"):
        api.create("hosts/", name=name, inventory=inv["id"])
    project = api.create("projects/", name="j-proj", organization=org["id"], scm_type="",
                         local_path="rec-demo")
    return {"org": org, "inv": inv, "project": project}


def make_jt(api, setup, name, playbook="hello.yml", **fields):
    return api.create("job_templates/", name=name, project=setup["project"]["id"],
                      inventory=setup["inv"]["id"], playbook=playbook, **fields)


def test_project_lists_playbooks_and_rejects_bad_paths(api, setup):
    playbooks = api.get("projects/%d/playbooks/" % setup["project"]["id"]).json()
    assert playbooks == ["fail.yml", "hello.yml", "sleep.yml"]
    for path in ("rec-demo", "no-such-dir", "../etc"):
        response = api.post("projects/", json={"name": "j-p-" + path, "scm_type": "",
                                               "organization": setup["org"]["id"],
                                               "local_path": path})
        assert response.status_code == 400
        assert response.json() == {"local_path": [
            "This path is already being used by another manual project."]}


def test_job_template_validation(api, setup):
    project = setup["project"]["id"]
    response = api.post("job_templates/", json={"name": "j-bad", "project": project,
                                                "inventory": setup["inv"]["id"],
                                                "playbook": "nope.yml"})
    assert response.json() == {"playbook": ["Playbook not found for project."]}
    response = api.post("job_templates/", json={"name": "j-noinv", "project": project,
                                                "playbook": "hello.yml"})
    assert response.json() == {"inventory": [
        "You must either set a default value or ask to prompt on launch."]}
    jt = make_jt(api, setup, "j-dup")
    assert jt["organization"] == setup["org"]["id"] and jt["job_type"] == "run"
    response = api.post("job_templates/", json={"name": "j-dup", "project": project,
                                                "inventory": setup["inv"]["id"],
                                                "playbook": "hello.yml"})
    assert response.json() == {"__all__": [
        "JobTemplate with this (name, organization) combination already exists."]}


def test_launch_runs_and_reports(api, setup):
    jt = make_jt(api, setup, "j-hello", ask_limit_on_launch=True)
    info = api.get("job_templates/%d/launch/" % jt["id"]).json()
    assert info["ask_limit_on_launch"] is True and info["variables_needed_to_start"] == []
    response = api.post("job_templates/%d/launch/" % jt["id"],
                        json={"limit": "j-1", "extra_vars": {"x": 1}, "verbosity": 2})
    assert response.status_code == 201
    body = response.json()
    assert response.headers["Location"] == "/api/v2/jobs/%d/" % body["job"]
    assert body["ignored_fields"] == {"extra_vars": {"x": 1}, "verbosity": 2}
    assert body["status"] == "pending" and body["limit"] == "j-1"
    job = wait_for(api, body["job"], lambda j: j["status"] in FINISHED
                   and j["event_processing_finished"])
    assert job["status"] == "successful" and job["failed"] is False
    assert api.get("jobs/%d/cancel/" % job["id"]).json() == {"can_cancel": False}
    text = api.get("jobs/%d/stdout/?format=txt" % job["id"], headers={"Accept": "*/*"})
    assert text.status_code == 200 and text.headers["Content-Type"].startswith("text/plain")
    assert "j-1" in text.text and "\x1b[" not in text.text
    refused = api.get("jobs/%d/stdout/?format=txt" % job["id"],
                      headers={"Accept": "application/json"})
    assert refused.status_code == 406
    as_json = api.get("jobs/%d/stdout/?format=json" % job["id"]).json()
    assert set(as_json) == {"content", "range"}
    assert api.get("jobs/%d/stdout/?format=nosuch" % job["id"]).status_code == 404
    summaries = api.get("jobs/%d/job_host_summaries/" % job["id"]).json()
    assert [s["host_name"] for s in summaries["results"]] == ["j-1"]
    events = api.get("jobs/%d/job_events/?event=runner_on_ok" % job["id"]).json()
    assert events["count"] >= 1
    assert api.patch("jobs/%d/" % job["id"], json={}).status_code == 405


def test_survey(api, setup):
    jt = make_jt(api, setup, "j-survey")
    path = "job_templates/%d/survey_spec/" % jt["id"]
    assert api.post(path, json={"name": "", "description": ""}).json() == {
        "error": "Field 'spec' is missing from survey spec."}
    spec = {"name": "s", "description": "d", "spec": [
        {"question_name": "Who?", "variable": "who", "type": "text", "required": True,
         "default": "", "min": 0, "max": 10}]}
    assert api.post(path, json=spec).status_code == 200
    assert api.get(path).json() == spec
    api.patch("job_templates/%d/" % jt["id"], json={"survey_enabled": True})
    launch = "job_templates/%d/launch/" % jt["id"]
    assert api.get(launch).json()["variables_needed_to_start"] == ["who"]
    response = api.post(launch, json={})
    assert response.status_code == 400
    assert response.json() == {"variables_needed_to_start": ["'who' value missing"]}
    response = api.post(launch, json={"extra_vars": {"who": "me", "other": 1}})
    assert response.status_code == 201
    assert response.json()["ignored_fields"] == {"extra_vars": {"other": 1}}
    assert response.json()["extra_vars"] == '{"who": "me"}'
    wait_for(api, response.json()["job"], lambda j: j["status"] in FINISHED)
    assert api.delete(path).status_code == 200
    assert api.get(path).json() == {}


def test_cancel_and_conflicts(api, setup):
    jt = make_jt(api, setup, "j-sleep", playbook="sleep.yml")
    job_id = api.post("job_templates/%d/launch/" % jt["id"], json={}).json()["job"]
    wait_for(api, job_id, lambda j: j["status"] == "running")
    assert api.get("jobs/%d/cancel/" % job_id).json() == {"can_cancel": True}
    conflict = api.delete("job_templates/%d/" % jt["id"])
    assert conflict.status_code == 409
    assert conflict.json() == {"active_jobs": [{"id": job_id, "type": "job"}],
                               "error": "Resource is being used by running jobs."}
    refused = api.delete("jobs/%d/" % job_id)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Cannot delete running job resource."}
    assert api.post("jobs/%d/cancel/" % job_id).status_code == 202
    job = wait_for(api, job_id, lambda j: j["status"] in FINISHED)
    assert job["status"] == "canceled" and job["failed"] is True
    again = api.post("jobs/%d/cancel/" % job_id)
    assert again.status_code == 405
    assert again.json() == {"detail": 'Method "POST" not allowed.'}
    assert api.delete("jobs/%d/" % job_id).status_code == 204
    assert api.delete("job_templates/%d/" % jt["id"]).status_code == 204


def test_failed_job_and_relaunch(api, setup):
    jt = make_jt(api, setup, "j-fail", playbook="fail.yml")
    job_id = api.post("job_templates/%d/launch/" % jt["id"], json={}).json()["job"]
    job = wait_for(api, job_id, lambda j: j["status"] in FINISHED
                   and j["event_processing_finished"])
    assert job["status"] == "failed" and job["failed"] is True
    info = api.get("jobs/%d/relaunch/" % job_id).json()
    assert info == {"passwords_needed_to_start": [], "retry_counts": {"all": 2, "failed": 2}}
    again = api.post("jobs/%d/relaunch/" % job_id, json={"hosts": "failed"})
    assert again.status_code == 201 and again.json()["id"] != job_id
    assert again.json()["launch_type"] == "relaunch"
    wait_for(api, again.json()["id"], lambda j: j["status"] in FINISHED)
    listed = api.get("jobs/?name=j-fail&order_by=-id").json()
    assert [j["id"] for j in listed["results"]] == [again.json()["id"], job_id]
    assert "job_env" not in listed["results"][0]


def test_labels_and_credentials_on_job_templates(api, setup):
    jt = make_jt(api, setup, "j-assoc")
    label = api.create("labels/", name="j-label", organization=setup["org"]["id"])
    assert api.post("job_templates/%d/labels/" % jt["id"], json={"id": label["id"]}
                    ).status_code == 204
    created = api.post("job_templates/%d/labels/" % jt["id"],
                       json={"name": "j-label-2", "organization": setup["org"]["id"]})
    assert created.status_code == 201
    dup = api.post("labels/", json={"name": "j-label", "organization": setup["org"]["id"]})
    assert dup.json() == {"__all__": ["Label with this Name and Organization already exists."]}
    assert api.delete("labels/%d/" % label["id"]).status_code == 405
    cred = api.create("credentials/", name="j-cred", credential_type=1,
                      organization=setup["org"]["id"], inputs={"username": "u"})
    assert api.post("job_templates/%d/credentials/" % jt["id"], json={"id": cred["id"]}
                    ).status_code == 204
    detail = api.get("job_templates/%d/" % jt["id"]).json()
    assert detail["summary_fields"]["labels"]["count"] == 2
    assert [c["name"] for c in detail["summary_fields"]["credentials"]] == ["j-cred"]
    assert api.post("job_templates/%d/labels/" % jt["id"],
                    json={"id": label["id"], "disassociate": True}).status_code == 204
    assert api.get("job_templates/%d/labels/" % jt["id"]).json()["count"] == 1


def test_sub_lists_of_organizations_hosts_inventories(api, setup):
    org_id, inv_id = setup["org"]["id"], setup["inv"]["id"]
    assert "j-proj" in [p["name"] for p in api.get("organizations/%d/projects/" % org_id)
                        .json()["results"]]
    created = api.post("organizations/%d/credentials/" % org_id,
                       json={"name": "j-org-cred", "credential_type": 1})
    assert created.status_code == 201 and created.json()["organization"] == org_id
    assert api.get("organizations/%d/job_templates/?name=j-hello" % org_id).json()["count"] == 1
    assert api.get("inventories/%d/job_templates/?name=j-hello" % inv_id).json()["count"] == 1
    host = api.get("hosts/?name=j-1").json()["results"][0]
    summaries = api.get("hosts/%d/job_host_summaries/" % host["id"]).json()
    assert summaries["count"] >= 1 and {s["host_name"] for s in summaries["results"]} == {"j-1"}
