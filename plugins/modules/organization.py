#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: organization
short_description: Create, update or delete an AWX organization
version_added: 0.1.0
description:
  - Ensures an organization exists with the options you give, or does not exist.
  - Only the options you give are compared and sent; a second run reports no change.
  - Instance groups, Galaxy credentials and notification templates are kept through AWX's
    association endpoints. Names are resolved with one request per list (the four
    notification template lists share one request).
options:
  name:
    description:
      - Name of the organization. Organization names are unique in AWX.
    type: str
    required: true
  description:
    description:
      - Description of the organization. V("") clears it.
    type: str
  max_hosts:
    description:
      - Maximum number of hosts the organization may manage. V(0) means no limit.
    type: int
  custom_virtualenv:
    description:
      - Accepted for compatibility with C(awx.awx.organization) only. AWX 18 and later no
        longer use custom virtual environments and ignore this field, so giving it only
        produces a warning. Use O(default_environment).
    type: str
  default_environment:
    description:
      - Default execution environment for jobs of this organization, by name, named URL or id.
      - A name must match exactly one execution environment.
    type: raw
  instance_groups:
    description:
      - Instance groups of the organization, by name or id, in order of preference (AWX
        tries them in this order). The list replaces the current associations and its order
        is compared; V([]) removes them all.
      - To reorder, the members out of place are disassociated and associated again at the
        end, in order; members already in order stay. For example V([a, b, c]) to
        V([a, c, b]) costs two writes (remove and re-add V(b)).
    type: list
    elements: raw
  galaxy_credentials:
    description:
      - Galaxy/Automation Hub credentials of the organization, by name, named URL or id, in
        the order AWX should try them. The list replaces the current associations and its
        order is compared; V([]) removes them all.
    type: list
    elements: raw
  notification_templates_started:
    description:
      - Notification templates to use when a job of the organization starts, by name, named
        URL or id. The list replaces the current associations; V([]) removes them all.
        Order is not compared.
      - A name that several organizations use for their notification templates is taken from
        this organization; otherwise it must be unique (or given as an id).
    type: list
    elements: raw
  notification_templates_success:
    description:
      - Notification templates to use when a job of the organization succeeds. As
        O(notification_templates_started).
    type: list
    elements: raw
  notification_templates_error:
    description:
      - Notification templates to use when a job of the organization fails. As
        O(notification_templates_started).
    type: list
    elements: raw
  notification_templates_approvals:
    description:
      - Notification templates to use when a workflow approval of the organization needs
        attention. As O(notification_templates_started).
    type: list
    elements: raw
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Ensure the platform organization exists
  gitops.awx.organization:
    name: Platform
    description: Platform team
    max_hosts: 500

- name: Pin instance groups and Galaxy credentials
  gitops.awx.organization:
    name: Platform
    instance_groups:
      - default
    galaxy_credentials:
      - Ansible Galaxy

- name: Notify the team on failures and approvals
  gitops.awx.organization:
    name: Platform
    notification_templates_error:
      - Platform Slack
    notification_templates_approvals:
      - Platform Slack

- name: Rename an organization (idempotent)
  gitops.awx.organization:
    name: Platform
    new_name: Platform Engineering

- name: Create the organization only when it is missing
  gitops.awx.organization:
    name: Sandbox
    description: created once, edited in the UI afterwards
    state: exists

- name: Remove an organization
  gitops.awx.organization:
    name: Sandbox
    state: absent
"""

RETURN = r"""
organization:
  description:
    - The organization as AWX answered it (the write answer after a change, the predicted
      object in check mode, the deleted object for O(state=absent)).
    - V(null) when O(state=absent) and there was no such organization.
  returned: always
  type: dict
  sample:
    id: 21
    type: organization
    url: /api/v2/organizations/21/
    name: Platform
    description: Platform team
    max_hosts: 500
    default_environment: null
id:
  description: Id of the organization; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 21
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [description, max_hosts]
diff:
  description:
    - Before and after of the options you gave, as compared. A create is V({}) -> object,
      a delete object -> V({}).
  returned: in diff mode
  type: dict
  sample:
    before: {name: Platform, max_hosts: 100}
    after: {name: Platform, max_hosts: 500}
"""

from ansible_collections.gitops.awx.plugins.module_utils._module import resource_entry, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    Field,
    Ignored,
    Reference,
    ReferenceList,
    ResourceSpec,
)


def _in_this_organization(current, _desired):
    # Notification template names are unique within an organization only: a name
    # found in several organizations means the one of the organization managed here.
    if current is not None and current.get("id") is not None:
        return {"organization": current["id"]}
    return None


SPEC = ResourceSpec(
    resource="organization",
    endpoint="organizations/",
    identity=("name",),
    fields=[
        Field("name", required=True),
        Field("description"),
        Field("max_hosts", type="int"),
        Ignored("custom_virtualenv", "AWX 18 and later have no custom virtual environments; "
                "use default_environment"),
        Reference("default_environment", endpoint="execution_environments/",
                  resource="execution environment"),
        ReferenceList("instance_groups", endpoint="instance_groups/", resource="instance group",
                      ordered=True),
        ReferenceList("galaxy_credentials", endpoint="credentials/", resource="Galaxy credential",
                      ordered=True, filters={"credential_type__kind": "galaxy"}),
    ] + [
        ReferenceList("notification_templates_" + event, endpoint="notification_templates/",
                      resource="notification template", prefer=_in_this_organization)
        for event in ("started", "success", "error", "approvals")
    ],
)

# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = resource_entry(SPEC)


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
