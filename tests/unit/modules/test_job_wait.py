"""job_wait through AnsibleModule against the fake AWX."""
import pytest

from tests.unit.modules.conftest import run_module_main
from tests.unit.modules import test_job_support

# the fixtures, shared by the job module tests
fake_time = test_job_support.fake_time
jobs_awx = test_job_support.jobs_awx


def test_finished_job_returns_at_once_without_change(jobs_awx):
    jobs_awx.add_job(62, ["successful"])
    result = run_module_main("job_wait", {"job_id": 62})
    assert result["failed"] is False and result["changed"] is False
    assert result["status"] == "successful" and result["polls"] == 1
    assert jobs_awx.time.sleeps == []
    assert result["stdout_lines"][-1] == "PLAY RECAP"


def test_waits_with_growing_intervals_capped_by_interval(jobs_awx):
    jobs_awx.add_job(62, ["running"] * 8 + ["successful"])
    result = run_module_main("job_wait", {"id": 62, "interval": 1})
    assert result["status"] == "successful" and result["polls"] == 8
    assert jobs_awx.time.sleeps == pytest.approx([0.25, 0.325, 0.4225, 0.54925, 0.714025, 0.9282325, 1])


def test_failed_job_fails_with_tail(jobs_awx):
    jobs_awx.add_job(62, ["error"])
    jobs_awx.stdout = "Traceback\nbad thing\n"
    result = run_module_main("job_wait", {"job_id": 62})
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].endswith("Last lines of output:\nTraceback\nbad thing")


def test_timeout_fails_and_leaves_the_job(jobs_awx):
    jobs_awx.add_job(62, ["running"])
    result = run_module_main("job_wait", {"job_id": 62, "timeout": 10})
    assert result["failed"] is True and result["status"] == "running"
    assert jobs_awx.time.now == 10
    assert jobs_awx.posts() == []


def test_timeout_with_cancel_is_a_change(jobs_awx):
    jobs_awx.add_job(62, ["running"])
    result = run_module_main("job_wait", {"job_id": 62, "timeout": 1, "cancel_on_timeout": True})
    assert result["failed"] is True and result["changed"] is True
    assert result["status"] == "canceled"


def test_timeout_in_check_mode_does_not_cancel(jobs_awx):
    jobs_awx.add_job(62, ["running"])
    result = run_module_main("job_wait", {"job_id": 62, "timeout": 1, "cancel_on_timeout": True},
                             check_mode=True)
    assert result["failed"] is True and jobs_awx.posts() == []


def test_missing_job(jobs_awx):
    result = run_module_main("job_wait", {"job_id": 999})
    assert result["failed"] is True and result["msg"] == "No job with id 999"
