# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The in-process entry: every gitops.awx module run inside the controller.

Ansible starts a module as a new Python process per task and per loop item
(AnsiballZ, interpreter start, imports), which is most of the cost of a task whose
work is one HTTP request.  Our modules talk HTTP from the controller anyway, so
each module has an action plugin (``plugins/action/<module>.py``, one import
line) that is this class.  When the task runs on the controller it:

- validates the task's arguments against the module's own ``ENTRY``
  (``plugins/modules/<module>.py``) with Ansible's module argument-spec
  validator, so errors and warnings have the module's words;
- sees the environment the module would see (the controller's plus the task's
  ``environment:``) while it validates and runs, restoring ``os.environ`` after;
- calls ``_module.execute``, the same function the module calls, with the
  task's check and diff modes;
- returns what ``AnsibleModule`` would: ``invocation`` with the module
  arguments, ``warnings``, and every ``no_log`` value replaced by
  ``VALUE_SPECIFIED_IN_NO_LOG_PARAMETER`` in the whole result.

Otherwise (another connection than ``local``, ``become``, ``async``, no
``requests`` on the controller, or the variable ``gitops_awx_in_process`` /
the environment variable ``GITOPS_AWX_IN_PROCESS`` set to false) it runs the
module as a module, as Ansible would without an action plugin.

What is reused: a task runs in one forked worker process, and the items of its
loop run one after another in that worker.  The client (its HTTP session with
keep-alive, its confirmed API root and its session token, if it created one) is
kept for the next item while the connection settings are equal.  Settings that
differ, or an item that fails, close it (a session token it created is deleted)
so the next item starts clean.  The last client is closed when the worker
exits (a ``multiprocessing`` finalizer: workers end through
``multiprocessing``'s exit path, which runs them), or before it dies when Ansible
terminates it (see ``ClientCache``).  Nothing outlives the task:
the next task runs in a new worker.  Resolved references are not reused across
items: an item may create, rename or delete what a name means.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import importlib
import json
import os
import signal
from multiprocessing import util as _mp_util

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.gitops.awx.plugins.module_utils._client import HAS_REQUESTS
from ansible_collections.gitops.awx.plugins.module_utils._module import _close, execute

try:
    from ansible.module_utils.common.json import Direction, get_module_decoder, get_module_encoder
except ImportError:  # pragma: no cover - ansible-core before 2.19
    Direction = get_module_decoder = get_module_encoder = None

MODULES_PACKAGE = "ansible_collections.gitops.awx.plugins.modules"
SWITCH_VARIABLE = "gitops_awx_in_process"
SWITCH_ENVIRONMENT = "GITOPS_AWX_IN_PROCESS"
# How the module path hands arguments to a module without METADATA (ours).
ARGUMENT_PROFILE = "legacy"

display = Display()


def _settings_key(settings, switch_after):
    """Everything that makes two clients different; equal keys may share one."""
    return (settings.host, settings.username, settings.password, settings.token,
            settings.validate_certs, settings.ca_path, settings.request_timeout,
            settings.api_prefix, settings.max_retries, settings.retry_max_time, switch_after)


def _ignore_terminate():
    """From now on SIGTERM does not interrupt this process (the main thread only)."""
    try:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    except ValueError:  # not the main thread: signals are not ours to handle
        pass


class ClientCache:
    """The in-process entry's connections: one client kept across the items of a
    task while the settings are equal; see the module docstring.

    With ``guard_exit`` (the worker's own cache) the kept client is also closed when
    the worker ends: by a ``multiprocessing`` finalizer on a normal exit, and before
    the worker dies on SIGTERM.  Ansible terminates the workers still alive at the end
    of a play without waiting, which may be while the last item's worker is deleting
    its session token; the finalizer therefore ignores SIGTERM while it closes
    (``ansible-playbook`` joins its workers before it exits, so it waits for that).
    """

    def __init__(self, guard_exit=False):
        self._key = None
        self._client = None
        self._mark = 0
        self._item_warnings = []
        self._finalizer = None
        self._guard_exit = guard_exit

    @property
    def client(self):
        return self._client

    def connections(self, factory, switch_after):
        """The ``open``/``release`` pair ``execute`` expects, for one item."""
        return _ItemConnections(self, factory, switch_after)

    def _open(self, settings, factory, switch_after):
        key = _settings_key(settings, switch_after)
        if self._client is not None and key == self._key:
            # A new client would start with the settings' warnings: so does a reused one.
            self._mark = len(self._client.warnings)
            self._item_warnings = list(settings.warnings)
            return self._client
        self._item_warnings = self.close()
        client = factory(settings)
        self._key, self._client, self._mark = key, client, 0
        if self._guard_exit and self._finalizer is None:
            # Runs when the forked worker leaves through multiprocessing's exit path
            # (and at interpreter exit elsewhere): the last item's client is closed then.
            self._finalizer = _mp_util.Finalize(None, self._close_at_exit, exitpriority=10)
            self._close_on_terminate()
        return client

    def _close_at_exit(self):
        _ignore_terminate()
        self.close()

    def _close_on_terminate(self):
        try:
            previous = signal.getsignal(signal.SIGTERM)
        except ValueError:  # pragma: no cover - not the main thread
            return

        def on_terminate(signum, frame):
            _ignore_terminate()
            self.close()
            if previous == signal.SIG_IGN:
                return
            if callable(previous):
                previous(signum, frame)
                return
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)

        try:
            signal.signal(signal.SIGTERM, on_terminate)
        except ValueError:  # not the main thread
            pass

    def _release(self, client, failed):
        warnings = self._item_warnings
        self._item_warnings = []
        if failed or client is not self._client:
            # A failed item may leave a refused token, a half-read answer or a
            # dead connection behind: the next item starts with a new client.
            if client is self._client:
                self._key = self._client = None
            _close(client, warnings)
            return warnings
        warnings.extend(client.warnings[self._mark:])
        del client.warnings[self._mark:]
        return warnings

    def close(self):
        """Close the kept client (its session token is deleted); returns its warnings."""
        client, self._key, self._client = self._client, None, None
        warnings = []
        if client is not None:
            del client.warnings[:]
            _close(client, warnings)
        return warnings


