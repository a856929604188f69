#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: job_launch
short_description: Launch an AWX job template, optionally wait for the job
version_added: 0.1.0
description:
  - Launches a job template with the prompts you give and returns the new job.
  - Before anything is launched, every prompt is checked against the template's
    C(ask_*_on_launch) settings and its survey. A prompt the template would silently
    ignore, a missing required survey answer, an invalid survey answer, an unknown
    inventory, credential or label are all reported together in one error, and no job starts.
  - Each prompt is sent when it is given, including V(0), V(false) and V("").
  - References (inventory, credentials, labels, execution environment, instance groups)
    are resolved with one request per kind, never one per name.
  - With O(wait=true) the job is polled until it ends, starting with short intervals that grow
    to at most O(interval) seconds. A job that fails, errors or is cancelled fails the task,
    with the last lines of its output in the message and every output in the result.
options:
  name:
    description:
      - The job template, by name, AWX named URL (C(name++organization)) or id.
      - A name must match one template; use O(organization) when the name exists in
        several organizations. A name made only of digits that matches no template is taken as an id.
    type: str
    required: true
    aliases: [ job_template ]
  organization:
    description:
      - Organization of the job template, by name or id, to tell apart templates with the same name.
    type: str
  extra_vars:
    description:
      - Variables for the job, as a dictionary or a YAML/JSON string of one.
      - Needs the template's C(ask_variables_on_launch), except for the variables that are
        questions of the template's enabled survey (survey answers).
      - Use C(no_log) on the task if a survey answer is a secret; in check mode, answers
        to survey password questions are shown as V($encrypted$).
    type: raw
  inventory:
    description:
      - Inventory to run against, by name, named URL or id. Needs C(ask_inventory_on_launch).
    type: raw
  limit:
    description:
      - Host pattern that limits the run. Needs C(ask_limit_on_launch).
    type: str
  tags:
    description:
      - Only run plays and tasks tagged with these. Needs C(ask_tags_on_launch).
    type: list
    elements: str
    aliases: [ job_tags ]
  skip_tags:
    description:
      - Skip plays and tasks tagged with these. Needs C(ask_skip_tags_on_launch).
    type: list
    elements: str
  job_type:
    description:
      - V(run) or V(check). Needs C(ask_job_type_on_launch).
    type: str
    choices: [ run, check ]
  credentials:
    description:
      - Credentials for the job, by name, named URL or id; they replace the template's.
        Needs C(ask_credential_on_launch).
    type: list
    elements: raw
    aliases: [ credential ]
  credential_passwords:
    description:
      - Passwords the template's credentials ask for at launch, such as C(ssh_password) or
        C(become_password). Every name AWX lists in C(passwords_needed_to_start) must be given.
    type: dict
  labels:
    description:
      - Labels for the job, by name or id. Needs C(ask_labels_on_launch).
    type: list
    elements: raw
  scm_branch:
    description:
      - Branch of the project to use. Needs C(ask_scm_branch_on_launch).
    type: str
  verbosity:
    description:
      - Verbosity of the run, V(0) (normal) to V(5). Needs C(ask_verbosity_on_launch).
    type: int
    choices: [ 0, 1, 2, 3, 4, 5 ]
  diff_mode:
    description:
      - Run with C(--diff). Needs C(ask_diff_mode_on_launch).
    type: bool
  forks:
    description:
      - Number of forks. Needs C(ask_forks_on_launch).
    type: int
  job_slice_count:
    description:
      - Number of slices to split the job into. Needs C(ask_job_slice_count_on_launch).
    type: int
  job_timeout:
    description:
      - Seconds after which AWX stops the job (V(0) = no limit). Needs C(ask_timeout_on_launch).
      - This is the job's own timeout; O(timeout) bounds how long the task waits.
    type: int
  execution_environment:
    description:
      - Execution environment, by name or id. Needs C(ask_execution_environment_on_launch).
    type: raw
  instance_groups:
    description:
      - Instance groups to run on, by name or id. Needs C(ask_instance_groups_on_launch).
    type: list
    elements: raw
  wait:
    description:
      - Wait until the job ends. The task fails if the job does not succeed.
    type: bool
    default: false
  timeout:
    description:
      - With O(wait=true), the most seconds to wait. Unset or V(0) waits as long as the job runs.
      - When it runs out the task fails and the job keeps running, unless O(cancel_on_timeout) is set.
    type: float
    aliases: [ wait_timeout ]
  interval:
    description:
      - The longest pause between two polls, in seconds. Polling starts at 0.25 seconds
        and grows by 30% each time up to this value, so short jobs are seen ending
        quickly and long jobs cost few requests.
    type: float
    default: 5.0
  cancel_on_timeout:
    description:
      - When O(timeout) runs out, cancel the job, wait until it is cancelled, then fail.
    type: bool
    default: false
  stdout_lines_count:
    description:
      - How many of the last lines of the job's output to return in RV(stdout_lines)
        (and in the failure message). V(0) skips fetching the output.
    type: int
    default: 20
notes:
  - C(awx.awx.job_launch) option names are kept. Its O(job_timeout) is the job's timeout
    prompt and its O(timeout) the wait; O(wait_timeout) is an alias of O(timeout).
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.attributes.ACTIONS
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Launch a deployment and wait for it
  gitops.awx.job_launch:
    name: Deploy web
    organization: Platform
    limit: web
    extra_vars:
      release: "1.4.2"
    wait: true
    timeout: 1800
  register: deploy

- name: Show the end of its output
  ansible.builtin.debug:
    var: deploy.stdout_lines

