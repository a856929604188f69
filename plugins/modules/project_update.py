#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: project_update
short_description: Update an AWX SCM project and wait for the update
version_added: 0.2.0
description:
  - Starts an update of an SCM project (C(POST projects/<id>/update/)) and, with O(wait),
    waits for it and fails with the last lines of its output when it fails.
  - Every run starts an update, so the task always reports a change (as C(awx.awx) does).
options:
  name:
    description:
      - The project, by name, named URL (C(name++organization)) or id.
    type: raw
    required: true
    aliases: [project]
  organization:
    description:
      - Organization of the project, when its name is not unique.
    type: raw
  wait:
    description:
      - Wait for the update to finish.
    type: bool
    default: true
  interval:
    description:
      - Longest pause, in seconds, between two polls.
    type: float
    default: 2.0
  timeout:
    description:
      - Seconds to wait; the task fails when the update is still running then (it is not
        cancelled). No limit when not given.
    type: int
  stdout_lines_count:
    description:
      - How many of the last lines of output to return (and to show when the update fails).
    type: int
    default: 20
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.attributes.ACTIONS
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Update the playbooks project and wait
  gitops.awx.project_update:
    project: Playbooks
    organization: Default
  register: update

- name: Start an update without waiting
  gitops.awx.project_update:
    name: Playbooks
    organization: Default
    wait: false
"""

RETURN = r"""
id:
  description: Id of the project update; V(null) in check mode.
  returned: always
  type: int
  sample: 87
status:
  description: Status of the update (the last one seen; V(pending) without O(wait)).
  returned: always
  type: str
  sample: successful
stdout_lines:
  description: Last lines of the update's output.
  returned: when O(wait) is true
  type: list
  elements: str
elapsed:
  description: Seconds the update ran.
  returned: when O(wait) is true
  type: float
project:
  description: Id of the project.
  returned: always
  type: int
  sample: 12
"""

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._jobs import wait_result
from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._project_updates import (
    KIND,
    is_scm,
    start_update,
)
from ansible_collections.gitops.awx.plugins.module_utils._references import resolve_reference
from ansible_collections.gitops.awx.plugins.module_utils._spec import Reference

ARGUMENT_SPEC = dict(
    name=dict(type="raw", required=True, aliases=["project"]),
    organization=dict(type="raw"),
    wait=dict(type="bool", default=True),
    interval=dict(type="float", default=2.0),
    timeout=dict(type="int"),
    stdout_lines_count=dict(type="int", default=20),
)

_PROJECT = Reference("project", endpoint="projects/", scope=())


def update_project(ctx):
    params = ctx.params
    project = resolve_reference(ctx.client, _PROJECT, params["name"],
                                {"organization": params.get("organization")})
    if not is_scm(project):
        raise ResourceError("project '%s' is a manual project: it has no source control to update"
                            % project.get("name"))
    if ctx.check_mode:
        return {"changed": True, "id": None, "status": None, "project": project["id"]}
    update_id, answer = start_update(ctx.client, project)
    if not params["wait"]:
        return {"changed": True, "id": update_id, "status": (answer or {}).get("status"),
                "project": project["id"]}
    result = wait_result(ctx.client, KIND, update_id, timeout=params.get("timeout"),
                         interval=params["interval"],
                         stdout_lines_count=params["stdout_lines_count"])
    result["changed"] = True
    result["project"] = project["id"]
    return result


# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = ModuleEntry(ARGUMENT_SPEC, update_project, session_token_after=0)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
