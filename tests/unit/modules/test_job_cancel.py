"""job_cancel through AnsibleModule against the fake AWX: idempotent, check mode, wait."""
from tests.unit.modules.conftest import run_module_main
from tests.unit.modules import test_job_support

# the fixtures, shared by the job module tests
fake_time = test_job_support.fake_time
jobs_awx = test_job_support.jobs_awx


def test_cancel_running_job_is_a_change(jobs_awx):
    jobs_awx.add_job(65, ["running"])
    result = run_module_main("job_cancel", {"job_id": 65})
    assert result["failed"] is False and result["changed"] is True
    assert [c[1] for c in jobs_awx.posts()] == ["/api/v2/jobs/65/cancel/"]


def test_cancel_twice_second_is_ok_without_change(jobs_awx):
    jobs_awx.add_job(65, ["running"])
    first = run_module_main("job_cancel", {"job_id": 65, "wait": True})
    second = run_module_main("job_cancel", {"job_id": 65})
    assert first["changed"] is True and first["status"] == "canceled"
    assert second["changed"] is False and second["failed"] is False
    assert second["status"] == "canceled"
    assert len(jobs_awx.posts()) == 1


def test_finished_job_with_fail_if_not_running(jobs_awx):
    jobs_awx.add_job(65, ["successful"])
    result = run_module_main("job_cancel", {"job_id": 65, "fail_if_not_running": True})
    assert result["failed"] is True
    assert result["msg"] == "job 65 is not running: its status is successful"
    assert jobs_awx.posts() == []


def test_check_mode_sends_no_post(jobs_awx):
    jobs_awx.add_job(65, ["running"])
    result = run_module_main("job_cancel", {"job_id": 65, "wait": True}, check_mode=True)
    assert result["changed"] is True and result["status"] == "running"
    assert jobs_awx.posts() == []


def test_wait_that_times_out_fails_but_reports_the_change(jobs_awx):
    jobs_awx.add_job(65, ["running"])
    jobs_awx.jobs[65]["obj"]["job_env"] = {"SECRET_ENV": "hidden"}

    def never_stops(job):                         # the cancel is accepted but never honoured
        assert job["obj"]["id"] == 65
        return 202, {}, ""

    jobs_awx.cancel_hook = never_stops
    result = run_module_main("job_cancel", {"job_id": 65, "wait": True, "timeout": 2})
    assert result["failed"] is True and result["changed"] is True
    assert result["status"] == "running"
    assert result["msg"].startswith("Cancel requested, but: Timed out after 2 seconds")
    assert "hidden" not in result["_stdout"]      # the raw job (job_env ...) is not dumped
