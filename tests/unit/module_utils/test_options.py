"""Connection options: argument spec, env fallback precedence, validation."""
import json

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError
from ansible_collections.gitops.awx.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    ENV_FALLBACKS,
    TOKEN_AND_PASSWORD_WARNING,
    settings_from_options,
)

ALL_ENV = sorted(set(name for names in ENV_FALLBACKS.values() for name in names))


@pytest.fixture
def clean_env(monkeypatch):
    for name in ALL_ENV:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def validated(params):
    """What AnsibleModule would put into module.params (fallbacks, defaults, types)."""
    result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate(params)
    assert result.error_messages == []
    return result.validated_parameters, result


# -- the argument spec through Ansible's own validator -------------------------

def test_defaults(clean_env):
    params, _result = validated({"controller_host": "awx.example.com"})
    # No argument-spec default for these two, so that controller_config_file can set them:
    # their defaults apply in settings_from_options.
    assert params["validate_certs"] is None and params["request_timeout"] is None
    settings = settings_from_options(params)
    assert settings.validate_certs is True and settings.request_timeout == 10.0
    assert params["max_retries"] == 5
    assert params["retry_max_time"] == 60.0
    assert params["api_prefix"] is None


@pytest.mark.parametrize("alias,option", [
    ("host", "controller_host"), ("tower_host", "controller_host"), ("aap_hostname", "controller_host"),
    ("username", "controller_username"), ("tower_username", "controller_username"),
    ("aap_username", "controller_username"),
    ("password", "controller_password"), ("tower_password", "controller_password"),
    ("aap_password", "controller_password"),
    ("token", "controller_oauthtoken"), ("aap_token", "controller_oauthtoken"),
    ("tower_oauthtoken", "controller_oauthtoken"),
    ("verify_ssl", "validate_certs"), ("tower_verify_ssl", "validate_certs"),
    ("aap_validate_certs", "validate_certs"),
])
def test_aliases(clean_env, alias, option):
    value = False if option == "validate_certs" else "v"
    params, _result = validated({alias: value})
    assert params[option] == value


@pytest.mark.parametrize("option,set_vars,expected", [
    # first set wins: CONTROLLER_* before AAP_* before TOWER_*
    ("controller_host", {"TOWER_HOST": "t", "AAP_HOSTNAME": "a", "CONTROLLER_HOST": "c"}, "c"),
    ("controller_host", {"TOWER_HOST": "t", "AAP_HOSTNAME": "a"}, "a"),
    ("controller_host", {"TOWER_HOST": "t"}, "t"),
    ("controller_host", {"CONTROLLER_HOSTNAME": "ch", "AAP_HOSTNAME": "a"}, "ch"),
    ("controller_oauthtoken", {"TOWER_OAUTH_TOKEN": "t", "AAP_TOKEN": "a", "CONTROLLER_OAUTH_TOKEN": "c"}, "c"),
    ("controller_oauthtoken", {"TOWER_OAUTH_TOKEN": "t", "CONTROLLER_TOKEN": "ct"}, "ct"),
    ("controller_username", {"TOWER_USERNAME": "t", "AAP_USERNAME": "a"}, "a"),
    ("controller_password", {"TOWER_PASSWORD": "t", "CONTROLLER_PASSWORD": "c"}, "c"),
    ("validate_certs", {"TOWER_VERIFY_SSL": "true", "AAP_VALIDATE_CERTS": "false"}, False),
    ("request_timeout", {"TOWER_REQUEST_TIMEOUT": "3", "CONTROLLER_REQUEST_TIMEOUT": "7.5"}, 7.5),
])
def test_env_fallback_precedence(clean_env, option, set_vars, expected):
    for name, value in set_vars.items():
        clean_env.setenv(name, value)
    params, _result = validated({})
    assert params[option] == expected


def test_explicit_option_beats_env(clean_env):
    clean_env.setenv("CONTROLLER_HOST", "env.example.com")
    params, _result = validated({"controller_host": "task.example.com"})
    assert params["controller_host"] == "task.example.com"


def test_secret_options_are_no_log(clean_env):
    clean_env.setenv("CONTROLLER_PASSWORD", "env-secret-pw")
    params, result = validated({"controller_oauthtoken": "tok-secret"})
    assert "env-secret-pw" in result._no_log_values
    assert "tok-secret" in result._no_log_values


# -- settings_from_options -----------------------------------------------------

@pytest.mark.parametrize("given,expected", [
    ("awx.example.com", "https://awx.example.com"),
    ("awx.example.com:8043", "https://awx.example.com:8043"),
    ("http://127.0.0.1:8013/", "http://127.0.0.1:8013"),
    ("HTTPS://AWX.example.com", "https://awx.example.com"),
    ("  https://awx.example.com  ", "https://awx.example.com"),
    ("https://[::1]:8443", "https://[::1]:8443"),
    ("https://example.com/awx/", "https://example.com/awx"),
    ("example.com/tools/awx", "https://example.com/tools/awx"),
])
def test_host_normalised(given, expected):
    assert settings_from_options({"controller_host": given}).host == expected


@pytest.mark.parametrize("host", [None, "", "   "])
def test_missing_host_names_option_and_env(host):
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": host})
    assert str(info.value) == "controller_host is required (or set CONTROLLER_HOST)"


@pytest.mark.parametrize("host", [
    "ftp://awx.example.com", "https://", "https://awx.example.com:99999", "https://awx.example.com/a b",
    "https://awx.example.com?x=1", "https://awx .example.com", "https://awx.example.com:port",
])
def test_bad_host_is_refused(host):
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": host})
    assert str(info.value).startswith("controller_host ")
    assert "not a valid URL" in str(info.value)


