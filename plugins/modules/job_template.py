#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: job_template
short_description: Create, update or delete an AWX job template, its survey included
version_added: 0.2.0
description:
  - Ensures a job template exists with the options you give, or does not exist.
  - Only the options you give are compared and sent; a second run reports no change.
  - Credentials, labels, instance groups and notification templates are kept through AWX's
    association endpoints, each list resolved with one request. The survey is kept on its
    own endpoint (C(survey_spec/)), read only when you give O(survey_spec).
  - A O(name) made of digits that matches no job template by name is taken as its id (as
    C(awx.awx) does).
options:
  name:
    description:
      - Name of the job template. Names are unique within an organization.
    type: str
    required: true
  description:
    description:
      - Description of the job template.
    type: str
  organization:
    description:
      - Organization of the job template, by name, named URL or id. AWX takes a job
        template's organization from its project, so this option only scopes lookups (the
        template itself, and O(project) and O(inventory) given by name).
    type: raw
  job_type:
    description:
      - V(run) or V(check) (a check mode run of the playbook).
    type: str
    choices: [run, check]
  inventory:
    description:
      - Inventory, by name, named URL or id (a name is looked up in O(organization) when given).
    type: raw
  project:
    description:
      - Project, by name, named URL or id (a name is looked up in O(organization) when given).
    type: raw
  playbook:
    description:
      - Playbook of the project to run (a path relative to the project's root).
    type: str
  scm_branch:
    description:
      - Branch to use instead of the project's (the project must allow it, see C(allow_override)).
    type: str
  credentials:
    description:
      - Credentials of the job template, by name, named URL or id. The list replaces the
        current associations; order is not compared; V([]) removes them all.
    type: list
    elements: raw
  credential:
    description:
      - Compatibility with C(awx.awx); one more entry of O(credentials) (the list then
        replaces the current associations, as in C(awx.awx)).
    type: raw
  vault_credential:
    description:
      - Compatibility with C(awx.awx); one more entry of O(credentials).
    type: raw
  execution_environment:
    description:
      - Execution environment, by name, named URL or id.
    type: raw
  custom_virtualenv:
    description:
      - Accepted for compatibility with C(awx.awx.job_template) only; AWX 18 and later ignore
        it, so giving it only produces a warning. Use O(execution_environment).
    type: str
  instance_groups:
    description:
      - Instance groups, by name or id, in order of preference. The list replaces the current
        associations and its order is compared; V([]) removes them all.
    type: list
    elements: raw
  labels:
    description:
      - Labels, by name, named URL or id. The list replaces the current associations; order
        is not compared; V([]) removes them all.
      - A name used by labels of several organizations is taken from the job template's
        organization. A name that matches no label creates it in the job template's
        organization, as AWX does for a label posted by name (so a label that AWX deleted
        when it left its last template comes back). Check mode shows it as an association.
    type: list
    elements: raw
  forks:
    description:
      - Number of parallel processes; V(0) is Ansible's default.
    type: int
  limit:
    description:
      - Host pattern to limit the run to.
    type: str
  verbosity:
    description:
      - Verbosity of the run, V(0) to V(5).
    type: int
    choices: [0, 1, 2, 3, 4, 5]
  extra_vars:
    description:
      - Extra variables, as a dict or YAML/JSON text, compared as data.
    type: raw
  job_tags:
    description:
      - Comma-separated tags to run.
    type: str
  skip_tags:
    description:
      - Comma-separated tags to skip.
    type: str
  start_at_task:
    description:
      - Task to start the run at.
    type: str
  timeout:
    description:
      - Seconds a job may run before AWX cancels it; V(0) means no limit.
    type: int
  force_handlers:
    description:
      - Run handlers even when a task fails.
    type: bool
    aliases: [force_handlers_enabled]
  use_fact_cache:
    description:
      - Keep facts between runs.
    type: bool
    aliases: [fact_caching_enabled]
  host_config_key:
    description:
      - Key for provisioning callbacks; V("") disables them.
    type: str
  become_enabled:
    description:
      - Run the playbook with privilege escalation.
    type: bool
  diff_mode:
    description:
      - Run the playbook in diff mode.
    type: bool
    aliases: [diff_mode_enabled]
  allow_simultaneous:
    description:
      - Allow several jobs of the template at once.
    type: bool
    aliases: [concurrent_jobs_enabled]
  job_slice_count:
    description:
      - Number of slices to split the job into.
    type: int
  webhook_service:
    description:
      - Service that may start the template through its webhook; V("") disables it.
    type: str
    choices: ["", github, gitlab, bitbucket_dc]
  webhook_credential:
    description:
      - Credential used to report the job's status to the webhook service, by name, named URL
        or id.
    type: raw
  prevent_instance_group_fallback:
    description:
      - Run only on the template's own instance groups.
    type: bool
  survey_enabled:
    description:
      - Whether the survey is asked at launch. Giving O(survey_spec) does not turn it on.
    type: bool
  survey_spec:
    description:
      - The survey (C(name), C(description) and C(spec), the list of questions), compared as
        data, so a rerun reports no change. V({}) removes it.
      - A survey AWX would refuse fails before any request with AWX's own message (a missing
        field, an unknown question type, a duplicated variable, a default outside the choices,
        a non-integer default of an integer question, and so on).
      - AWX answers the default of a C(password) question as C($encrypted$); such a default
        counts as equal to the one you give, and it is masked in the diff.
    type: dict
  notification_templates_started:
    description:
      - Notification templates used when a job of the template starts, by name, named URL or
        id. The list replaces the current associations; V([]) removes them all.
    type: list
    elements: raw
  notification_templates_success:
    description:
      - Notification templates used when a job succeeds. As O(notification_templates_started).
    type: list
    elements: raw
  notification_templates_error:
    description:
      - Notification templates used when a job fails. As O(notification_templates_started).
    type: list
    elements: raw
  copy_from:
    description:
      - A job template to copy (name, named URL or id) when O(name) does not exist yet (AWX
        copies its survey and associations too); the other options then apply to the copy.
    type: raw
  ask_diff_mode_on_launch:
    description:
      - Prompt for diff mode on launch.
    type: bool
    aliases: [ask_diff_mode]
  ask_variables_on_launch:
    description:
      - Prompt for variables on launch.
    type: bool
    aliases: [ask_extra_vars]
  ask_limit_on_launch:
    description:
      - Prompt for limit on launch.
    type: bool
    aliases: [ask_limit]
  ask_tags_on_launch:
    description:
      - Prompt for tags on launch.
    type: bool
    aliases: [ask_tags]
  ask_skip_tags_on_launch:
    description:
      - Prompt for skip tags on launch.
    type: bool
    aliases: [ask_skip_tags]
  ask_job_type_on_launch:
    description:
      - Prompt for job type on launch.
    type: bool
    aliases: [ask_job_type]
  ask_verbosity_on_launch:
    description:
      - Prompt for verbosity on launch.
    type: bool
    aliases: [ask_verbosity]
  ask_inventory_on_launch:
    description:
      - Prompt for inventory on launch.
    type: bool
    aliases: [ask_inventory]
  ask_credential_on_launch:
    description:
      - Prompt for credential on launch.
    type: bool
    aliases: [ask_credential]
  ask_execution_environment_on_launch:
    description:
      - Prompt for execution environment on launch.
    type: bool
    aliases: [ask_execution_environment]
  ask_forks_on_launch:
    description:
      - Prompt for forks on launch.
    type: bool
    aliases: [ask_forks]
  ask_instance_groups_on_launch:
    description:
      - Prompt for instance groups on launch.
    type: bool
    aliases: [ask_instance_groups]
  ask_job_slice_count_on_launch:
    description:
      - Prompt for job slice count on launch.
    type: bool
    aliases: [ask_job_slice_count]
  ask_labels_on_launch:
    description:
      - Prompt for labels on launch.
    type: bool
    aliases: [ask_labels]
  ask_timeout_on_launch:
    description:
      - Prompt for timeout on launch.
    type: bool
    aliases: [ask_timeout]
  ask_scm_branch_on_launch:
    description:
      - Prompt for scm branch on launch.
    type: bool
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: A job template with credentials, labels and a survey
  gitops.awx.job_template:
    name: Deploy
    organization: Default
    project: Demo Project
    inventory: Demo Inventory
    playbook: hello_world.yml
    credentials:
      - Demo Credential
    labels:
      - deploy
    extra_vars:
      release: stable
    ask_limit_on_launch: true
    survey_enabled: true
    survey_spec:
      name: Deploy
      description: What to deploy
      spec:
        - question_name: Version?
          variable: version
          type: text
          required: true
          default: "1.0"
          min: 1
          max: 20