class _ItemConnections:
    def __init__(self, cache, factory, switch_after):
        self._cache = cache
        self._factory = factory
        self._switch_after = switch_after

    def open(self, settings):
        return self._cache._open(settings, self._factory, self._switch_after)

    def release(self, client, failed):
        return self._cache._release(client, failed)


# One per worker process: a task's loop items run one after another in it.
CLIENTS = ClientCache(guard_exit=True)


@contextlib.contextmanager
def task_environment(overrides):
    """``os.environ`` with the task's ``environment:`` applied, restored afterwards."""
    saved = {}
    try:
        for name, value in overrides.items():
            name = str(name)
            if name not in saved:
                saved[name] = os.environ.get(name)
            os.environ[name] = "" if value is None else str(value)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def as_module_arguments(args):
    """The task's arguments as a module receives them: plain JSON types, as the
    module path's encoder sends them and the module's decoder reads them."""
    if get_module_encoder is None:
        return json.loads(json.dumps(args))
    encoder = get_module_encoder(ARGUMENT_PROFILE, Direction.CONTROLLER_TO_MODULE)
    decoder = get_module_decoder(ARGUMENT_PROFILE, Direction.CONTROLLER_TO_MODULE)
    return json.loads(json.dumps(args, cls=encoder), cls=decoder)