@pytest.mark.parametrize("host", ["https://admin:s3cr3t-pw@awx.example.com", "admin:s3cr3t-pw@awx.example.com",
                                  "https://admin:s3cr3t/pw@awx.example.com", "https://admin:s3cr3t-pw@awx:port"])
def test_host_with_credentials_refused_without_echoing_them(host):
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": host})
    assert "s3cr3t" not in str(info.value)
    assert "controller_host must not contain credentials" in str(info.value)


@pytest.mark.parametrize("host", ["https://awx.example.com/api/v2", "https://awx.example.com/api",
                                  "https://example.com/awx/api/controller/v2/"])
def test_host_with_an_api_path_points_to_api_prefix(host):
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": host})
    assert "includes the API path" in str(info.value) and "api_prefix" in str(info.value)


def test_token_string_and_dict():
    plain = settings_from_options({"controller_host": "h", "controller_oauthtoken": "abc"})
    from_module = settings_from_options({"controller_host": "h",
                                         "controller_oauthtoken": {"token": "abc", "id": 3}})
    assert plain.token == from_module.token == "abc"


@pytest.mark.parametrize("token", [{"id": 3}, {"token": ""}, {"token": 5}, 12, ["abc"]])
def test_bad_token_shape(token):
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": "h", "controller_oauthtoken": token})
    assert str(info.value).startswith("controller_oauthtoken must be a string or a dict with a 'token' key")


def test_token_wins_over_password_and_password_is_dropped():
    settings = settings_from_options({"controller_host": "h", "controller_oauthtoken": "tok",
                                      "controller_username": "admin", "controller_password": "pw"})
    assert settings.token == "tok"
    assert settings.username is None and settings.password is None
    assert settings.warnings == [TOKEN_AND_PASSWORD_WARNING]


def test_username_without_password():
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": "h", "controller_username": "admin"})
    assert str(info.value).startswith("controller_password is required when controller_username is set")


def test_password_without_username():
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": "h", "controller_password": "s3cr3t"})
    assert "controller_username is required" in str(info.value)
    assert "s3cr3t" not in str(info.value)


def test_password_is_kept_verbatim():
    settings = settings_from_options({"controller_host": "h", "controller_username": "u",
                                      "controller_password": " spaced pw "})
    assert settings.password == " spaced pw "


def test_no_credentials_is_anonymous():
    settings = settings_from_options({"controller_host": "h"})
    assert settings.token is None and settings.username is None


def test_plugin_style_strings_are_converted():
    settings = settings_from_options({
        "controller_host": "h", "validate_certs": "no", "request_timeout": "2.5",
        "max_retries": "0", "retry_max_time": "0", "api_prefix": "api/controller/v2",
    })
    assert settings.validate_certs is False
    assert settings.verify is False
    assert settings.request_timeout == 2.5
    assert settings.max_retries == 0
    assert settings.retry_max_time == 0.0
    assert settings.api_prefix == "/api/controller/v2/"


def test_missing_keys_take_defaults():
    settings = settings_from_options({"controller_host": "h"})
    assert (settings.validate_certs, settings.request_timeout, settings.max_retries,
            settings.retry_max_time, settings.api_prefix, settings.ca_path) == (True, 10.0, 5, 60.0, None, None)
    assert settings.verify is True


@pytest.mark.parametrize("option,value,text", [
    ("request_timeout", 0, "request_timeout must be greater than 0"),
    ("request_timeout", "soon", "request_timeout must be a number"),
    ("max_retries", -1, "max_retries must be at least 0"),
    ("retry_max_time", -5, "retry_max_time must be at least 0"),
    ("validate_certs", "maybe", "validate_certs must be a boolean"),
    ("api_prefix", "https://other/api/v2/", "api_prefix must be a path"),
])
def test_bad_values_name_the_option(option, value, text):
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": "h", option: value})
    assert str(info.value).startswith(text)


def test_ca_path(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = settings_from_options({"controller_host": "h", "ca_path": str(bundle)})
    assert settings.verify == str(bundle)
    off = settings_from_options({"controller_host": "h", "ca_path": str(bundle), "validate_certs": False})
    assert off.verify is False
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": "h", "ca_path": str(tmp_path / "missing.pem")})
    assert str(info.value).startswith("ca_path ")


def test_repr_hides_secrets():
    settings = settings_from_options({"controller_host": "h", "controller_username": "u",
                                      "controller_password": "pw-xyz"})
    token = settings_from_options({"controller_host": "h", "controller_oauthtoken": "tok-xyz"})
    assert "pw-xyz" not in repr(settings)
    assert "tok-xyz" not in repr(token)


def test_module_params_end_to_end(clean_env):
    clean_env.setenv("AAP_HOSTNAME", "aap.example.com")
    clean_env.setenv("TOWER_OAUTH_TOKEN", "tower-token")
    params, _result = validated({"validate_certs": False})
    settings = settings_from_options(params)
    assert settings.host == "https://aap.example.com"
    assert settings.token == "tower-token"
    assert settings.verify is False


def test_json_serialisable_spec():
    # The spec is data (plus the fallback callable): nothing module-specific sneaks in.
    for name, spec in CONNECTION_ARGUMENT_SPEC.items():
        plain = dict((k, v) for k, v in spec.items() if k != "fallback")
        json.dumps(plain)
        if "fallback" in spec:
            assert spec["fallback"][1] == ENV_FALLBACKS[name]


@pytest.mark.parametrize("token", ["abc def", "abc\ndef", "abc\x00def", {"token": "ab\tcd"}])
def test_token_with_inner_whitespace_is_refused_without_echo(token):
    with pytest.raises(ConfigurationError) as info:
        settings_from_options({"controller_host": "h", "controller_oauthtoken": token})
    assert str(info.value) == "controller_oauthtoken contains whitespace or control characters"
