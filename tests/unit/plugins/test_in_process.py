"""The in-process entry (plugins/plugin_utils/_in_process.py) against the module path.

The module path is ``main()`` through ``AnsibleModule`` (``run_module_main``); the
in-process path is ``run_in_process`` with the module's ``ENTRY``.  Both answer the
same fake AWX behind ``responses``; their results must be equal, key for key
(``invocation`` included), apart from the warnings' wrapping (the module returns
``WarningSummary`` dicts, the action plain texts that Ansible wraps the same way).
"""
import multiprocessing
import os
import signal
import time
from types import SimpleNamespace

import pytest
from ansible.errors import AnsibleActionFail

from ansible_collections.gitops.awx.plugins.module_utils._options import TOKEN_AND_PASSWORD_WARNING
from ansible_collections.gitops.awx.plugins.plugin_utils import _in_process
from ansible_collections.gitops.awx.plugins.plugin_utils._in_process import (
    ActionModule,
    ClientCache,
    as_module_arguments,
    load_entry,
    run_in_process,
    task_environment,
)
from tests.unit.modules import fake_awx
from tests.unit.modules.conftest import (  # noqa: F401  pylint: disable=unused-import
    CONNECTION,
    _fresh_warnings,
    awx,
    run_module_main,
    warning_messages,
)

TOKEN = CONNECTION["controller_oauthtoken"]
BASE = {"name": "web1", "inventory": "prod", "organization": "Default"}


@pytest.fixture
def world(awx):  # noqa: F811
    awx.org = awx.add("organizations", name="Default")
    awx.inv = awx.add("inventories", name="prod", organization=awx.org)
    return awx


@pytest.fixture
def cache():
    clients = ClientCache()
    yield clients
    clients.close()


def in_process(module_name, params, cache, check_mode=False, diff=False, connection=True,
               environment=None):  # noqa: F811
    args = dict(CONNECTION) if connection else {}
    args.update(params)
    return run_in_process(load_entry("gitops.awx." + module_name), as_module_arguments(args),
                          "gitops.awx." + module_name, check_mode, diff, environment or {}, cache=cache)


def module_path(module_name, params, check_mode=False, diff=False, connection=True):
    result = run_module_main(module_name, params, check_mode=check_mode, diff=diff,
                             connection=connection)
    result.pop("_stdout")
    return result


def comparable(result):
    result = dict(result)
    if "msg" in result:
        # Outside Ansible AnsibleModule has no module name to give (the real one is the
        # task's action, which the integration tests compare).
        result["msg"] = result["msg"].replace("(basic.py)", "(gitops.awx.host)")
    result.setdefault("failed", False)
    if "warnings" in result:
        result["warnings"] = warning_messages(result)
    return result


@pytest.mark.parametrize("diff", [False, True])
def test_check_mode_create_equal_both_ways(world, cache, diff):
    params = dict(BASE, description="web", variables={"a": 1})
    inproc = in_process("host", params, cache, check_mode=True, diff=diff)
    module = module_path("host", params, check_mode=True, diff=diff)
    assert inproc["changed"] is True and ("diff" in inproc) is diff
    assert comparable(inproc) == comparable(module)
    assert world.writes == []


def test_create_update_and_noop_equal_both_ways(world, cache):
    results = []
    for name, run in (("web-in", in_process), ("web-mod", None)):
        params = dict(BASE, name=name, variables={"a": 1})
        steps = []
        for step in (params, params, dict(params, enabled=False)):
            result = run("host", step, cache, diff=True) if run else module_path("host", step, diff=True)
            steps.append(comparable(result))
        results.append(repr(steps).replace(name, "<name>"))
    by_id = dict((host["name"], host["id"]) for host in world.data["hosts"].values())
    assert results[0].replace(str(by_id["web-in"]), "<id>") == results[1].replace(str(by_id["web-mod"]), "<id>")
    assert "'changed': False" in results[0] and "'changed': True" in results[0]


@pytest.mark.parametrize("module_name, params", [
    ("host", {"inventory": "prod"}),                                  # missing required
    ("host", dict(BASE, bogus=1, other=2)),                           # unsupported
    ("host", dict(BASE, enabled="maybe")),                            # wrong type
    ("host", dict(BASE, state="gone")),                               # choices
    ("job_wait", {}),
    ("job_wait", {"job_id": "abc"}),
    ("job_launch", {"name": "x", "verbosity": 9}),
    ("job_cancel", {"job_id": 1, "wait": "sometimes"}),
    ("organization", {"name": "x", "max_hosts": "many"}),
    ("inventory", {"name": "x"}),
])
def test_validation_errors_are_the_module_path_ones(world, cache, module_name, params):
    inproc = in_process(module_name, params, cache)
    module = module_path(module_name, params)
    assert inproc["failed"] is True
    assert comparable(inproc) == comparable(module)
    assert world.count() == 0


