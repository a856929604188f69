#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: job_wait
short_description: Wait for an AWX job, project update, inventory update or workflow job to end
version_added: 0.1.0
description:
  - Polls the job until its status is V(successful), V(failed), V(error) or V(canceled),
    starting with short intervals that grow to at most O(interval) seconds.
  - A job that did not succeed fails the task, with the last lines of its output in the
    message and every output in the result. A job that already ended returns at once.
  - The outcome is known as soon as the status is final; the task does not wait for AWX
    to finish processing the job's events.
options:
  job_id:
    description:
      - Id of the job to wait for.
    type: int
    required: true
    aliases: [ id ]
  job_type:
    description:
      - Kind of job, that is the API endpoint it lives under.
    type: str
    choices: [ jobs, project_updates, inventory_updates, workflow_jobs ]
    default: jobs
  timeout:
    description:
      - The most seconds to wait. Unset or V(0) waits as long as the job runs.
      - When it runs out the task fails and the job keeps running, unless O(cancel_on_timeout) is set.
    type: float
    aliases: [ wait_timeout ]
  interval:
    description:
      - The longest pause between two polls, in seconds (polling starts at 0.25 seconds and grows).
    type: float
    default: 5.0
  cancel_on_timeout:
    description:
      - When O(timeout) runs out, cancel the job, wait until it is cancelled, then fail.
    type: bool
    default: false
  stdout_lines_count:
    description:
      - How many of the last lines of the output to return in RV(stdout_lines). V(0) skips fetching it.
    type: int
    default: 20
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.attributes.ACTIONS
notes:
  - Waiting changes nothing, so the task never reports a change; in check mode it waits all the same.
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Launch without waiting
  gitops.awx.job_launch:
    name: Rebuild cache
  register: rebuild

- name: Do other work, then wait for the job (at most 20 minutes)
  gitops.awx.job_wait:
    job_id: "{{ rebuild.id }}"
    timeout: 1200

- name: Wait for a project update
  gitops.awx.job_wait:
    job_id: 311
    job_type: project_updates
"""

RETURN = r"""
id:
  description: Id of the job.
  returned: always
  type: int
  sample: 62
status:
  description: Status of the job when the task ended.
  returned: always
  type: str
  sample: successful
job:
  description: API path of the job.
  returned: always
  type: str
  sample: /api/v2/jobs/62/
name:
  description: Name of the job (the name of its template).
  returned: always
  type: str
  sample: Deploy web
type:
  description: Kind of job, as AWX names it (V(job), V(project_update), V(inventory_update), V(workflow_job)).
  returned: always
  type: str
  sample: job
elapsed:
  description: Seconds the job ran, as AWX counts them.
  returned: always
  type: float
  sample: 12.4
started:
  description: When the job started.
  returned: always
  type: str
  sample: "2026-11-27T10:00:00.123456Z"
finished:
  description: When the job ended; V(null) while it runs.
  returned: always
  type: str
  sample: "2026-11-27T10:00:12.523456Z"
job_explanation:
  description: AWX's explanation for an error or a cancellation; often empty.
  returned: always
  type: str
  sample: ""
artifacts:
  description: Data the playbook published with C(set_stats).
  returned: always
  type: dict
  sample: {"release": "1.4.2"}
host_status_counts:
  description: Number of hosts per outcome, as AWX counts them.
  returned: always
  type: dict
  sample: {"ok": 2}
host_summaries:
  description: The PLAY RECAP per host (jobs only).
  returned: always
  type: dict
  sample: {"web1": {"ok": 3, "changed": 1, "failures": 0, "dark": 0, "skipped": 0,
           "rescued": 0, "ignored": 0, "failed": false}}
stdout_lines:
  description: The last O(stdout_lines_count) lines of the output (none for workflow jobs).
  returned: always
  type: list
  elements: str
  sample: ["PLAY RECAP ****", "web1 : ok=3 changed=1 unreachable=0 failed=0"]
polls:
  description: How many times the job was polled.
  returned: once the job ended
  type: int
  sample: 3
"""

from ansible_collections.gitops.awx.plugins.module_utils._jobs import JOB_KINDS, wait_result
from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry, run_entry

ARGUMENT_SPEC = dict(
    job_id=dict(type="int", required=True, aliases=["id"]),
    job_type=dict(type="str", choices=list(JOB_KINDS), default="jobs"),
    timeout=dict(type="float", aliases=["wait_timeout"]),
    interval=dict(type="float", default=5.0),
    cancel_on_timeout=dict(type="bool", default=False),
    stdout_lines_count=dict(type="int", default=20),
)


def wait_for(ctx):
    params = ctx.params
    result = wait_result(ctx.client, params["job_type"], params["job_id"],
                         timeout=params["timeout"], interval=params["interval"],
                         stdout_lines_count=params["stdout_lines_count"],
                         cancel_on_timeout=params["cancel_on_timeout"] and not ctx.check_mode)
    result.setdefault("changed", False)   # only a cancel on timeout changes something
    return result


# What both entries (this module's main() and the in-process action plugin) run.
# Polling, host summaries and output: a session token from the start beats a password
# check on every request.
ENTRY = ModuleEntry(ARGUMENT_SPEC, wait_for, session_token_after=0)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
