# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Jobs that exist: wait for one, cancel it, read its outcome and output.

Nothing here knows Ansible.  Everything talks to AWX through the client and
raises the typed errors of ``_errors``; the module adapter turns them into one
failure.  Launching lives in ``_launch``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    MethodNotAllowed, NotFound, ResourceError, WaitTimeout,
)
from ansible_collections.gitops.awx.plugins.module_utils._waiter import (
    DEFAULT_INTERVAL_CAP, wait_until,
)

TERMINAL_STATES = frozenset(("successful", "failed", "error", "canceled"))
FAILED_STATES = frozenset(("failed", "error", "canceled"))
JOB_KINDS = ("jobs", "project_updates", "inventory_updates", "workflow_jobs")
DEFAULT_STDOUT_LINES = 20
# AWX's answer to format=txt past its STDOUT_MAX_BYTES_DISPLAY setting (1 MB by default).
_TOO_LARGE = "Standard Output too large to display"
_EVENTS_FOR_TAIL = 200   # one page: AWX's maximum page size
# How long to wait for a job to honour a cancel request before giving up.
CANCEL_WAIT_TIMEOUT = 60


# --------------------------------------------------------------------------- wait, cancel

def job_path(kind, job_id):
    if kind not in JOB_KINDS:
        raise ResourceError("job_type must be one of %s, got %r" % (", ".join(JOB_KINDS), kind))
    return "%s/%s/" % (kind, job_id)


def get_job(client, kind, job_id):
    try:
        return client.get(job_path(kind, job_id))
    except NotFound:
        raise ResourceError("No %s with id %s" % (kind.rstrip("s").replace("_", " "), job_id))


def wait_for_job(client, kind, job_id, timeout=None, interval=DEFAULT_INTERVAL_CAP,
                 clock=None, sleep=None):
    """Poll the job until its status is terminal; return a ``WaitResult``.

    A terminal status ends the wait at once: AWX may still be processing events
    (``event_processing_finished`` false) but the outcome is already known.
    """
    def describe(job):
        return "%s %s to finish (status %s)" % (kind.rstrip("s").replace("_", " "), job_id,
                                                (job or {}).get("status"))

    return wait_until(lambda: get_job(client, kind, job_id),
                      lambda job: job.get("status") in TERMINAL_STATES,
                      timeout=timeout, interval=interval, clock=clock, sleep=sleep,
                      describe=describe)


def cancel_job(client, kind, job_id, check_mode=False):
    """Ask AWX to cancel the job unless it already ended: ``(changed, job)``."""
    job = get_job(client, kind, job_id)
    if job.get("status") in TERMINAL_STATES:
        return False, job
    if check_mode:
        return True, job
    try:
        # Asking twice is asking once: AWX answers 202 while the job can still be
        # cancelled, so a lost answer is simply retried (see the 405 case below).
        client.post(job_path(kind, job_id) + "cancel/", {}, idempotent=True)
    except MethodNotAllowed as error:
        # AWX answers 405 once the job has ended.  On the first attempt that means
        # it ended on its own between our GET and the POST: nothing was cancelled.
        # On a repeat after a lost answer, the lost attempt may be what ended it:
        # the job's status decides.  "canceled" is our cancel's doing (a job that
        # was running at our GET and is canceled now was canceled by a request,
        # and ours reached AWX as far as anyone can tell); any other end status
        # means it finished on its own and our cancel changed nothing.
        job = get_job(client, kind, job_id)
        if job.get("status") in TERMINAL_STATES:
            return error.after_lost_answer and job.get("status") == "canceled", job
        raise
    return True, get_job(client, kind, job_id)


# --------------------------------------------------------------------------- output

def stdout_tail(client, job, count=DEFAULT_STDOUT_LINES):
    """The last ``count`` lines of the job's plain-text output ([] when it has none)."""
    path = (job.get("related") or {}).get("stdout")
    if not path or not count:
        return []
    # AWX answers format=txt with 406 when the client asks for JSON only.
    response = client.request("GET", path, params={"format": "txt"}, accept="*/*")
    text = response.text if response.text is not None else ""
    if text.startswith(_TOO_LARGE):
        # Past STDOUT_MAX_BYTES_DISPLAY AWX only offers a download; the last events
        # (one page, newest first) hold the tail without downloading megabytes.
        return _tail_from_events(client, job, count) or [text.strip()]
    return text.rstrip("\n").splitlines()[-count:] if text else []


def _tail_from_events(client, job, count):
    related = job.get("related") or {}
    path = related.get("job_events") or related.get("events")
    if not path:
        return []
    page = client.get(path, {"order_by": "-counter", "page_size": _EVENTS_FOR_TAIL})
    chunks = [e.get("stdout") for e in reversed(page.get("results") or []) if e.get("stdout")]
    return "\n".join(chunks).splitlines()[-count:]


