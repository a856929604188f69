# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module adapter: the only place that talks to ``AnsibleModule``.

Public surface (everything a module needs):

``run_module(argument_spec, handler, supports_check_mode=True, mutually_exclusive=None,
required_if=None, required_one_of=None, required_together=None, client_factory=None,
session_token_after=None)``
    For any module.  Adds the connection options to ``argument_spec``, builds the
    ``AnsibleModule``, fails with ``missing_required_lib('requests')`` when needed,
    creates the ``Client`` and calls ``handler(ctx)``, where ``ctx`` is a
    :class:`ModuleContext` (``ctx.client``, ``ctx.params``, ``ctx.check_mode``,
    ``ctx.diff_mode``, ``ctx.warn(msg)``, ``ctx.module`` for the rare need).
    ``handler`` returns the result dict (``changed`` defaults to False).  This is
    the ONE error boundary: an ``AWXError`` raised anywhere below becomes one
    ``fail_json(msg=<one line>)`` with ``status``, ``method``, ``path`` and
    ``field_errors`` for HTTP errors and ``job`` for job errors.  The client is
    closed in ``finally`` (its session token deleted) before the module exits.

``run_resource_module(spec, client_factory=None)``
    A whole resource module: ``argument_spec`` from the spec, then
    ``_resource.ensure`` and :func:`resource_result`.

``resource_result(spec, outcome, diff_mode)``
    The result of a resource module: ``changed``; ``<resource>`` (the AWX object:
    AWX's write answer, the predicted object in check mode, the deleted object
    for ``absent``, ``None`` when there is none); ``id`` (None for a create in
    check mode); ``changed_fields`` (names of the options that differ); ``diff``
    (``{"before", "after"}`` of the compared, normalised view, secrets masked)
    only in diff mode, as Ansible expects.

``client_factory(settings)`` replaces ``Client`` in tests.

``session_token_after`` overrides how many Basic requests a username/password
client sends before it switches to a session token (the client's default keeps
short resource tasks on Basic).  Modules that always make many requests, such
as a job wait that polls, pass 0: one token from the start is cheaper than
AWX's slow password check on every poll.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.gitops.awx.plugins.module_utils._client import Client, HAS_REQUESTS
from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    AWXError,
    HTTPError,
    JobFailed,
    WaitTimeout,
)
from ansible_collections.gitops.awx.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    settings_from_options,
)
from ansible_collections.gitops.awx.plugins.module_utils._resource import ensure

try:
    from ansible_collections.gitops.awx.plugins.module_utils._transport import REQUESTS_IMPORT_ERROR
except ImportError:  # pragma: no cover - the transport module always exists
    REQUESTS_IMPORT_ERROR = None


class ModuleContext:
    """What a handler gets: the client, the validated params and the run modes."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.check_mode = module.check_mode
        self.diff_mode = module._diff
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


def build_argument_spec(argument_spec):
    spec = dict(CONNECTION_ARGUMENT_SPEC)
    overlap = set(spec) & set(argument_spec)
    if overlap:
        raise ValueError("module options shadow connection options: %s" % ", ".join(sorted(overlap)))
    spec.update(argument_spec)
    return spec


def error_details(error):
    """Extra, secret-free context for ``fail_json`` next to the one-line message."""
    details = {"error_type": type(error).__name__}
    if isinstance(error, HTTPError):
        details["status"] = error.status
        details["method"] = error.method
        details["path"] = error.path
        if error.field_errors:
            details["field_errors"] = error.field_errors
    if isinstance(error, (JobFailed, WaitTimeout)) and error.job is not None:
        details["job"] = error.job
    return details


def _close(client, warnings):
    if client is None:
        return
    try:
        client.close()
    except AWXError as error:  # close() should not raise; never let it hide the result
        warnings.append("closing the connection failed: %s" % error)
    warnings.extend(getattr(client, "warnings", None) or [])


def run_module(argument_spec, handler, supports_check_mode=True, mutually_exclusive=None,
               required_if=None, required_one_of=None, required_together=None,
               client_factory=None, session_token_after=None):
    """Build the module, run ``handler(ctx)`` and exit; see the module docstring."""
    module = AnsibleModule(
        argument_spec=build_argument_spec(argument_spec),
        supports_check_mode=supports_check_mode,
        mutually_exclusive=mutually_exclusive,
        required_if=required_if,
        required_one_of=required_one_of,
        required_together=required_together,
    )
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    factory = client_factory or Client
    if client_factory is None and session_token_after is not None:
        factory = functools.partial(Client, switch_after=session_token_after)
    client = None
    warnings = []
    result = None
    failure = None
    try:
        try:
            client = factory(settings_from_options(module.params))
            ctx = ModuleContext(module, client)
            result = dict(handler(ctx) or {})
            warnings.extend(ctx.warnings)
        finally:
            _close(client, warnings)
    except AWXError as error:
        failure = error
    for warning in warnings:
        module.warn(warning)
    if failure is not None:
        module.fail_json(msg=str(failure), **error_details(failure))
    result.setdefault("changed", False)
    module.exit_json(**result)


def resource_result(spec, outcome, diff_mode):
    obj = outcome.object
    result = {
        "changed": outcome.changed,
        spec.resource: obj,
        "id": obj.get("id") if obj else None,
        "changed_fields": outcome.changed_fields,
    }
    if diff_mode:
        result["diff"] = outcome.diff
    return result


def run_resource_module(spec, client_factory=None, **module_kwargs):
    """The whole of a resource module: ``main()`` calls this with its SPEC."""

    def handler(ctx):
        outcome = ensure(ctx.client, spec, ctx.params, check_mode=ctx.check_mode)
        for warning in outcome.warnings:
            ctx.warn(warning)
        return resource_result(spec, outcome, ctx.diff_mode)

    run_module(spec.argument_spec(), handler, client_factory=client_factory, **module_kwargs)
