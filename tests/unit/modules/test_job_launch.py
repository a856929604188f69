"""job_launch through AnsibleModule against the fake AWX: prompts, check mode, wait, failure."""
from tests.unit.modules.conftest import run_module_main
from tests.unit.modules import test_job_support

# the fixtures, shared by the job module tests
fake_time = test_job_support.fake_time
jobs_awx = test_job_support.jobs_awx


def launch_posts(fake):
    return [c for c in fake.posts() if c[1].endswith("/launch/")]


def test_launch_without_wait_returns_the_pending_job(jobs_awx):
    jobs_awx.add_template(45, "deploy", ask_limit_on_launch=True, ask_verbosity_on_launch=True)
    result = run_module_main("job_launch", {"name": "deploy", "limit": "", "verbosity": 0})
    assert result["failed"] is False and result["changed"] is True
    assert result["id"] == 501 and result["status"] == "pending"
    assert result["job"] == "/api/v2/jobs/501/" and result["job_template"] == 45
    posts = launch_posts(jobs_awx)
    assert len(posts) == 1 and posts[0][3] == {"limit": "", "verbosity": 0}


def test_refused_prompts_fail_before_any_post_listing_every_problem(jobs_awx):
    jobs_awx.add_template(45, "deploy", survey={"spec": [
        {"variable": "who", "type": "text", "required": True, "default": ""}]})
    result = run_module_main("job_launch", {"name": "deploy", "limit": "web", "forks": 0,
                                            "extra_vars": {"other": 1}})
    assert result["failed"] is True
    msg = result["msg"]
    assert "limit" in msg and "forks" in msg and "extra_vars (other)" in msg
    assert "survey answer required but missing: who" in msg
    assert jobs_awx.posts() == []


def test_check_mode_launches_nothing_and_shows_the_prompts(jobs_awx):
    jobs_awx.add_template(45, "deploy", ask_variables_on_launch=True, ask_tags_on_launch=True)
    result = run_module_main("job_launch", {"name": "deploy", "extra_vars": "release: 1.2",
                                            "tags": ["a", "b"], "wait": True}, check_mode=True)
    assert result["changed"] is True and result["id"] is None
    assert result["prompts"] == {"extra_vars": {"release": 1.2}, "job_tags": "a,b"}
    assert jobs_awx.posts() == []


def test_wait_returns_outputs_of_a_successful_job(jobs_awx):
    jobs_awx.add_template(45, "deploy")
    jobs_awx.job_script = ["pending", "running", "running", "successful"]
    result = run_module_main("job_launch", {"name": "deploy", "wait": True,
                                            "stdout_lines_count": 2})
    assert result["failed"] is False and result["changed"] is True
    assert result["status"] == "successful" and result["polls"] == 3
    assert result["stdout_lines"] == ["ok: [web1]", "PLAY RECAP"]
    assert result["host_summaries"]["web1"]["ok"] == 1
    assert result["artifacts"] == {"greeted": "world"}
    assert result["host_status_counts"] == {"ok": 1}
    assert result["elapsed"] == 2.0 and result["finished"]
    assert jobs_awx.time.sleeps == [0.25, 0.325]


def test_failed_job_fails_the_task_with_the_output_tail(jobs_awx):
    jobs_awx.add_template(45, "deploy")
    jobs_awx.job_script = ["running", "failed"]
    jobs_awx.stdout = "PLAY [x]\nfatal: [web1]: FAILED! => {\"msg\": \"boom\"}\nPLAY RECAP\n"
    result = run_module_main("job_launch", {"name": "deploy", "wait": True})
    assert result["failed"] is True and result["status"] == "failed"
    assert result["msg"].startswith("Job 501 (deploy) ended with status failed")
    assert 'fatal: [web1]: FAILED! => {"msg": "boom"}' in result["msg"]
    assert result["host_summaries"]["web1"]["failures"] == 1
    assert result["id"] == 501


def test_wait_timeout_with_cancel(jobs_awx):
    jobs_awx.add_template(45, "deploy")
    jobs_awx.job_script = ["running"]
    result = run_module_main("job_launch", {"name": "deploy", "wait": True, "wait_timeout": 3,
                                            "cancel_on_timeout": True, "interval": 1})
    assert result["failed"] is True and result["status"] == "canceled"
    assert "Timed out after 3 seconds" in result["msg"] and "cancelled" in result["msg"]
    assert [c[1] for c in jobs_awx.posts()] == ["/api/v2/job_templates/45/launch/",
                                                "/api/v2/jobs/501/cancel/"]


def test_wait_timeout_without_cancel_leaves_it_running(jobs_awx):
    jobs_awx.add_template(45, "deploy")
    jobs_awx.job_script = ["running"]
    result = run_module_main("job_launch", {"name": "deploy", "wait": True, "timeout": 2})
    assert result["failed"] is True and result["status"] == "running" and result["id"] == 501
    assert "still running" in result["msg"]
    assert len(jobs_awx.posts()) == 1


def test_references_resolved_with_one_request_per_kind(jobs_awx):
    jobs_awx.add_template(45, "deploy", ask_credential_on_launch=True,
                          ask_labels_on_launch=True, ask_inventory_on_launch=True)
    jobs_awx.lists["credentials"] = [{"id": 3, "name": "ssh"}, {"id": 4, "name": "vault"}]
    jobs_awx.lists["labels"] = [{"id": 7, "name": "ci"}, {"id": 8, "name": "nightly"}]
    jobs_awx.lists["inventories"] = [{"id": 9, "name": "prod"}]
    result = run_module_main("job_launch", {"job_template": "deploy", "inventory": "prod",
                                            "credential": ["ssh", "vault"],
                                            "labels": ["ci", "nightly"]})
    assert result["failed"] is False, result.get("msg")
    assert launch_posts(jobs_awx)[0][3] == {"inventory": 9, "credentials": [3, 4],
                                            "labels": [7, 8]}
    gets = [c[1] for c in jobs_awx.calls if c[0] == "GET"]
    assert gets.count("/api/v2/credentials/") == 1 and gets.count("/api/v2/labels/") == 1


def test_credential_passwords_never_shown(jobs_awx):
    jobs_awx.add_template(45, "deploy", passwords_needed_to_start=["ssh_password"])
    result = run_module_main("job_launch", {"name": "deploy",
                                            "credential_passwords": {"ssh_password": "hunter22"}})
    assert result["failed"] is False
    assert launch_posts(jobs_awx)[0][3] == {"credential_passwords": {"ssh_password": "hunter22"}}
    assert "hunter22" not in result["_stdout"]
