# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Project updates: start one, find the one a write started, wait for it.

AWX starts an SCM update by itself when an SCM project is created and when
its SCM settings change; the write's answer names it
(``summary_fields.current_update``, recorded in exchange 13).  The project
module waits for that update (``wait``), or starts one (``update_project``),
through the engine's ``after_write`` hook; ``project_update`` starts one on
request.  Waiting is ``_jobs.wait_for_job``; a failed update fails the task
with the last lines of its output.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import JobFailed
from ansible_collections.gitops.awx.plugins.module_utils._jobs import (
    FAILED_STATES,
    failure_message,
    job_outputs,
    wait_for_job,
)

KIND = "project_updates"
# Options whose change makes AWX update an SCM project by itself.
SCM_OPTIONS = ("scm_type", "scm_url", "scm_branch", "scm_refspec", "credential", "scm_clean",
               "scm_delete_on_update", "scm_track_submodules")
DEFAULT_WAIT_TIMEOUT = 900


def is_scm(project):
    return bool((project or {}).get("scm_type"))


def update_in_flight(project):
    """The id of the update AWX is running for the project, or None."""
    current = (project.get("summary_fields") or {}).get("current_update") or {}
    if current.get("id") is not None:
        return current["id"]
    path = (project.get("related") or {}).get("current_update")
    if path:
        tail = path.rstrip("/").rsplit("/", 1)[-1]
        if tail.isdigit():
            return int(tail)
    return None


def start_update(client, project):
    """``POST projects/<id>/update/``: the update it started (AWX answers 202 with it)."""
    # Not retried blindly: a repeat would start a second update.
    answer = client.post("projects/%d/update/" % project["id"], {})
    update_id = (answer or {}).get("project_update") or (answer or {}).get("id")
    return update_id, answer


def wait_update(client, update_id, name, timeout=None, interval=None):
    """Wait for the update; raise ``JobFailed`` with its output tail unless it succeeded."""
    kwargs = {} if interval is None else {"interval": interval}
    waited = wait_for_job(client, KIND, update_id, timeout=timeout or DEFAULT_WAIT_TIMEOUT, **kwargs)
    job = waited.value
    if job.get("status") in FAILED_STATES:
        outputs = job_outputs(client, job)
        raise JobFailed(failure_message(outputs, name), outputs)
    return job


def update_summary(job):
    job = job or {}
    return dict((key, job.get(key)) for key in ("id", "status", "scm_revision", "elapsed", "url"))


def _wait_timeout(params):
    if params.get("wait_timeout"):
        return params["wait_timeout"]
    return params.get("timeout") or DEFAULT_WAIT_TIMEOUT


def project_after_write(client, params, event, check_mode):
    """The project module's ``after_write``: ``(changed, extra result)``.

    - an SCM project that this task created, or whose SCM options it changed:
      AWX started an update; with ``wait`` it is waited for;
    - ``update_project``: otherwise an update is started (and waited for with
      ``wait``); it is a change when the revision moved (awx.awx's rule);
    - manual projects and check mode: nothing (a check run cannot know whether
      the repository moved).
    """
    project = event.object
    if check_mode or not is_scm(project) or project.get("id") is None:
        return False, {}
    scm_changed = event.created or (event.wrote and set(event.changed_fields) & set(SCM_OPTIONS))
    update_id = update_in_flight(project) if scm_changed else None
    if scm_changed and update_id is None:
        # Not in the write's answer: look once more (AWX queues it right after saving).
        project = client.get("projects/%d/" % project["id"])
        update_id = update_in_flight(project)
    started_here = False
    job = None
    if update_id is None and params.get("update_project"):
        update_id, job = start_update(client, project)
        started_here = True
    if update_id is None:
        return False, {}
    if params.get("wait", True):
        job = wait_update(client, update_id, project.get("name"), _wait_timeout(params),
                          params.get("interval"))
    else:
        job = job or {"id": update_id, "status": "pending"}
    changed = started_here and job.get("scm_revision") not in (None, "", project.get("scm_revision"))
    if started_here and not params.get("wait", True):
        changed = True  # started, outcome unknown: an update was requested
    return changed, {"project_update": update_summary(job)}