def module_result(result, params, no_log_values):
    """What ``AnsibleModule._return_formatted`` makes of a result: ``invocation``
    added, every ``no_log`` value masked, top-level booleans and None kept."""
    if "invocation" not in result:
        result["invocation"] = {"module_args": params}
    preserved = dict((key, value) for key, value in result.items()
                     if value is None or isinstance(value, bool))
    result = remove_values(result, no_log_values)
    result.update(preserved)
    return result


def validate_arguments(entry, args, module_name):
    """``(params, no_log_values, error)`` as ``AnsibleModule.__init__`` gets them."""
    validator = ModuleArgumentSpecValidator(entry.argument_spec, **entry.validation_rules())
    params = dict(args)
    validation = validator.validate(params)
    params.update(validation.validated_parameters)
    no_log_values = set(validation._no_log_values)
    if entry.secret_values is not None:
        # Secrets inside a data option (a survey's password defaults).
        no_log_values.update(entry.secret_values(params))
    try:
        first = validation.errors[0]
    except IndexError:
        return params, no_log_values, None
    error = validation.errors.msg
    if isinstance(first, UnsupportedError):
        error = "Unsupported parameters for (%s) module: %s" % (module_name, error)
    return params, no_log_values, error


def run_in_process(entry, args, module_name, check_mode, diff_mode, environment, cache=None):
    """One task (or loop item) in this process; returns the task result."""
    cache = CLIENTS if cache is None else cache
    no_log_values = set()
    params = args
    try:
        with task_environment(environment):
            params, no_log_values, error = validate_arguments(entry, args, module_name)
            if error is not None:
                return module_result({"failed": True, "msg": error}, params, no_log_values)
            connections = cache.connections(entry.client_factory(), entry.session_token_after)
            result, failure, warnings = execute(entry, params, check_mode, diff_mode, connections)
    except Exception as error:  # pylint: disable=broad-exception-caught
        # The process boundary of the module path, here: a bug below must not show a
        # traceback with a secret in it, nor leave a half-used client for the next item.
        cache.close()
        message = remove_values("%s: %s" % (type(error).__name__, error), no_log_values)
        raise AnsibleActionFail("%s failed unexpectedly in the controller: %s (set %s=false to run it "
                                "as a module)" % (module_name, message, SWITCH_VARIABLE)) from None
    if failure is not None:
        result = dict(failure, failed=True)
    if warnings:
        result["warnings"] = list(warnings)
    return module_result(result, params, no_log_values)


def load_entry(action_name):
    """The ``ENTRY`` of ``plugins/modules/<name>.py`` for ``gitops.awx.<name>``."""
    name = action_name.rsplit(".", 1)[-1]
    return importlib.import_module("%s.%s" % (MODULES_PACKAGE, name)).ENTRY


def _switch(value):
    """The in-process switch's value as a boolean; None when unset."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return boolean(value, strict=True)
    except TypeError:
        raise AnsibleActionFail("%s must be a boolean (got %r)" % (SWITCH_VARIABLE, value)) from None


class ActionModule(ActionBase):
    """The action plugin of every gitops.awx module (see the module docstring)."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        if self._in_process(task_vars):
            display.vvv("%s: running in the controller process (%s=false runs it as a module)"
                        % (self._task.action, SWITCH_VARIABLE), host=self._play_context.remote_addr)
            environment = {}
            self._compute_environment_string(raw_environment_out=environment)
            result.update(run_in_process(
                load_entry(self._load_name or self._task.action), as_module_arguments(self._task.args),
                self._task.action, bool(self._task.check_mode), bool(self._task.diff), environment))
            return result
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result.update(self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _in_process(self, task_vars):
        """True when this task may run here, in the controller process."""
        wanted = _switch(self._templar.template(task_vars.get(SWITCH_VARIABLE)))
        if wanted is None:
            wanted = _switch(os.environ.get(SWITCH_ENVIRONMENT))
        if wanted is False or not HAS_REQUESTS:
            return False
        return (getattr(self._connection, "transport", None) == "local"
                and not self._play_context.become
                and not self._task.async_val)
