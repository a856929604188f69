#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: project
short_description: Create, update or delete an AWX project (manual or git)
version_added: 0.2.0
description:
  - Ensures a project exists with the options you give, or does not exist.
  - Only the options you give are compared and sent; a second run reports no change.
  - AWX updates an SCM project by itself when it is created and when its SCM options change
    (URL, branch, refspec, credential, clean/delete/submodule flags). With O(wait) the task
    waits for that update and fails with the last lines of its output when it fails.
  - A O(name) made of digits that matches no project by name is taken as the project's id
    (as C(awx.awx) does).
options:
  name:
    description:
      - Name of the project. Names are unique within an organization.
    type: str
    required: true
  description:
    description:
      - Description of the project.
    type: str
  organization:
    description:
      - Organization of the project, by name, named URL or id. It also scopes the lookup of
        the project by name.
    type: raw
  scm_type:
    description:
      - Source control type. V(manual) and V("") are the same (a manual project, with
        O(local_path) under AWX's projects root).
    type: str
    choices: ["", manual, git, svn, insights, archive]
  scm_url:
    description:
      - URL of the repository (for git, C(https://), C(ssh://), C(git@) or C(file://)).
    type: str
  local_path:
    description:
      - For a manual project, the directory under AWX's projects root holding the playbooks.
        AWX chooses it for SCM projects.
    type: str
  scm_branch:
    description:
      - Branch, tag or commit to check out. V("") is the repository's default branch.
    type: str
  scm_refspec:
    description:
      - Refspec to fetch (for example V(refs/pull/*:refs/remotes/origin/pull/*)).
    type: str
  credential:
    description:
      - Source control credential, by name, named URL or id.
    type: raw
    aliases: [scm_credential]
  scm_clean:
    description:
      - Discard local changes before updating.
    type: bool
  scm_delete_on_update:
    description:
      - Delete the whole checkout before each update.
    type: bool
  scm_track_submodules:
    description:
      - Track the latest commit of submodules.
    type: bool
  scm_update_on_launch:
    description:
      - Update the project before each job launch.
    type: bool
  scm_update_cache_timeout:
    description:
      - Seconds during which a previous update counts as current for O(scm_update_on_launch).
    type: int
  allow_override:
    description:
      - Allow job templates to override the branch (O(scm_branch) of a job template).
    type: bool
    aliases: [scm_allow_override]
  timeout:
    description:
      - Seconds an update may run before AWX cancels it; V(0) means no limit.
      - When O(wait_timeout) is not given, it also bounds the wait for an update.
    type: int
    aliases: [job_timeout]
  default_environment:
    description:
      - Default execution environment of jobs that use this project, by name, named URL or id.
    type: raw
  signature_validation_credential:
    description:
      - Credential used to validate content signatures, by name, named URL or id.
    type: raw
  custom_virtualenv:
    description:
      - Accepted for compatibility with C(awx.awx.project) only; AWX 18 and later ignore it,
        so giving it only produces a warning. Use O(default_environment).
    type: str
  notification_templates_started:
    description:
      - Notification templates used when an update of the project starts, by name, named URL
        or id. The list replaces the current associations; V([]) removes them all.
    type: list
    elements: raw
  notification_templates_success:
    description:
      - Notification templates used when an update succeeds. As O(notification_templates_started).
    type: list
    elements: raw
  notification_templates_error:
    description:
      - Notification templates used when an update fails. As O(notification_templates_started).
    type: list
    elements: raw
  copy_from:
    description:
      - A project to copy (name, named URL or id) when O(name) does not exist yet; the other
        options then apply to the copy. Ignored when the project exists.
    type: raw
  wait:
    description:
      - Wait for the SCM update that this task's create or SCM change started (or that
        O(update_project) started), and fail with its output when it fails.
    type: bool
    default: true
  update_project:
    description:
      - Start an update even when nothing changed (when the task's own change started one,
        that one is used). It reports a change when the revision moved.
    type: bool
    default: false
  interval:
    description:
      - Longest pause, in seconds, between two polls of an update.
    type: float
    default: 2.0
  wait_timeout:
    description:
      - Seconds to wait for an update; default O(timeout) when it is set, else 900.
    type: float
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
notes:
  - In check mode no update is started or waited for; RV(project_update) is not returned.
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: A git project, waiting for its first update
  gitops.awx.project:
    name: Playbooks
    organization: Default
    scm_type: git
    scm_url: "{{ playbooks_repo }}"
    scm_branch: main
    scm_update_on_launch: true
    scm_update_cache_timeout: 60

- name: Force an update and wait for it
  gitops.awx.project:
    name: Playbooks
    organization: Default
    update_project: true

- name: Remove the project
  gitops.awx.project:
    name: Playbooks
    organization: Default
    state: absent
"""

RETURN = r"""
project:
  description:
    - The project as AWX answered it (the write answer after a change, the predicted
      object in check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was no such project.
  returned: always
  type: dict
  sample:
    id: 12
    type: project
    name: Playbooks
    scm_type: git
    scm_url: https://git.example.com/ops/playbooks.git
    scm_branch: main
    status: pending
id:
  description: Id of the project; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 12
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [scm_branch]
project_update:
  description:
    - The SCM update this task waited for or started (id, status, scm_revision, elapsed, url).
  returned: when an update was started by the task or by AWX because of it (not in check mode)
  type: dict
  sample:
    id: 87
    status: successful
    scm_revision: a560ae3cd370f5b2f375973076d7c96e06ae2ede
    elapsed: 1.8
    url: /api/v2/project_updates/87/
diff:
  description:
    - Before and after of the options you gave, as compared. A create is V({}) -> object,
      a delete object -> V({}).
  returned: in diff mode
  type: dict
  sample:
    before: {name: Playbooks, scm_branch: main}
    after: {name: Playbooks, scm_branch: release}
"""

from ansible_collections.gitops.awx.plugins.module_utils._module import resource_entry, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._project_updates import project_after_write
from ansible_collections.gitops.awx.plugins.module_utils._resource import EngineHooks
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    CopyFrom,
    Field,
    Ignored,
    Reference,
    ReferenceList,
    ResourceSpec,
)


class ScmType(Field):
    """AWX calls a manual project's type ""; awx.awx users write ``manual``."""

    def normalise(self, value):
        return "" if value == "manual" else value


def _in_the_organization(current, desired):
    # Notification template names are unique within an organization only.
    org = desired.get("organization")
    if org is None and current is not None:
        org = current.get("organization")
    return {"organization": org} if org is not None else None


SPEC = ResourceSpec(
    resource="project",
    endpoint="projects/",
    identity=("name", "organization"),
    fields=[
        Field("name", required=True),
        Field("description"),
        Reference("organization", endpoint="organizations/"),
        ScmType("scm_type", choices=["", "manual", "git", "svn", "insights", "archive"]),
        Field("scm_url"),
        Field("local_path"),
        Field("scm_branch"),
        Field("scm_refspec"),
        Reference("credential", endpoint="credentials/", resource="SCM credential",
                  aliases=["scm_credential"]),
        Field("scm_clean", type="bool"),
        Field("scm_delete_on_update", type="bool"),
        Field("scm_track_submodules", type="bool"),
        Field("scm_update_on_launch", type="bool"),
        Field("scm_update_cache_timeout", type="int"),
        Field("allow_override", type="bool", aliases=["scm_allow_override"]),
        Field("timeout", type="int", aliases=["job_timeout"]),
        Reference("default_environment", endpoint="execution_environments/",
                  resource="execution environment"),
        Reference("signature_validation_credential", endpoint="credentials/",
                  resource="signature validation credential"),
        Ignored("custom_virtualenv", "AWX 18 and later have no custom virtual environments; "
                "use default_environment"),
    ] + [
        ReferenceList("notification_templates_" + event, endpoint="notification_templates/",
                      resource="notification template", prefer=_in_the_organization)
        for event in ("started", "success", "error")
    ] + [
        CopyFrom("copy_from"),
        Field("wait", type="bool", default=True, api=False),
        Field("update_project", type="bool", default=False, api=False),
        Field("interval", type="float", default=2.0, api=False),
        Field("wait_timeout", type="float", api=False),
    ],
    hooks=EngineHooks(after_write=project_after_write),
)

# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = resource_entry(SPEC)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