- name: Remove the survey, keep the template
  gitops.awx.job_template:
    name: Deploy
    organization: Default
    survey_enabled: false
    survey_spec: {}

- name: Remove the job template
  gitops.awx.job_template:
    name: Deploy
    organization: Default
    state: absent
"""

RETURN = r"""
job_template:
  description:
    - The job template as AWX answered it (the write answer after a change, the predicted
      object in check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was no such job template.
  returned: always
  type: dict
  sample:
    id: 7
    type: job_template
    name: Deploy
    playbook: hello.yml
    project: 12
    inventory: 1
    survey_enabled: true
id:
  description: Id of the job template; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 7
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [survey_spec, labels]
diff:
  description:
    - Before and after of the options you gave, as compared (association lists as names,
      the survey as data with password defaults masked). A create is V({}) -> object, a
      delete object -> V({}).
  returned: in diff mode
  type: dict
  sample:
    before: {name: Deploy, labels: [deploy]}
    after: {name: Deploy, labels: [deploy, prod]}
"""

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._module import (
    ModuleEntry,
    resource_result,
    run_entry,
)
from ansible_collections.gitops.awx.plugins.module_utils._resource import ensure
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    CopyFrom,
    Field,
    Ignored,
    Reference,
    ReferenceList,
    ResourceSpec,
    Variables,
)
from ansible_collections.gitops.awx.plugins.module_utils._survey import SurveySpec, survey_secrets

# (option, awx.awx's alias)
ASK_ON_LAUNCH = (
    ("diff_mode", "ask_diff_mode"), ("variables", "ask_extra_vars"), ("limit", "ask_limit"),
    ("tags", "ask_tags"), ("skip_tags", "ask_skip_tags"), ("job_type", "ask_job_type"),
    ("verbosity", "ask_verbosity"), ("inventory", "ask_inventory"),
    ("credential", "ask_credential"), ("execution_environment", "ask_execution_environment"),
    ("forks", "ask_forks"), ("instance_groups", "ask_instance_groups"),
    ("job_slice_count", "ask_job_slice_count"), ("labels", "ask_labels"),
    ("timeout", "ask_timeout"), ("scm_branch", None),
)
# awx.awx's single-credential options, merged into ``credentials``.
LEGACY_CREDENTIALS = ("credential", "vault_credential")


class LabelList(ReferenceList):
    """Labels: a name that matches no label is created by its association (AWX's
    ``POST job_templates/<id>/labels/ {"name", "organization"}``), in the template's
    organization."""

    create_missing = True

    def create_body(self, name, obj):
        if obj.get("organization") is None:
            raise ResourceError("labels: label '%s' not found, and the job template has no "
                                "organization to create it in" % name)
        return {"name": name, "organization": obj["organization"]}


def _in_the_template_organization(current, desired):
    # Label and notification template names are unique within an organization only.
    org = current.get("organization") if current is not None else None
    if org is None and isinstance(desired.get("organization"), int):
        org = desired["organization"]
    return {"organization": org} if org is not None else None


SPEC = ResourceSpec(
    resource="job_template",
    endpoint="job_templates/",
    identity=("name", "organization"),
    fields=[
        Field("name", required=True),
        Field("description"),
        # AWX derives a template's organization from its project: a lookup scope only.
        Reference("organization", endpoint="organizations/", api=False),
        Field("job_type", choices=["run", "check"]),
        Reference("inventory", endpoint="inventories/", scope=("organization",)),
        Reference("project", endpoint="projects/", scope=("organization",)),
        Field("playbook"),
        Field("scm_branch"),
        ReferenceList("credentials", endpoint="credentials/", resource="credential"),
        Field("credential", type="raw", api=False),
        Field("vault_credential", type="raw", api=False),
        Reference("execution_environment", endpoint="execution_environments/",
                  resource="execution environment"),
        Ignored("custom_virtualenv", "AWX 18 and later have no custom virtual environments; "
                "use execution_environment"),
        ReferenceList("instance_groups", endpoint="instance_groups/", resource="instance group",
                      ordered=True),
        LabelList("labels", endpoint="labels/", resource="label",
                  prefer=_in_the_template_organization),
        Field("forks", type="int"),
        Field("limit"),
        Field("verbosity", type="int", choices=[0, 1, 2, 3, 4, 5]),
        Variables("extra_vars"),
        Field("job_tags"),
        Field("skip_tags"),
        Field("start_at_task"),
        Field("timeout", type="int"),
        Field("force_handlers", type="bool", aliases=["force_handlers_enabled"]),
        Field("use_fact_cache", type="bool", aliases=["fact_caching_enabled"]),
        # AWX answers the callback key in clear (it is compared and shown like any field).
        Field("host_config_key", no_log=False),
        Field("become_enabled", type="bool"),
        Field("diff_mode", type="bool", aliases=["diff_mode_enabled"]),
        Field("allow_simultaneous", type="bool", aliases=["concurrent_jobs_enabled"]),
        Field("job_slice_count", type="int"),
        Field("webhook_service", choices=["", "github", "gitlab", "bitbucket_dc"]),
        Reference("webhook_credential", endpoint="credentials/", resource="webhook credential"),
        Field("prevent_instance_group_fallback", type="bool"),
        Field("survey_enabled", type="bool"),
        SurveySpec("survey_spec"),
    ] + [
        Field("ask_%s_on_launch" % what, type="bool", aliases=[alias] if alias else None)
        for what, alias in ASK_ON_LAUNCH
    ] + [
        ReferenceList("notification_templates_" + event, endpoint="notification_templates/",
                      resource="notification template", prefer=_in_the_template_organization)
        for event in ("started", "success", "error")
    ] + [
        CopyFrom("copy_from"),
    ],
)


def with_legacy_credentials(params):
    """awx.awx's ``credential``/``vault_credential`` as entries of ``credentials``."""
    extra = [params[key] for key in LEGACY_CREDENTIALS if params.get(key) is not None]
    if not extra:
        return params
    merged = dict(params)
    merged["credentials"] = list(params.get("credentials") or []) + extra
    return merged


def converge(ctx):
    outcome = ensure(ctx.client, SPEC, with_legacy_credentials(ctx.params),
                     check_mode=ctx.check_mode)
    for warning in outcome.warnings:
        ctx.warn(warning)
    return resource_result(SPEC, outcome, ctx.diff_mode)


# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = ModuleEntry(SPEC.argument_spec(), converge, secret_values=survey_secrets)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