- name: Launch with a survey answer, give up (and cancel) after ten minutes
  gitops.awx.job_launch:
    job_template: Nightly report
    extra_vars:
      report_day: monday
    wait: true
    timeout: 600
    cancel_on_timeout: true

- name: Fire and forget, waiting later with job_wait
  gitops.awx.job_launch:
    name: Rebuild cache
  register: rebuild
"""

RETURN = r"""
id:
  description: Id of the job; V(null) in check mode.
  returned: always
  type: int
  sample: 62
status:
  description:
    - Status of the job when the task ended; V(pending) right after a launch without O(wait).
    - V(null) in check mode.
  returned: always
  type: str
  sample: successful
job:
  description: API path of the job.
  returned: when a job was launched
  type: str
  sample: /api/v2/jobs/62/
job_template:
  description: Id of the job template.
  returned: always
  type: int
  sample: 45
prompts:
  description:
    - What is (or in check mode would be) sent to C(job_templates/<id>/launch/).
    - References are ids, tags are joined with commas, survey password answers are masked.
  returned: always
  type: dict
  sample: {"limit": "web", "extra_vars": {"release": "1.4.2"}}
name:
  description: Name of the job (the name of its template).
  returned: with O(wait=true)
  type: str
  sample: Deploy web
type:
  description: Kind of job, as AWX names it (V(job), V(project_update), V(inventory_update), V(workflow_job)).
  returned: with O(wait=true)
  type: str
  sample: job
elapsed:
  description: Seconds the job ran, as AWX counts them.
  returned: with O(wait=true)
  type: float
  sample: 12.4
started:
  description: When the job started.
  returned: with O(wait=true)
  type: str
  sample: "2026-11-27T10:00:00.123456Z"
finished:
  description: When the job ended.
  returned: with O(wait=true)
  type: str
  sample: "2026-11-27T10:00:12.523456Z"
job_explanation:
  description: AWX's explanation for an error or a cancellation; often empty.
  returned: with O(wait=true)
  type: str
  sample: ""
artifacts:
  description: Data the playbook published with C(set_stats).
  returned: with O(wait=true)
  type: dict
  sample: {"release": "1.4.2"}
host_status_counts:
  description: Number of hosts per outcome, as AWX counts them.
  returned: with O(wait=true)
  type: dict
  sample: {"ok": 2, "failures": 1}
host_summaries:
  description: The PLAY RECAP per host.
  returned: with O(wait=true)
  type: dict
  sample: {"web1": {"ok": 3, "changed": 1, "failures": 0, "dark": 0, "skipped": 0,
           "rescued": 0, "ignored": 0, "failed": false}}
stdout_lines:
  description: The last O(stdout_lines_count) lines of the job's output.
  returned: with O(wait=true)
  type: list
  elements: str
  sample: ["PLAY RECAP ****", "web1 : ok=3 changed=1 unreachable=0 failed=0"]
polls:
  description: How many times the job was polled.
  returned: with O(wait=true), once the job ended
  type: int
  sample: 9
"""

from ansible_collections.gitops.awx.plugins.module_utils._jobs import wait_result
from ansible_collections.gitops.awx.plugins.module_utils._launch import (
    PROMPT_OPTIONS, launch, prepare_launch,
)
from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry, run_entry

ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True, aliases=["job_template"]),
    organization=dict(type="str"),
    extra_vars=dict(type="raw"),
    inventory=dict(type="raw"),
    limit=dict(type="str"),
    tags=dict(type="list", elements="str", aliases=["job_tags"]),
    skip_tags=dict(type="list", elements="str"),
    job_type=dict(type="str", choices=["run", "check"]),
    credentials=dict(type="list", elements="raw", aliases=["credential"]),
    credential_passwords=dict(type="dict", no_log=True),
    labels=dict(type="list", elements="raw"),
    scm_branch=dict(type="str"),
    verbosity=dict(type="int", choices=[0, 1, 2, 3, 4, 5]),
    diff_mode=dict(type="bool"),
    forks=dict(type="int"),
    job_slice_count=dict(type="int"),
    job_timeout=dict(type="int"),
    execution_environment=dict(type="raw"),
    instance_groups=dict(type="list", elements="raw"),
    wait=dict(type="bool", default=False),
    timeout=dict(type="float", aliases=["wait_timeout"]),
    interval=dict(type="float", default=5.0),
    cancel_on_timeout=dict(type="bool", default=False),
    stdout_lines_count=dict(type="int", default=20),
)


def launch_job(ctx):
    params = ctx.params
    plan = prepare_launch(ctx.client, params["name"],
                          dict((option, params.get(option)) for option in PROMPT_OPTIONS),
                          organization=params["organization"],
                          credential_passwords=params["credential_passwords"])
    result = {"changed": True, "job_template": plan.template_id,
              "prompts": plan.shown_prompts(), "id": None, "status": None}
    if ctx.check_mode:
        return result
    job = launch(ctx.client, plan)
    for field in sorted(job.get("ignored_fields") or {}):
        ctx.warn("AWX ignored the %s prompt" % field)
    result.update(id=job.get("id"), status=job.get("status"), job=job.get("url"))
    if params["wait"]:
        result.update(wait_result(ctx.client, "jobs", job["id"], timeout=params["timeout"],
                                  interval=params["interval"],
                                  stdout_lines_count=params["stdout_lines_count"],
                                  cancel_on_timeout=params["cancel_on_timeout"]))
    return result


# What both entries (this module's main() and the in-process action plugin) run.
# A launch makes at least three requests (template, launch information, launch) and a
# wait polls: a session token from the start beats a password check on every one.
ENTRY = ModuleEntry(ARGUMENT_SPEC, launch_job, session_token_after=0)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
