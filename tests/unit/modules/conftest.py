"""Run an AnsibleModule in-process against the fake AWX behind ``responses``.

``run_module(module, params, check_mode=False, diff=False)`` imports
``plugins/modules/<module>.py``, feeds it ``params`` (plus the connection
options of a token-authenticated ``https://awx.example``), catches the
``SystemExit`` of ``exit_json`` / ``fail_json`` and returns the parsed JSON
result with ``failed`` set either way.
"""
import contextlib
import importlib
import io
import json

import pytest
import responses
from ansible.module_utils import _internal as _ansible_internal
from ansible.module_utils.common import warnings as _warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.gitops.awx.plugins.module_utils import _module
from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from tests.unit.modules.fake_awx import HOST, FakeAWX

CONNECTION = {"controller_host": HOST, "controller_oauthtoken": "s3cr3t-token-value",
              "validate_certs": True, "max_retries": 2}


def import_module(name):
    return importlib.import_module("ansible_collections.gitops.awx.plugins.modules." + name)


def run_module_main(module_name, params, check_mode=False, diff=False, connection=True):
    args = dict(CONNECTION) if connection else {}
    args.update(params)
    args["_ansible_check_mode"] = check_mode
    args["_ansible_diff"] = diff
    module = import_module(module_name)
    out = io.StringIO()
    code = None
    with patch_module_args(args), contextlib.redirect_stdout(out):
        try:
            module.main()
        except SystemExit as exit_:
            code = exit_.code
        else:
            raise AssertionError("%s.main() returned without exit_json/fail_json" % module_name)
    text = out.getvalue()
    result = json.loads(text)
    result.setdefault("failed", code != 0)
    result["_stdout"] = text
    return result


@pytest.fixture(autouse=True)
def _fresh_warnings(monkeypatch):
    # AnsibleModule keeps warnings in a process-wide registry; start each test empty.
    # Once controller code was imported (plugin tests), warnings go to the display
    # instead of the result: run modules as they run on a target.
    monkeypatch.setattr(_ansible_internal, "is_controller", False)
    _warnings._global_warnings.clear()


def warning_messages(result):
    """Warnings as text: ansible-core 2.19 returns structured WarningSummary dicts."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


@pytest.fixture
def awx(monkeypatch):
    """The fake AWX; the modules' Client gets a recorded no-op sleep (no real waits)."""
    sleeps = []

    def client_without_sleep(settings, **kwargs):
        kwargs.setdefault("sleep", sleeps.append)
        return Client(settings, **kwargs)

    monkeypatch.setattr(_module, "Client", client_without_sleep)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeAWX(rsps)
        fake.sleeps = sleeps
        yield fake


@pytest.fixture
def run_module(awx):
    def run(module_name, params, check_mode=False, diff=False, connection=True):
        return run_module_main(module_name, params, check_mode=check_mode, diff=diff,
                               connection=connection)
    return run
