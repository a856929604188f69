"""controller_config_file through a module run: task option > environment > file."""
import pytest

from ansible_collections.gitops.awx.plugins.module_utils._options import ENV_FALLBACKS
from tests.unit.modules.conftest import run_module_main, warning_messages

ALL_ENV = sorted(set(name for names in ENV_FALLBACKS.values() for name in names))
SECRET = "pa55-w0rd-in-file"


@pytest.fixture
def clean_env(monkeypatch):
    for name in ALL_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def write(tmp_path, text, name="tower_cli.cfg"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


# -- through a module: task option > environment > file ------------------------------

@pytest.fixture
def file_world(awx, tmp_path, clean_env):
    awx.add("organizations", name="Default")
    awx.config = write(tmp_path, "[general]\nhost = %s\noauth_token = file-token\n"
                                 "password = %s\ncolour = blue\n" % ("https://file.example", SECRET))
    return awx


def _run(params, **kwargs):
    return run_module_main("organization", dict(params, name="Default", max_retries=0),
                           connection=False, **kwargs)


def test_module_uses_the_file(file_world, clean_env):
    clean_env.setenv("CONTROLLER_HOST", "https://awx.example")   # the fake AWX
    result = _run({"controller_config_file": file_world.config})
    assert not result["failed"], result.get("msg")
    assert file_world.calls and SECRET not in result["_stdout"]
    assert any("unknown keys ignored: colour" in w for w in warning_messages(result))


def test_task_beats_environment_beats_file(file_world, clean_env, monkeypatch):
    seen = []
    from ansible_collections.gitops.awx.plugins.module_utils import _module
    real = _module.Client

    def spy(settings, **kwargs):
        seen.append((settings.host, settings.token))
        return real(settings, **kwargs)

    monkeypatch.setattr(_module, "Client", spy)
    clean_env.setenv("CONTROLLER_HOST", "https://awx.example")
    _run({"controller_config_file": file_world.config})
    clean_env.setenv("CONTROLLER_OAUTH_TOKEN", "env-token")
    _run({"controller_config_file": file_world.config})
    _run({"controller_config_file": file_world.config, "controller_oauthtoken": "task-token"})
    clean_env.setenv("CONTROLLER_CONFIG_FILE", file_world.config)
    clean_env.delenv("CONTROLLER_HOST")
    clean_env.delenv("CONTROLLER_OAUTH_TOKEN")
    _run({"controller_host": "https://awx.example"})
    assert seen == [("https://awx.example", "file-token"), ("https://awx.example", "env-token"),
                    ("https://awx.example", "task-token"), ("https://awx.example", "file-token")]


def test_module_fails_on_a_missing_file(file_world):
    result = _run({"controller_config_file": "/nonexistent/tower_cli.cfg",
                   "controller_host": "https://awx.example"})
    assert result["failed"]
    assert result["msg"] == "controller_config_file /nonexistent/tower_cli.cfg: no such file"
    assert file_world.calls == []
