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

``ModuleEntry(argument_spec, handler, supports_check_mode=True, mutually_exclusive=None,
required_if=None, required_one_of=None, required_together=None, session_token_after=None)``
    What a module is, as an importable object: every module file exposes one as
    ``ENTRY`` (``resource_entry(SPEC)`` for a resource module) and its ``main()``
    calls ``run_entry(ENTRY)``.  The in-process entry
    (``plugins/plugin_utils/_in_process.py``) validates the task's arguments
    against the same ``argument_spec`` and rules and calls :func:`execute`, the
    one function behind both entries: validated params, check and diff flags ->
    client -> handler -> result, or an ``AWXError`` -> the ``fail_json``
    keywords.  Only how a client is opened and released differs (see
    :class:`OneClientPerRun`).

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
from ansible.module_utils.common.parameters import remove_values

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
    """What a handler gets: the client, the validated params and the run modes.

    ``module`` is the ``AnsibleModule`` on the module path and None in-process:
    handlers must not need it.
    """

    def __init__(self, client, params, check_mode, diff_mode, module=None):
        self.module = module
        self.client = client
        self.params = params
        self.check_mode = check_mode
        self.diff_mode = diff_mode
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


class ModuleEntry:
    """A module's whole contract, importable by both entries: the full
    ``argument_spec`` (connection options merged in), the validator's rules and
    the handler."""

    def __init__(self, argument_spec, handler, supports_check_mode=True, mutually_exclusive=None,
                 required_if=None, required_one_of=None, required_together=None,
                 session_token_after=None, secret_values=None):
        self.argument_spec = build_argument_spec(argument_spec)
        # ``secret_values(params) -> iterable of str``: secrets inside data options (a
        # survey's password defaults) that both entries mask like no_log options.
        self.secret_values = secret_values
        self.handler = handler
        self.supports_check_mode = supports_check_mode
        self.mutually_exclusive = mutually_exclusive
        self.required_if = required_if
        self.required_one_of = required_one_of
        self.required_together = required_together
        self.session_token_after = session_token_after

    def validation_rules(self):
        """Keyword arguments for ``AnsibleModule`` or Ansible's argument-spec validator."""
        return {
            "mutually_exclusive": self.mutually_exclusive,
            "required_together": self.required_together,
            "required_one_of": self.required_one_of,
            "required_if": self.required_if,
        }

    def client_factory(self, client_factory=None):
        """``factory(settings) -> client``: the caller's, or ``Client`` with this
        module's session token policy."""
        if client_factory is not None:
            return client_factory
        if self.session_token_after is None:
            return Client
        return functools.partial(Client, switch_after=self.session_token_after)


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


class OneClientPerRun:
    """Connections of the module path: a new client per run, closed at its end."""

    def __init__(self, factory):
        self._factory = factory

    def open(self, settings):
        return self._factory(settings)

    def release(self, client, failed):
        """Close ``client``; returns the warnings it leaves (its own and the close's)."""
        warnings = []
        _close(client, warnings)
        return warnings


def execute(entry, params, check_mode, diff_mode, connections, module=None):
    """The one code path of a run, after validation, for both entries.

    ``params`` are validated; ``connections`` opens a client for the settings
    and releases it afterwards (``open(settings)``, ``release(client, failed)
    -> warnings``).  Returns ``(result, failure, warnings)``: ``failure`` is None
    or the ``fail_json`` keywords (``msg`` and :func:`error_details`) of the
    ``AWXError`` that ended the run; this is the ONE error boundary.
    """
    client = None
    warnings = []
    result = None
    failed = True
    try:
        try:
            client = connections.open(settings_from_options(params))
            ctx = ModuleContext(client, params, check_mode, diff_mode, module=module)
            result = dict(entry.handler(ctx) or {})
            warnings.extend(ctx.warnings)
            failed = False
        finally:
            if client is not None:
                warnings.extend(connections.release(client, failed))
    except AWXError as error:
        failure = {"msg": str(error)}
        failure.update(error_details(error))
        return None, failure, warnings
    result.setdefault("changed", False)
    return result, None, warnings


def run_entry(entry, client_factory=None):
    """The module path: build the ``AnsibleModule``, :func:`execute` and exit."""
    module = AnsibleModule(
        argument_spec=entry.argument_spec,
        supports_check_mode=entry.supports_check_mode,
        **entry.validation_rules()
    )
    if entry.secret_values is not None:
        module.no_log_values.update(entry.secret_values(module.params))
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    connections = OneClientPerRun(entry.client_factory(client_factory))
    result, failure, warnings = execute(entry, module.params, module.check_mode, module._diff,
                                        connections, module=module)
    for warning in warnings:
        # ansible-core 2.19 no longer masks warnings (they leave as WarningSummary objects,
        # which remove_values passes through): mask ours here, as the in-process entry does.
        module.warn(remove_values(warning, module.no_log_values))
    if failure is not None:
        module.fail_json(**failure)
    module.exit_json(**result)


def run_module(argument_spec, handler, supports_check_mode=True, mutually_exclusive=None,
               required_if=None, required_one_of=None, required_together=None,
               client_factory=None, session_token_after=None):
    """Build the module, run ``handler(ctx)`` and exit; see the module docstring."""
    entry = ModuleEntry(argument_spec, handler, supports_check_mode=supports_check_mode,
                        mutually_exclusive=mutually_exclusive, required_if=required_if,
                        required_one_of=required_one_of, required_together=required_together,
                        session_token_after=session_token_after)
    run_entry(entry, client_factory=client_factory)


def resource_result(spec, outcome, diff_mode):
    obj = outcome.object
    result = {
        "changed": outcome.changed,
        spec.resource: obj,
        "id": obj.get("id") if obj else None,
        "changed_fields": outcome.changed_fields,
    }
    # Keys an after_write hook adds (a project's update); never the engine's own keys.
    for key, value in (getattr(outcome, "extra", None) or {}).items():
        result.setdefault(key, value)
    if diff_mode:
        result["diff"] = outcome.diff
    return result


def resource_entry(spec, **entry_kwargs):
    """The :class:`ModuleEntry` of a resource module: its spec's ``argument_spec``,
    ``_resource.ensure`` and :func:`resource_result`."""

    def handler(ctx):
        outcome = ensure(ctx.client, spec, ctx.params, check_mode=ctx.check_mode)
        for warning in outcome.warnings:
            ctx.warn(warning)
        return resource_result(spec, outcome, ctx.diff_mode)

    return ModuleEntry(spec.argument_spec(), handler, **entry_kwargs)


def run_resource_module(spec, client_factory=None, **entry_kwargs):
    """The whole of a resource module: ``main()`` calls this with its SPEC."""
    run_entry(resource_entry(spec, **entry_kwargs), client_factory=client_factory)
