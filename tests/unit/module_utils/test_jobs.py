"""Jobs that exist: waiting (fake clock), cancelling (idempotent), output and failure text."""
import json

import pytest
import requests
import responses

from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    ResourceError, WaitTimeout,
)
from ansible_collections.gitops.awx.plugins.module_utils._jobs import (
    cancel_job, failure_message, job_outputs, stdout_tail, wait_for_job, wait_result,
)
from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options
from tests.unit.fake_clock import FakeClock

HOST = "https://awx.example.com"
API = HOST + "/api/v2/"


@pytest.fixture
def client():
    settings = settings_from_options({"controller_host": HOST, "controller_oauthtoken": "t0ken",
                                      "api_prefix": "/api/v2/"})
    with Client(settings, sleep=lambda s: None) as c:
        yield c


def job(status, id_=62, kind="jobs", **extra):
    body = {"id": id_, "status": status, "url": "/api/v2/%s/%d/" % (kind, id_),
            "failed": status in ("failed", "error", "canceled"), "elapsed": 1.5,
            "started": "2026-11-27T10:00:00Z", "finished": None, "job_explanation": "",
            "artifacts": {}, "event_processing_finished": False,
            "related": {"stdout": "/api/v2/%s/%d/stdout/" % (kind, id_),
                        "job_host_summaries": "/api/v2/%s/%d/job_host_summaries/" % (kind, id_),
                        "cancel": "/api/v2/%s/%d/cancel/" % (kind, id_)}}
    body.update(extra)
    return body


def test_wait_polls_until_terminal_with_growing_intervals(client):
    clock = FakeClock(start=0.0)
    with responses.RequestsMock() as rsps:
        for status in ("pending", "waiting", "running", "running", "successful"):
            rsps.get(API + "jobs/62/", json=job(status))
        result = wait_for_job(client, "jobs", 62, interval=5, clock=clock, sleep=clock.sleep)
    assert result.value["status"] == "successful"
    assert result.polls == 5
    assert clock.sleeps == pytest.approx([0.25, 0.325, 0.4225, 0.54925])


@pytest.mark.parametrize("status", ["error", "failed"])
def test_wait_stops_at_once_even_while_events_are_processed(client, status):
    clock = FakeClock(start=0.0)
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job(status, event_processing_finished=False))
        result = wait_for_job(client, "jobs", 62, clock=clock, sleep=clock.sleep)
    assert result.polls == 1 and clock.sleeps == []


def test_wait_timeout_carries_the_last_job(client):
    clock = FakeClock(start=0.0)
    with responses.RequestsMock() as rsps:
        rsps.get(API + "project_updates/9/", json=job("running", 9, "project_updates"))
        with pytest.raises(WaitTimeout) as caught:
            wait_for_job(client, "project_updates", 9, timeout=3, interval=1,
                         clock=clock, sleep=clock.sleep)
    assert caught.value.job["status"] == "running"
    assert "project update 9" in str(caught.value)
    assert clock.now == pytest.approx(3)


def test_wait_on_missing_job_is_a_clear_error(client):
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/404/", status=404, json={"detail": "Not found."})
        with pytest.raises(ResourceError, match="No job with id 404"):
            wait_for_job(client, "jobs", 404)


def test_unknown_job_kind_is_refused(client):
    with pytest.raises(ResourceError, match="job_type must be one of"):
        wait_for_job(client, "ad_hoc", 1)


def test_cancel_finished_job_is_not_a_change_and_posts_nothing(client):
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("successful"))
        changed, body = cancel_job(client, "jobs", 62)
    assert changed is False and body["status"] == "successful"


def test_cancel_running_job_posts_cancel(client):
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.post(API + "jobs/62/cancel/", status=202)
        rsps.get(API + "jobs/62/", json=job("running"))
        changed, body = cancel_job(client, "jobs", 62)
        assert [c.request.method for c in rsps.calls] == ["GET", "POST", "GET"]
    assert changed is True


def test_cancel_whose_answer_was_lost_is_asked_again(client):
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.post(API + "jobs/62/cancel/", status=504)
        rsps.post(API + "jobs/62/cancel/", status=202)
        rsps.get(API + "jobs/62/", json=job("canceled"))
        changed, body = cancel_job(client, "jobs", 62)
        assert [c.request.method for c in rsps.calls] == ["GET", "POST", "POST", "GET"]
    assert changed is True and body["status"] == "canceled"


def test_cancel_in_check_mode_sends_no_post(client):
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        changed, body = cancel_job(client, "jobs", 62, check_mode=True)
        assert [c.request.method for c in rsps.calls] == ["GET"]
    assert changed is True and body["status"] == "running"


def test_cancel_race_with_the_end_of_the_job_is_not_a_change(client):
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.post(API + "jobs/62/cancel/", status=405,
                  json={"detail": "Method \"POST\" not allowed."})
        rsps.get(API + "jobs/62/", json=job("successful"))
        changed, body = cancel_job(client, "jobs", 62)
    assert changed is False and body["status"] == "successful"


