"""controller_config_file: formats, precedence (task > environment > file), errors."""
import pytest
from ansible.config.manager import ConfigManager
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
import yaml

from ansible_collections.gitops.awx.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.gitops.awx.plugins.module_utils._config_file import read_config_file
from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError
from ansible_collections.gitops.awx.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    ENV_FALLBACKS,
    settings_from_options,
)

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


EXPECTED = {"controller_host": "https://awx.example", "controller_username": "admin",
            "controller_password": SECRET, "validate_certs": False, "request_timeout": 4.5}


@pytest.mark.parametrize("text", [
    # YAML
    "host: https://awx.example\nusername: admin\npassword: %s\nverify_ssl: false\n"
    "request_timeout: 4.5\n" % SECRET,
    # JSON is YAML
    '{"host": "https://awx.example", "username": "admin", "password": "%s", '
    '"verify_ssl": "no", "request_timeout": "4.5"}' % SECRET,
    # INI with [general]
    "[general]\nhost = https://awx.example\nusername = admin\npassword = %s\n"
    "verify_ssl = False\nrequest_timeout = 4.5\n" % SECRET,
    # tower-cli's flat key=value
    "host=https://awx.example\nusername=admin\npassword=%s\nverify_ssl=false\n"
    "request_timeout=4.5\n" % SECRET,
], ids=["yaml", "json", "ini", "flat"])
def test_formats(tmp_path, text):
    values, warnings = read_config_file(write(tmp_path, text))
    assert values == EXPECTED and warnings == []


def test_token_key_percent_signs_and_unknown_keys(tmp_path):
    values, warnings = read_config_file(write(tmp_path, "[general]\noauth_token = a%b\ncolor = red\n"))
    assert values == {"controller_oauthtoken": "a%b"}
    assert warnings == ["controller_config_file %s: unknown keys ignored: color (known: host, "
                        "oauth_token, password, request_timeout, username, verify_ssl)"
                        % (tmp_path / "tower_cli.cfg")]


def test_file_fills_only_unset_options(tmp_path):
    path = write(tmp_path, "host: file.example\nverify_ssl: false\nrequest_timeout: 3\n"
                           "oauth_token: file-token\n")
    settings = settings_from_options({"controller_config_file": path})
    assert (settings.host, settings.validate_certs, settings.request_timeout, settings.token) == (
        "https://file.example", False, 3.0, "file-token")
    given = settings_from_options({"controller_config_file": path, "controller_host": "task.example",
                                   "validate_certs": True, "request_timeout": 7})
    assert (given.host, given.validate_certs, given.request_timeout) == (
        "https://task.example", True, 7.0)


def test_file_credentials_only_when_none_given(tmp_path):
    path = write(tmp_path, "host: h\nusername: fileuser\npassword: %s\noauth_token: ftok\n" % SECRET)
    from_file = settings_from_options({"controller_config_file": path})
    assert from_file.token == "ftok" and from_file.password is None   # the token wins
    task_user = settings_from_options({"controller_config_file": path, "controller_username": "me",
                                       "controller_password": "mine"})
    assert (task_user.username, task_user.password, task_user.token) == ("me", "mine", None)
    assert task_user.warnings == []
    # A task user without a password is not completed with the file's password.
    with pytest.raises(ConfigurationError, match="controller_password is required"):
        settings_from_options({"controller_config_file": path, "controller_username": "me"})


@pytest.mark.parametrize("setup, message", [
    (lambda tmp: str(tmp / "missing.cfg"), "no such file"),
    (str, "not a file"),
    (lambda tmp: write(tmp, "[other]\nhost = h\n"), "has no [general] section"),
    (lambda tmp: write(tmp, "[general]\npassword\n%s\n[\n" % SECRET),
     "is neither a YAML mapping nor an INI file with a [general] section"),
    (lambda tmp: write(tmp, "[general]\npassword = %s\npassword = %s\n" % (SECRET, SECRET)),
     "is neither a YAML mapping nor an INI file with a [general] section (line 3)"),
    (lambda tmp: write(tmp, "host: h\nverify_ssl: maybe\n"), "verify_ssl must be a boolean (got 'maybe')"),
    (lambda tmp: write(tmp, "host: h\nrequest_timeout: 0\n"), "request_timeout must be greater than 0"),
    (lambda tmp: write(tmp, "host: h\npassword: [%s]\n" % SECRET), "password must be a single value"),
])
def test_errors_name_the_option_and_never_the_secret(tmp_path, setup, message):
    path = setup(tmp_path)
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_config_file": path, "controller_host": "h"})
    text = str(info.value)
    assert text.startswith("controller_config_file %s: " % path)
    assert message in text
    assert SECRET not in text


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "host: h\n")

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    # Root reads any file whatever its mode: simulate the refusal instead.
    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(ConfigurationError) as info:
        read_config_file(path)
    assert str(info.value) == "controller_config_file %s: cannot be read (Permission denied)" % path


def test_argument_spec_env_fallback_and_alias(clean_env, tmp_path):
    path = write(tmp_path, "host: h\n")
    clean_env.setenv("CONTROLLER_CONFIG_FILE", path)
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate({})
    assert result.validated_parameters["controller_config_file"] == path
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate({"tower_config_file": "/x"})
    assert result.validated_parameters["controller_config_file"] == "/x"


def test_plugin_twin_reads_controller_config_file_from_env(clean_env):
    options = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    manager = ConfigManager()
    manager.initialize_plugin_configuration_definitions("lookup", "gitops_cfg", options)
    clean_env.setenv("CONTROLLER_CONFIG_FILE", "/etc/awx.cfg")
    assert manager.get_config_value("controller_config_file", plugin_type="lookup",
                                    plugin_name="gitops_cfg") == "/etc/awx.cfg"
    assert manager.get_config_value("validate_certs", plugin_type="lookup",
                                    plugin_name="gitops_cfg") is None
