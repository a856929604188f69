#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: credential
short_description: Create, update or delete an AWX credential, secrets included
version_added: 0.1.0
description:
  - Ensures a credential exists with the type, owner and inputs you give, or does not exist.
  - The credential is found with one filtered request by name, credential type and
    organization (C(GET credentials/?name=deploy&credential_type__name=Machine&organization__name=Default)),
    so a run that changes nothing costs one request.
  - AWX answers secret inputs as C($encrypted$), so it cannot say whether a password changed. This
    module keeps a salted, deliberately slow fingerprint of the secret inputs at the end of the
    credential's description and sends the secrets only when the fingerprint of what the task
    declares differs. A rerun reports no change; a rotated secret is a change. See
    U(https://github.com/gitops-awx/gitops.awx/blob/main/docs/credentials.md) (C(docs/credentials.md))
    for what the fingerprint reveals.
  - A PATCH of C(inputs) replaces the whole inputs object in AWX. A secret the task does not change is
    sent back as C($encrypted$), which AWX keeps.
options:
  name:
    description:
      - Name of the credential. Unique per organization and credential type.
    type: str
    required: true
  copy_from:
    description:
      - Credential to copy when the credential O(name) does not exist yet, by name, named URL
        (V(deploy++Machine+ssh++Default)) or id. AWX's copy keeps the source's inputs, secrets
        included; the options given then apply to the copy (a secret is sent only when it differs
        from the source's, as its fingerprint tells).
      - Looked up among all credentials; a name several credentials share fails with the candidates
        listed. Ignored when the credential exists. In check mode the copy is predicted.
    type: raw
  credential_type:
    description:
      - Type of the credential, by name (V(Machine), V(Source Control), a custom type), named URL
        (V(Machine+ssh)) or id.
      - Required to create a credential; it also narrows the lookup of an existing one.
    type: raw
  kind:
    description:
      - The credential type given the older C(awx.awx)/C(tower_credential) way, by its namespace.
        V(ssh) is V(Machine), V(scm) V(Source Control), V(aws) V(Amazon Web Services) and so on.
      - Not an option of current C(awx.awx.credential); use O(credential_type).
    type: str
    choices:
      - aws
      - azure_rm
      - controller
      - galaxy_api_token
      - gce
      - github_token
      - gitlab_token
      - gpg_public_key
      - insights
      - kubernetes_bearer_token
      - net
      - openstack
      - registry
      - rhv
      - satellite6
      - scm
      - ssh
      - terraform
      - vault
      - vmware
  organization:
    description:
      - Organization that owns the credential, by name, named URL or id. It also narrows the lookup.
      - Mutually exclusive with O(user) and O(team).
    type: raw
  user:
    description:
      - User (username or id) that owns a new credential without organization.
      - Used only when the credential is created (AWX never returns it, so it is not compared).
    type: raw
  team:
    description:
      - Team (name or id) whose organization owns a new credential, and which may use it.
      - Used only when the credential is created (AWX never returns it, so it is not compared).
    type: raw
  description:
    description:
      - Description of the credential.
      - Compared without the fingerprint marker this module keeps at its end; the marker stays.
    type: str
  inputs:
    description:
      - The credential's inputs (V(username), V(password), V(ssh_key_data) ...), as the credential
        type defines them. Which are secret comes from the type.
      - The whole inputs object, as AWX keeps it; an input AWX holds and you leave out is removed.
      - Plain inputs are compared as data. Secret inputs are sent when the credential is created, when
        AWX holds none for that field, and (with O(update_secrets)) when their fingerprint differs from
        the one kept with the credential. A secret given as V($encrypted$) keeps what AWX holds.
      - Values are masked in the module's C(invocation); secrets are masked in results and diffs.
    type: dict
  update_secrets:
    description:
      - V(true) sends secret inputs when they differ from what AWX holds, as the fingerprint
        tells (or on every run with O(secret_fingerprint=false), as C(awx.awx) does).
      - V(false) never sends a secret that AWX already holds; a rotated secret is then ignored.
    type: bool
    default: true
  secret_fingerprint:
    description:
      - Keep a salted PBKDF2-HMAC-SHA256 fingerprint of the secret inputs at the end of the
        description, so a rerun is no change and a rotated secret is one.
      - V(false) keeps none (an existing marker is removed when secrets are sent); secrets are then
        sent on every run with O(update_secrets=true) and the task always reports a change.
      - Not an option of C(awx.awx.credential).
    type: bool
    default: true
extends_documentation_fragment:
  - gitops.awx.connection.MODULES
  - gitops.awx.state
  - gitops.awx.state.NEW_NAME
  - gitops.awx.attributes
notes:
  - O(organization), O(user) and O(team) are mutually exclusive, as in C(awx.awx.credential).
author:
  - gitops.awx maintainers (@gitops-awx)
"""

EXAMPLES = r"""
- name: Ensure a Machine credential (the password comes from a vault)
  gitops.awx.credential:
    name: deploy
    organization: Default
    credential_type: Machine
    description: deploy user on the web servers
    inputs:
      username: deploy
      password: "{{ deploy_password | default('change-me') }}"

- name: The same credential, the old awx.awx way (kind instead of credential_type)
  gitops.awx.credential:
    name: deploy
    organization: Default
    kind: ssh
    inputs:
      username: deploy
      password: "{{ deploy_password | default('change-me') }}"

- name: Keep the secrets as they are in AWX, whatever the vault says
  gitops.awx.credential:
    name: deploy
    organization: Default
    credential_type: Machine
    update_secrets: false
    inputs:
      username: deploy
      password: "{{ deploy_password | default('change-me') }}"

- name: Remove the credential
  gitops.awx.credential:
    name: deploy
    organization: Default
    credential_type: Machine
    state: absent
"""

RETURN = r"""
credential:
  description:
    - The credential as AWX answered it (the write answer after a change, the predicted object in
      check mode, the deleted object for O(state=absent)); secret inputs are V($encrypted$).
    - The description carries the fingerprint marker as stored.
    - V(null) when O(state=absent) and there was no such credential.
  returned: always
  type: dict
  sample:
    id: 18
    type: credential
    name: deploy
    credential_type: 1
    organization: 2
    inputs: {username: deploy, password: $encrypted$}
    description: "deploy user [gitops.awx secrets: pbkdf2-sha256$200000$...]"
id:
  description: Id of the credential; V(null) for a create in check mode or when absent.
  returned: always
  type: int
  sample: 18
changed_fields:
  description: Names of the options whose values differ (or would differ in check mode).
  returned: always
  type: list
  elements: str
  sample: [inputs]
diff:
  description:
    - Before and after of the options you gave, as compared. Secret inputs show as V(********),
      a secret that is sent as V(******** (new value)); the description without the marker.
  returned: in diff mode
  type: dict
  sample:
    before: {name: deploy, inputs: {username: deploy, password: "********"}}
    after: {name: deploy, inputs: {username: deploy, password: "******** (new value)"}}
"""

import copy

from ansible_collections.gitops.awx.plugins.module_utils._errors import HTTPError, ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._fingerprint import split_marked
from ansible_collections.gitops.awx.plugins.module_utils._module import ModuleEntry, resource_result, run_entry
from ansible_collections.gitops.awx.plugins.module_utils._references import is_id, resolve_reference
from ansible_collections.gitops.awx.plugins.module_utils._resource import ensure
from ansible_collections.gitops.awx.plugins.module_utils._secret_inputs import (
    Marked,
    MarkedText,
    SecretInputs,
    known_secret_keys,
    plan_inputs,
)
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    CopyFrom,
    Field,
    Hooks,
    Reference,
    ResourceSpec,
    WriteOnly,
)

# The older `kind` option: a managed credential type's namespace -> its name.
KIND_TYPES = {
    "ssh": "Machine", "scm": "Source Control", "vault": "Vault", "net": "Network",
    "aws": "Amazon Web Services", "openstack": "OpenStack", "vmware": "VMware vCenter",
    "satellite6": "Red Hat Satellite 6", "gce": "Google Compute Engine",
    "azure_rm": "Microsoft Azure Resource Manager", "github_token": "GitHub Personal Access Token",
    "gitlab_token": "GitLab Personal Access Token", "insights": "Insights",
    "rhv": "Red Hat Virtualization", "controller": "Red Hat Ansible Automation Platform",
    "kubernetes_bearer_token": "OpenShift or Kubernetes API Bearer Token",
    "registry": "Container Registry", "galaxy_api_token": "Ansible Galaxy/Automation Hub API Token",
    "gpg_public_key": "GPG Public Key", "terraform": "Terraform backend configuration",
}
MASKED_INPUT = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"


class _CopySource:
    endpoint = "credentials/"
    resource = "credential to copy"
    filters = {}


class _Teams:
    endpoint = "teams/"
    resource = "team"
    filters = {}


def _user_id(client, value):
    """A user by username (AWX users have no name) or id."""
    if is_id(value):
        return client.get("users/%d/" % value)["id"]
    found = client.get("users/", params={"username": value}).get("results") or []
    if found:
        return found[0]["id"]
    if str(value).strip().isdigit():
        return _user_id(client, int(value))
    raise ResourceError("user '%s' not found" % value)


def _secret_keys_of_type(client, type_id):
    ctype = client.get("credential_types/%d/" % type_id)
    fields = (ctype.get("inputs") or {}).get("fields") or []
    return set(f["id"] for f in fields if isinstance(f, dict) and f.get("secret"))


def _complete(client, desired, current, params):
    """Owner ids on create; which inputs are secret and which secrets go out."""
    desired = dict(desired)
    basis = current
    if current is None and params.get("copy_from") is not None:
        # The copy will hold the source's inputs and description (its fingerprint included):
        # decide against those, as the update that follows the copy will see them.
        basis = resolve_reference(client, _CopySource(), params["copy_from"])
    type_id = desired.get("credential_type") or (basis or {}).get("credential_type")
    if current is None:
        if type_id is None:
            raise ResourceError("credential '%s' does not exist; credential_type (or kind) is needed "
                                "to create it" % params["name"])
        if desired.get("user") is not None:
            desired["user"] = _user_id(client, desired["user"])
        if desired.get("team") is not None:
            desired["team"] = resolve_reference(client, _Teams(), desired["team"])["id"]
    user_text = desired.get("description")
    declared = desired.get("inputs")
    if declared is None:
        if user_text is not None:
            stored = split_marked((basis or {}).get("description") or "")[1]
            desired["description"] = Marked(user_text, stored)
        return desired
    secret_keys = None
    if basis is not None:
        secret_keys = known_secret_keys(declared, basis.get("inputs") or {})
    if secret_keys is None:
        # A create, a new input or a plain value that changes: the type says what is secret.
        secret_keys = _secret_keys_of_type(client, type_id)
    planned, marked = plan_inputs(declared, secret_keys, basis, user_text,
                                  update_secrets=params.get("update_secrets", True),
                                  keep_fingerprint=params.get("secret_fingerprint", True))
    desired["inputs"] = planned
    if marked is not None:
        desired["description"] = marked
    return desired


SPEC = ResourceSpec(
    resource="credential",
    endpoint="credentials/",
    identity=("name", "credential_type", "organization"),
    fields=[
        Field("name", required=True),
        CopyFrom(),
        Reference("credential_type", endpoint="credential_types/", resource="credential type"),
        Field("kind", choices=sorted(KIND_TYPES), api=False),
        Reference("organization", endpoint="organizations/"),
        WriteOnly("user", type="raw"),
        WriteOnly("team", type="raw"),
        MarkedText("description"),
        SecretInputs("inputs"),
        Field("secret_fingerprint", type="bool", api=False, default=True, no_log=False),
    ],
    update_secrets=True,
    hooks=Hooks(complete=_complete),
)


def _secret_strings(inputs):
    return sorted((v for v in (inputs or {}).values() if isinstance(v, str) and len(v) > 2),
                  key=len, reverse=True)


def _scrub(text, secrets):
    for secret in secrets:
        text = text.replace(secret, "********")
    return text


def _handler(ctx):
    params = copy.deepcopy(ctx.params)
    if params.get("kind") is not None and params.get("credential_type") is None:
        params["credential_type"] = KIND_TYPES[params["kind"]]
    inputs = params.get("inputs")
    if inputs is not None:
        # Which inputs are secret is known only from the credential type: the echo of the
        # task's arguments (``invocation``, shown from -vvv and on failure) shows none of them.
        ctx.params["inputs"] = dict((key, MASKED_INPUT) for key in inputs)
    try:
        outcome = ensure(ctx.client, SPEC, params, check_mode=ctx.check_mode)
    except HTTPError as error:
        # AWX's validation messages may quote an input's value (a type or choice error).
        secrets = _secret_strings(inputs)
        error.message = _scrub(error.message, secrets)
        error.body = _scrub_data(error.body, secrets)
        raise
    for warning in outcome.warnings:
        ctx.warn(warning)
    return resource_result(SPEC, outcome, ctx.diff_mode)


def _scrub_data(data, secrets):
    if isinstance(data, dict):
        return dict((k, _scrub_data(v, secrets)) for k, v in data.items())
    if isinstance(data, list):
        return [_scrub_data(v, secrets) for v in data]
    if isinstance(data, str):
        return _scrub(data, secrets)
    return data


# What both entries (this module's main() and the in-process action plugin) run.
ENTRY = ModuleEntry(SPEC.argument_spec(), _handler,
                    mutually_exclusive=[("organization", "user", "team"), ("credential_type", "kind")])


def main():
    run_entry(ENTRY)


if __name__ == "__main__":
    main()
