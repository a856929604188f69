#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: job_cancel
short_description: Cancel a running AWX job
version_added: 0.1.0
description:
  - Asks AWX to cancel a job that is pending, waiting or running, and reports a change.
  - A job that already ended is left alone and the task reports no change, unless
    O(fail_if_not_running) is set. Running the task twice is therefore safe.
  - With O(wait=true) the task returns once the job has actually stopped.
options:
  job_id:
    description:
      - Id of the job to cancel.
    type: int
    required: true
    aliases: [ id ]
  job_type:
    description:
      - Kind of job, that is the API endpoint it lives under.
    type: str
    choices: [ jobs, project_updates, inventory_updates, workflow_jobs ]
    default: jobs
  fail_if_not_running:
    description:
      - Fail when the job already ended instead of reporting no change.
    type: bool
    default: false
  wait:
    description:
      - Wait until the job has stopped (its status is final).
    type: bool
    default: false
  timeout:
    description:
      - With O(wait=true), the most seconds to wait. Unset or V(0) waits as long as it takes.
    type: float
    aliases: [ wait_timeout ]
  interval:
    description:
      - The longest pause between two polls, in seconds (polling starts at 0.25 seconds and grows).
    type: float
    default: 5.0
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.attributes.ACTIONS
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Cancel a job and wait until it has stopped
  gitops.awx.job_cancel:
    job_id: "{{ deploy.id }}"
    wait: true

- name: Cancel a project update; fail if it had already ended
  gitops.awx.job_cancel:
    job_id: 311
    job_type: project_updates
    fail_if_not_running: true
"""

RETURN = r"""
id:
  description: Id of the job.
  returned: always
  type: int
  sample: 65
status:
  description:
    - Status of the job when the task ended. Without O(wait) a cancelled job may still show
      V(running) for a moment; with O(wait=true) it is final (usually V(canceled)).
  returned: always
  type: str
  sample: canceled
job:
  description: API path of the job.
  returned: always
  type: str
  sample: /api/v2/jobs/65/
"""

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError, WaitTimeout
from ansible_collections.gitops.awx.plugins.module_utils._jobs import (
    JOB_KINDS, cancel_job, wait_for_job,
)
from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry, run_entry

ARGUMENT_SPEC = dict(
    job_id=dict(type="int", required=True, aliases=["id"]),
    job_type=dict(type="str", choices=list(JOB_KINDS), default="jobs"),
    fail_if_not_running=dict(type="bool", default=False),
    wait=dict(type="bool", default=False),
    timeout=dict(type="float", aliases=["wait_timeout"]),
    interval=dict(type="float", default=5.0),
)


def cancel(ctx):
    params = ctx.params
    kind, job_id = params["job_type"], params["job_id"]
    changed, job = cancel_job(ctx.client, kind, job_id, check_mode=ctx.check_mode)
    if not changed and params["fail_if_not_running"]:
        raise ResourceError("%s %s is not running: its status is %s"
                            % (kind.rstrip("s").replace("_", " "), job_id, job.get("status")))
    failure = None
    if changed and params["wait"] and not ctx.check_mode:
        try:
            job = wait_for_job(ctx.client, kind, job_id, timeout=params["timeout"],
                               interval=params["interval"]).value
        except WaitTimeout as error:
            job, failure = error.job, str(error)
    result = {"changed": changed, "id": job.get("id"), "status": job.get("status"),
              "job": job.get("url")}
    if failure:
        result.update(failed=True, msg="Cancel requested, but: %s" % failure)
    return result


# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = ModuleEntry(ARGUMENT_SPEC, cancel)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