@pytest.mark.parametrize("lost", [
    {"status": 504},
    {"body": requests.exceptions.ConnectionError("Connection reset by peer")},
])
def test_cancel_whose_lost_answer_ended_the_job_is_our_change(client, lost):
    # Our first POST cancelled it, its answer was lost, the repeat finds the job ended: 405.
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.post(API + "jobs/62/cancel/", **lost)
        rsps.post(API + "jobs/62/cancel/", status=405, json={"detail": "Method \"POST\" not allowed."})
        rsps.get(API + "jobs/62/", json=job("canceled"))
        changed, body = cancel_job(client, "jobs", 62)
        assert [c.request.method for c in rsps.calls] == ["GET", "POST", "POST", "GET"]
    assert changed is True and body["status"] == "canceled"


def test_cancel_whose_lost_answer_met_a_job_that_finished_on_its_own_is_no_change(client):
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.post(API + "jobs/62/cancel/", status=502)
        rsps.post(API + "jobs/62/cancel/", status=405, json={"detail": "Method \"POST\" not allowed."})
        rsps.get(API + "jobs/62/", json=job("successful"))
        changed, body = cancel_job(client, "jobs", 62)
    assert changed is False and body["status"] == "successful"


def test_cancel_refused_at_once_for_a_job_someone_else_canceled_is_no_change(client):
    # No lost answer: the 405 is the first answer, so the cancel was not ours.
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.post(API + "jobs/62/cancel/", status=429, headers={"Retry-After": "0"})
        rsps.post(API + "jobs/62/cancel/", status=405, json={"detail": "Method \"POST\" not allowed."})
        rsps.get(API + "jobs/62/", json=job("canceled"))
        changed, body = cancel_job(client, "jobs", 62)
    assert changed is False and body["status"] == "canceled"


def test_stdout_tail_asks_for_any_type_and_keeps_the_last_lines(client):
    text = "\n".join("line %d" % i for i in range(50)) + "\n"
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/stdout/", body=text, content_type="text/plain; charset=utf-8")
        lines = stdout_tail(client, job("failed"), 3)
        request = rsps.calls[0].request
    assert lines == ["line 47", "line 48", "line 49"]
    assert request.headers["Accept"] == "*/*"
    assert "format=txt" in request.url


def test_stdout_too_large_tail_comes_from_the_last_events(client):
    body = job("failed")
    body["related"]["job_events"] = "/api/v2/jobs/62/job_events/"
    events = {"count": 5000, "next": "/api/v2/jobs/62/job_events/?page=2", "previous": None,
              "results": [{"counter": 5000, "stdout": "PLAY RECAP\nweb1 : failed=1"},
                          {"counter": 4999, "stdout": ""},
                          {"counter": 4998, "stdout": "fatal: [web1]: FAILED!"}]}
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/stdout/", content_type="text/plain",
                 body="Standard Output too large to display (2000000 bytes), only download "
                      "supported for sizes over 1048576 bytes.")
        rsps.get(API + "jobs/62/job_events/", json=events)
        lines = stdout_tail(client, body, 2)
        assert "order_by=-counter" in rsps.calls[1].request.url
        assert len(rsps.calls) == 2
    assert lines == ["PLAY RECAP", "web1 : failed=1"]


def test_stdout_tail_zero_lines_sends_nothing(client):
    assert stdout_tail(client, job("failed"), 0) == []


def test_outputs_of_a_failed_job_and_failure_message(client):
    finished = job("failed", finished="2026-11-27T10:00:02Z", host_status_counts={"failures": 1},
                   artifacts={"k": "v"})
    summaries = {"count": 1, "next": None, "previous": None, "results": [
        {"host_name": "web1", "ok": 1, "changed": 0, "failures": 1, "dark": 0, "skipped": 0,
         "rescued": 0, "ignored": 0, "failed": True, "id": 3}]}
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/job_host_summaries/", json=summaries)
        rsps.get(API + "jobs/62/stdout/", body="PLAY\nfatal: [web1]: FAILED!\nRECAP\n",
                 content_type="text/plain")
        outputs = job_outputs(client, finished, 2)
    assert outputs["status"] == "failed" and "failed" not in outputs
    assert outputs["host_summaries"] == {"web1": {"ok": 1, "changed": 0, "failures": 1,
                                                  "dark": 0, "skipped": 0, "rescued": 0,
                                                  "ignored": 0, "failed": True}}
    assert outputs["stdout_lines"] == ["fatal: [web1]: FAILED!", "RECAP"]
    assert outputs["artifacts"] == {"k": "v"}
    message = failure_message(outputs, "deploy")
    assert message.startswith("Job 62 (deploy) ended with status failed")
    assert message.endswith("fatal: [web1]: FAILED!\nRECAP")