def test_unsupported_parameters_name_the_module_as_written(cache):
    result = run_in_process(load_entry("gitops.awx.host"), dict(BASE, bogus=1), "host", False, False, {},
                            cache=cache)
    assert result["msg"].startswith("Unsupported parameters for (host) module: bogus. Supported parameters include:")


def test_awx_errors_and_engine_errors_equal_both_ways(world, cache):
    for params in (dict(BASE, inventory="nope"), dict(BASE, variables="a: [")):
        inproc = in_process("host", params, cache)
        module = module_path("host", params)
        assert inproc["failed"] is True and "\n" not in inproc["msg"]
        assert comparable(inproc) == comparable(module)
    world.fail_next("GET", "/api/v2/hosts/", 403)
    inproc = in_process("host", BASE, cache)
    world.fail_next("GET", "/api/v2/hosts/", 403)
    module = module_path("host", BASE)
    assert inproc["status"] == 403 and comparable(inproc) == comparable(module)


def test_secrets_are_masked_everywhere_in_the_result(world, cache):
    # The token is also the description: AnsibleModule masks a no_log value wherever it appears.
    params = dict(BASE, description="token is %s" % TOKEN)
    inproc = in_process("host", params, cache, check_mode=True, diff=True)
    assert TOKEN not in repr(inproc)
    assert inproc["invocation"]["module_args"]["controller_oauthtoken"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert inproc["host"]["description"] in ("token is VALUE_SPECIFIED_IN_NO_LOG_PARAMETER", "token is ********")
    assert inproc["changed"] is True          # booleans survive the masking
    module = module_path("host", params, check_mode=True, diff=True)
    assert TOKEN not in repr(module)
    assert comparable(inproc) == comparable(module)


def test_warnings_come_with_every_item(world, cache):
    params = dict(BASE, controller_username="admin", controller_password="pw-secret-1")
    first = in_process("host", params, cache)
    second = in_process("host", params, cache)
    module = module_path("host", params)
    assert first["warnings"] == second["warnings"] == [TOKEN_AND_PASSWORD_WARNING]
    assert warning_messages(module) == [TOKEN_AND_PASSWORD_WARNING]


def test_one_client_for_the_items_of_a_task_while_settings_are_equal(world, cache):
    world.add("hosts", name="web1", inventory=world.inv)
    in_process("host", BASE, cache)
    client = cache.client
    in_process("host", BASE, cache)
    assert cache.client is client and client.request_count == 2
    in_process("host", dict(BASE, request_timeout=3), cache)
    assert cache.client is not client and client._closed


def test_a_failed_item_closes_its_client_and_the_next_starts_clean(world, cache):
    world.add("hosts", name="web1", inventory=world.inv)
    in_process("host", BASE, cache)
    client = cache.client
    world.fail_next("GET", "/api/v2/hosts/", 401)
    failed = in_process("host", BASE, cache)
    assert failed["failed"] is True and failed["status"] == 401
    assert client._closed and cache.client is None
    after = in_process("host", BASE, cache)
    assert not after.get("failed") and cache.client is not client


def test_the_last_client_is_closed_with_the_cache(world, cache):
    in_process("host", BASE, cache)
    client = cache.client
    assert cache.close() == [] and client._closed and cache.client is None


def test_session_token_of_a_loop_is_created_once_and_deleted_at_close(world, cache, monkeypatch):
    monkeypatch.setitem(fake_awx.DEFAULTS, "tokens", {"token": "session-tok-123456", "scope": "write"})
    monkeypatch.setitem(fake_awx.TYPES, "tokens", "token")
    world.data["tokens"] = {}
    world.add("hosts", name="web1", inventory=world.inv)
    password = {"controller_oauthtoken": None, "controller_username": "admin",
                "controller_password": "pw-secret-2"}
    for _item in range(6):
        result = in_process("host", dict(BASE, **password), cache)
        assert not result.get("failed"), result.get("msg")
    assert world.count("POST") == 1 and len(world.data["tokens"]) == 1
    assert world.count() == 7                 # six finds and one token
    cache.close()
    assert world.count("DELETE") == 1 and world.data["tokens"] == {}


def test_task_environment_reaches_the_env_fallbacks_and_is_restored(world, cache, monkeypatch):
    monkeypatch.setenv("CONTROLLER_HOST", "https://wrong.example")
    monkeypatch.delenv("CONTROLLER_OAUTH_TOKEN", raising=False)
    environment = {"CONTROLLER_HOST": "https://awx.example", "CONTROLLER_OAUTH_TOKEN": TOKEN}
    result = in_process("host", BASE, cache, connection=False, environment=environment)
    assert not result.get("failed"), result.get("msg")
    assert result["invocation"]["module_args"]["controller_host"] == "https://awx.example"
    assert os.environ["CONTROLLER_HOST"] == "https://wrong.example"
    assert "CONTROLLER_OAUTH_TOKEN" not in os.environ


def test_task_environment_restores_after_an_error(monkeypatch):
    monkeypatch.setenv("GITOPS_T1", "before")
    with pytest.raises(RuntimeError):
        with task_environment({"GITOPS_T1": "during", "GITOPS_T2": 2}):
            assert os.environ["GITOPS_T1"] == "during" and os.environ["GITOPS_T2"] == "2"
            raise RuntimeError("boom")
    assert os.environ["GITOPS_T1"] == "before" and "GITOPS_T2" not in os.environ


def test_an_unexpected_error_is_one_masked_line_and_drops_the_client(world, cache, monkeypatch):
    in_process("host", BASE, cache)
    client = cache.client
    entry = load_entry("gitops.awx.host")

    def broken(ctx):
        raise KeyError("leaked %s" % TOKEN)

    monkeypatch.setattr(entry, "handler", broken)
    with pytest.raises(AnsibleActionFail) as failure:
        in_process("host", BASE, cache)
    message = str(failure.value)
    assert TOKEN not in message and "KeyError" in message and "gitops_awx_in_process=false" in message
    assert client._closed and cache.client is None


class _Templar:
    def template(self, value):
        return value


def _action(transport="local", become=False, async_val=0):
    action = ActionModule.__new__(ActionModule)
    action._connection = SimpleNamespace(transport=transport)
    action._play_context = SimpleNamespace(become=become)
    action._task = SimpleNamespace(async_val=async_val)
    action._templar = _Templar()
    return action


@pytest.mark.parametrize("kwargs, task_vars, env, expected", [
    ({}, {}, None, True),
    ({}, {"gitops_awx_in_process": True}, "false", True),       # the variable wins
    ({}, {"gitops_awx_in_process": "no"}, None, False),
    ({}, {}, "false", False),
    ({}, {}, "1", True),
    ({"transport": "ssh"}, {}, None, False),
    ({"transport": "ansible.netcommon.httpapi"}, {}, None, False),
    ({"become": True}, {}, None, False),
    ({"async_val": 30}, {}, None, False),
])
def test_when_the_task_runs_in_the_controller(monkeypatch, kwargs, task_vars, env, expected):
    if env is None:
        monkeypatch.delenv("GITOPS_AWX_IN_PROCESS", raising=False)
    else:
        monkeypatch.setenv("GITOPS_AWX_IN_PROCESS", env)
    assert _action(**kwargs)._in_process(task_vars) is expected


def test_no_requests_on_the_controller_means_the_module_path(monkeypatch):
    monkeypatch.delenv("GITOPS_AWX_IN_PROCESS", raising=False)
    monkeypatch.setattr(_in_process, "HAS_REQUESTS", False)
    assert _action()._in_process({}) is False


def test_a_bad_switch_value_is_one_clear_error(monkeypatch):
    monkeypatch.delenv("GITOPS_AWX_IN_PROCESS", raising=False)
    with pytest.raises(AnsibleActionFail, match="gitops_awx_in_process must be a boolean"):
        _action()._in_process({"gitops_awx_in_process": "perhaps"})


class _RecordingClient:
    def __init__(self, settings, path):
        self.settings = settings
        self.warnings = []
        self._path = path

    def close(self):
        with open(self._path, "a") as handle:
            handle.write("closed\n")


def _worker(path, terminate):
    from ansible_collections.gitops.awx.plugins.module_utils._options import ConnectionSettings

    # The fork inherits the test runner's SIGTERM handler (pytest-xdist installs one); a worker
    # of ansible-playbook starts from the default, so the test does too.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    cache = ClientCache(guard_exit=True)
    connections = cache.connections(lambda settings: _RecordingClient(settings, path), 3)
    client = connections.open(ConnectionSettings("https://awx.example", token="t"))
    connections.release(client, False)
    if terminate:
        os.kill(os.getpid(), 15)
        time.sleep(5)  # the SIGTERM ends the process before this does


@pytest.mark.parametrize("terminate", [False, True])
def test_the_workers_client_is_closed_when_the_worker_ends(tmp_path, terminate):
    """Ansible's workers are forked multiprocessing processes: a normal end runs the
    finalizer, a SIGTERM (the end of a play) closes first, then dies as it would have."""
    path = str(tmp_path / "closed")
    process = multiprocessing.get_context("fork").Process(target=_worker, args=(path, terminate))
    process.start()
    process.join(30)
    assert process.exitcode == (-15 if terminate else 0)
    with open(path) as handle:
        assert handle.read() == "closed\n"