def host_summaries(client, job):
    """Per-host counters of the job's PLAY RECAP, keyed by host name."""
    path = (job.get("related") or {}).get("job_host_summaries")
    if not path:
        return {}
    keys = ("ok", "changed", "failures", "dark", "skipped", "rescued", "ignored", "failed")
    summaries = {}
    for row in client.list(path, {}):
        summaries[row.get("host_name")] = dict((k, row.get(k)) for k in keys if k in row)
    return summaries


def job_outputs(client, job, stdout_lines_count=DEFAULT_STDOUT_LINES):
    """The result a module returns for a job that ended (or is still running)."""
    finished = job.get("status") in TERMINAL_STATES
    outputs = {
        "id": job.get("id"),
        "status": job.get("status"),
        "type": job.get("type"),
        "name": job.get("name"),
        "job": job.get("url"),
        "elapsed": job.get("elapsed"),
        "started": job.get("started"),
        "finished": job.get("finished"),
        "job_explanation": job.get("job_explanation", ""),
        "artifacts": job.get("artifacts") or {},
        "host_status_counts": job.get("host_status_counts") or {},
        "host_summaries": host_summaries(client, job) if finished else {},
        "stdout_lines": stdout_tail(client, job, stdout_lines_count) if finished else [],
    }
    return outputs


def failure_message(outputs, name=None):
    """The ``msg`` of a task whose job failed: status, explanation, output tail."""
    what = "%s %s%s" % (_noun(outputs.get("type")), outputs.get("id"),
                        " (%s)" % name if name else "")
    message = "%s ended with status %s" % (what, outputs.get("status"))
    if outputs.get("job_explanation"):
        message += ": %s" % outputs["job_explanation"]
    if outputs.get("stdout_lines"):
        message += "\nLast lines of output:\n" + "\n".join(outputs["stdout_lines"])
    return message


def _noun(job_type):
    return (job_type or "job").replace("_", " ").capitalize()


def wait_result(client, kind, job_id, timeout=None, interval=DEFAULT_INTERVAL_CAP,
                stdout_lines_count=DEFAULT_STDOUT_LINES, cancel_on_timeout=False,
                clock=None, sleep=None):
    """Wait for a job and describe the outcome as a module result.

    A job that did not succeed, or a wait that timed out, gives ``failed: True``
    and a ``msg`` ending with the output's last lines: the caller returns it as
    is, so the task fails with every output still in its result.  With
    ``cancel_on_timeout`` a job still running at the timeout is cancelled
    (``changed: True``) and waited for (at most ``CANCEL_WAIT_TIMEOUT`` more
    seconds) first.
    """
    try:
        waited = wait_for_job(client, kind, job_id, timeout, interval, clock, sleep)
    except WaitTimeout as error:
        if cancel_on_timeout:
            return _cancel_after_timeout(client, kind, job_id, error, interval,
                                         stdout_lines_count, clock, sleep)
        result = job_outputs(client, error.job, stdout_lines_count)
        result.update(failed=True, msg="%s; it is still running (job_wait can wait for it "
                                       "again)" % error)
        return result
    return _finished(client, waited, stdout_lines_count)


def _finished(client, waited, stdout_lines_count):
    result = job_outputs(client, waited.value, stdout_lines_count)
    result["polls"] = waited.polls
    if result["status"] in FAILED_STATES:
        result.update(failed=True, msg=failure_message(result, result.get("name")))
    return result


def _cancel_after_timeout(client, kind, job_id, timeout_error, interval, stdout_lines_count,
                          clock, sleep):
    changed, job = cancel_job(client, kind, job_id)
    if not changed:
        # It ended on its own between the last poll and the cancel request.
        result = job_outputs(client, job, stdout_lines_count)
        if result["status"] in FAILED_STATES:
            result.update(failed=True, msg=failure_message(result, result.get("name")))
        return result
    try:
        waited = wait_for_job(client, kind, job_id, CANCEL_WAIT_TIMEOUT, interval, clock, sleep)
    except WaitTimeout as error:
        result = job_outputs(client, error.job, stdout_lines_count)
        message = "%s; cancel requested, but it was still %s %d seconds later" % (
            timeout_error, result["status"], CANCEL_WAIT_TIMEOUT)
    else:
        result = job_outputs(client, waited.value, stdout_lines_count)
        result["polls"] = waited.polls
        message = "%s, so it was cancelled: %s" % (timeout_error, failure_message(result))
    result.update(changed=True, failed=True, msg=message)   # the cancel request is a change
    return result