def test_outputs_of_a_running_job_fetch_nothing_more(client):
    with responses.RequestsMock():
        outputs = job_outputs(client, job("running"))
    assert outputs["stdout_lines"] == [] and outputs["host_summaries"] == {}


def test_workflow_job_without_stdout_or_summaries(client):
    body = job("successful", 5, "workflow_jobs")
    body["related"] = {}
    with responses.RequestsMock():
        outputs = job_outputs(client, body)
    assert outputs["status"] == "successful" and outputs["stdout_lines"] == []


def test_wait_result_success_has_outputs_and_no_failure(client):
    clock = FakeClock(start=0.0)
    done = job("successful", finished="2026-11-27T10:00:02Z", name="deploy", type="job")
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.get(API + "jobs/62/", json=done)
        rsps.get(API + "jobs/62/job_host_summaries/",
                 json={"count": 0, "next": None, "previous": None, "results": []})
        rsps.get(API + "jobs/62/stdout/", body="ok\n", content_type="text/plain")
        result = wait_result(client, "jobs", 62, clock=clock, sleep=clock.sleep)
    assert result["status"] == "successful" and "failed" not in result and "msg" not in result
    assert result["polls"] == 2 and result["stdout_lines"] == ["ok"]


def test_wait_result_failed_job_fails_with_the_tail(client):
    failed = job("failed", name="deploy", type="job")
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=failed)
        rsps.get(API + "jobs/62/job_host_summaries/",
                 json={"count": 0, "next": None, "previous": None, "results": []})
        rsps.get(API + "jobs/62/stdout/", body="a\nfatal: boom\n", content_type="text/plain")
        result = wait_result(client, "jobs", 62)
    assert result["failed"] is True
    assert result["msg"] == "Job 62 (deploy) ended with status failed\nLast lines of output:\na\nfatal: boom"


def test_wait_result_timeout_without_cancel_leaves_the_job_running(client):
    clock = FakeClock(start=0.0)
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        result = wait_result(client, "jobs", 62, timeout=2, clock=clock, sleep=clock.sleep)
        assert all(c.request.method == "GET" for c in rsps.calls)
    assert result["failed"] is True and result["status"] == "running"
    assert "Timed out after 2 seconds" in result["msg"] and "still running" in result["msg"]


def test_wait_result_timeout_with_cancel_waits_for_canceled(client):
    clock = FakeClock(start=0.0)
    with responses.RequestsMock() as rsps:
        def job_detail(request):
            # canceled only once the cancel POST arrived (and one poll later)
            posts = [i for i, c in enumerate(rsps.calls) if c.request.method == "POST"]
            status = "canceled" if posts and len(rsps.calls) > posts[0] + 2 else "running"
            return 200, {"Content-Type": "application/json"}, json.dumps(job(status))

        rsps.add_callback(responses.GET, API + "jobs/62/", callback=job_detail)
        rsps.post(API + "jobs/62/cancel/", status=202)
        rsps.get(API + "jobs/62/job_host_summaries/",
                 json={"count": 0, "next": None, "previous": None, "results": []})
        rsps.get(API + "jobs/62/stdout/", body="PLAY\n", content_type="text/plain")
        result = wait_result(client, "jobs", 62, timeout=1, interval=1, cancel_on_timeout=True,
                             clock=clock, sleep=clock.sleep)
        methods = [c.request.method for c in rsps.calls]
    assert methods.count("POST") == 1
    assert result["status"] == "canceled" and result["failed"] is True
    assert result["msg"].startswith("Timed out after 1 seconds waiting for job 62")
    assert "so it was cancelled: Job 62 ended with status canceled" in result["msg"]


def test_wait_result_job_ending_right_at_the_timeout_is_not_cancelled(client):
    clock = FakeClock(start=0.0)
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))          # the poll that times out
        rsps.get(API + "jobs/62/", json=job("successful"))       # cancel_job's read
        rsps.get(API + "jobs/62/job_host_summaries/",
                 json={"count": 0, "next": None, "previous": None, "results": []})
        rsps.get(API + "jobs/62/stdout/", body="done\n", content_type="text/plain")
        result = wait_result(client, "jobs", 62, timeout=0.1, cancel_on_timeout=True,
                             clock=clock, sleep=clock.sleep)
        assert "POST" not in [c.request.method for c in rsps.calls]
    assert result["status"] == "successful" and "failed" not in result and "changed" not in result


def test_wait_result_cancel_that_does_not_take_effect(client):
    clock = FakeClock(start=0.0)
    with responses.RequestsMock() as rsps:
        rsps.get(API + "jobs/62/", json=job("running"))
        rsps.post(API + "jobs/62/cancel/", status=202)
        result = wait_result(client, "jobs", 62, timeout=1, cancel_on_timeout=True,
                             clock=clock, sleep=clock.sleep)
    assert result["failed"] is True and result["changed"] is True
    assert result["status"] == "running"
    assert "cancel requested, but it was still running 60 seconds later" in result["msg"]
