"""The module adapter: one error boundary, client closed, results and warnings."""
import contextlib
import io
import json

import pytest
from ansible.module_utils import _internal as _ansible_internal
from ansible.module_utils.common import warnings as _warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.gitops.awx.plugins.module_utils import _module
from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    JobFailed,
    ResourceError,
    ValidationError,
)

TOKEN = "tok-very-secret"


class RecordingClient:
    instances = []

    def __init__(self, settings):
        self.settings = settings
        self.closed = False
        self.warnings = []
        RecordingClient.instances.append(self)

    def close(self):
        self.closed = True


@pytest.fixture(autouse=True)
def _reset(monkeypatch):
    RecordingClient.instances = []
    # AnsibleModule keeps warnings in a process-wide registry; start each test empty.
    # Once controller code was imported (plugin tests), warnings go to the display
    # instead of the result: run modules as they run on a target.
    monkeypatch.setattr(_ansible_internal, "is_controller", False)
    _warnings._global_warnings.clear()


def warning_messages(result):
    """Warnings as text: ansible-core 2.19 returns structured WarningSummary dicts."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


def run(handler, params=None, argument_spec=None, connection=True, **kwargs):
    args = {"controller_host": "https://awx.example", "controller_oauthtoken": TOKEN} if connection else {}
    args.update(params or {})
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        with pytest.raises(SystemExit) as exit_:
            _module.run_module(argument_spec or {"name": {"type": "str"}}, handler,
                               client_factory=RecordingClient, **kwargs)
    result = json.loads(out.getvalue())
    result["_rc"] = exit_.value.code
    result["_stdout"] = out.getvalue()
    return result


def test_handler_gets_client_params_and_modes():
    seen = {}

    def handler(ctx):
        seen.update(client=ctx.client, name=ctx.params["name"], check=ctx.check_mode,
                    diff=ctx.diff_mode)
        return {"changed": True, "thing": 1}

    result = run(handler, {"name": "x", "_ansible_check_mode": True, "_ansible_diff": True})
    assert result["_rc"] == 0 and result["changed"] is True and result["thing"] == 1
    assert seen["name"] == "x" and seen["check"] is True and seen["diff"] is True
    assert seen["client"] is RecordingClient.instances[0]
    assert RecordingClient.instances[0].closed


def test_changed_defaults_to_false_and_warnings_reach_the_result():
    def handler(ctx):
        ctx.warn("careful")
        ctx.client.warnings.append("from the client")
        return {}

    result = run(handler, {"name": "x"})
    assert result["changed"] is False
    assert warning_messages(result) == ["careful", "from the client"]


def test_validation_error_becomes_one_fail_json_with_context():
    def handler(ctx):
        raise ValidationError("POST", "/api/v2/hosts/", 400,
                              {"variables": ["Not a valid string."]})

    result = run(handler, {"name": "x"})
    assert result["_rc"] == 1 and result["failed"] is True
    assert result["msg"] == "POST /api/v2/hosts/ returned 400: variables: Not a valid string."
    assert result["status"] == 400 and result["method"] == "POST"
    assert result["field_errors"] == {"variables": ["Not a valid string."]}
    assert result["error_type"] == "ValidationError"
    assert "Traceback" not in result["_stdout"]
    assert RecordingClient.instances[0].closed


def test_engine_and_job_errors_are_converted_too():
    def engine(ctx):
        raise ResourceError("inventory 'prod' not found in organization 'Default'")

    result = run(engine, {"name": "x"})
    assert result["msg"] == "inventory 'prod' not found in organization 'Default'"
    assert "status" not in result

    def job(ctx):
        raise JobFailed("job 5 failed", job={"id": 5, "status": "failed"})

    result = run(job, {"name": "x"})
    assert result["msg"] == "job 5 failed" and result["job"] == {"id": 5, "status": "failed"}


def test_missing_host_is_a_configuration_error_without_traceback(monkeypatch):
    for name in ("CONTROLLER_HOST", "CONTROLLER_HOSTNAME", "AAP_HOSTNAME", "AAP_HOST",
                 "TOWER_HOST", "TOWER_HOSTNAME"):
        monkeypatch.delenv(name, raising=False)
    result = run(lambda ctx: {}, {"name": "x"}, connection=False)
    assert result["failed"] and "controller_host" in result["msg"]
    assert result["error_type"] == "ConfigurationError"
    assert RecordingClient.instances == []


def test_secrets_never_appear_in_the_output():
    def handler(ctx):
        raise ResourceError("bad token %s" % ctx.params["controller_oauthtoken"])

    result = run(handler, {"name": "x"})
    assert TOKEN not in result["_stdout"]


def test_missing_requests_fails_cleanly(monkeypatch):
    monkeypatch.setattr(_module, "HAS_REQUESTS", False)
    result = run(lambda ctx: {}, {"name": "x"})
    assert result["failed"] and "requests" in result["msg"]
    assert RecordingClient.instances == []


def test_module_options_may_not_shadow_connection_options():
    with pytest.raises(ValueError, match="controller_host"):
        _module.build_argument_spec({"controller_host": {"type": "str"}})


def test_run_resource_module_wires_ensure_and_shapes_the_result(monkeypatch):
    from ansible_collections.gitops.awx.plugins.module_utils._resource import Outcome
    from ansible_collections.gitops.awx.plugins.module_utils._spec import Field, ResourceSpec

    spec = ResourceSpec(resource="thing", endpoint="things/", fields=[Field("name", required=True)])
    calls = []

    def fake_ensure(client, spec_, params, check_mode):
        calls.append((spec_, params["name"], check_mode))
        return Outcome(True, {}, {"name": "a"}, {"id": None, "name": "a"},
                       changed_fields=["name"], warnings=["w"])

    monkeypatch.setattr(_module, "ensure", fake_ensure)
    args = {"controller_host": "https://awx.example", "controller_oauthtoken": TOKEN,
            "name": "a", "_ansible_check_mode": True, "_ansible_diff": True}
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        with pytest.raises(SystemExit):
            _module.run_resource_module(spec, client_factory=RecordingClient)
    result = json.loads(out.getvalue())
    assert calls == [(spec, "a", True)]
    assert result["thing"] == {"id": None, "name": "a"} and result["id"] is None
    assert result["diff"] == {"before": {}, "after": {"name": "a"}}
    assert result["changed_fields"] == ["name"] and warning_messages(result) == ["w"]


@pytest.mark.parametrize("session_token_after, expected", [(None, 3), (0, 0)])
def test_session_token_after_reaches_the_real_client(monkeypatch, session_token_after, expected):
    # Job modules ask for a session token from the first request; resource modules keep
    # the client's default. The choice must reach the Client the adapter builds.
    built = []

    class SpyClient(RecordingClient):
        def __init__(self, settings, switch_after=3):
            super().__init__(settings)
            self.switch_after = switch_after
            built.append(self)

    monkeypatch.setattr(_module, "Client", SpyClient)
    args = {"controller_host": "https://awx.example", "controller_username": "admin",
            "controller_password": "pw"}
    out = io.StringIO()
    with patch_module_args(args), contextlib.redirect_stdout(out):
        with pytest.raises(SystemExit):
            _module.run_module({}, lambda ctx: {"changed": False}, session_token_after=session_token_after)
    assert [client.switch_after for client in built] == [expected]
    assert built[0].closed
