"""The connection doc fragment twins agree with CONNECTION_ARGUMENT_SPEC, and the
plugin twin resolves environment variables with the same precedence as modules
when Ansible's own configuration manager reads it."""
import pytest
import yaml
from ansible.config.manager import ConfigManager

from ansible_collections.gitops.awx.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.gitops.awx.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    ENV_FALLBACKS,
    settings_from_options,
)
from ansible_collections.gitops.awx.plugins.plugin_utils._connection import (
    connection_options_from_plugin,
    settings_from_plugin,
)

MODULE_OPTIONS = yaml.safe_load(ModuleDocFragment.MODULES)["options"]
PLUGIN_OPTIONS = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
ALL_ENV = sorted(set(name for names in ENV_FALLBACKS.values() for name in names))


@pytest.mark.parametrize("options", [MODULE_OPTIONS, PLUGIN_OPTIONS], ids=["MODULES", "PLUGINS"])
def test_twins_document_exactly_the_argument_spec(options):
    assert sorted(options) == sorted(CONNECTION_ARGUMENT_SPEC)
    for name, spec in CONNECTION_ARGUMENT_SPEC.items():
        doc = options[name]
        assert doc["type"] == spec["type"], name
        assert doc.get("aliases", []) == spec.get("aliases", []), name
        assert doc.get("default") == spec.get("default"), name
        assert doc["description"], name


def test_module_twin_names_every_env_variable_in_precedence_order():
    for name, env_names in ENV_FALLBACKS.items():
        text = " ".join(MODULE_OPTIONS[name]["description"])
        positions = [text.index("C(%s)" % env) for env in env_names]
        assert positions == sorted(positions), name


def test_plugin_twin_env_lists_are_reversed_fallbacks():
    # Ansible's config manager lets the LAST set entry win, env_fallback the FIRST.
    for name in CONNECTION_ARGUMENT_SPEC:
        env = [entry["name"] for entry in PLUGIN_OPTIONS[name].get("env", [])]
        assert env == list(reversed(ENV_FALLBACKS.get(name, []))), name
        assert PLUGIN_OPTIONS[name]["vars"], name


@pytest.fixture
def config(monkeypatch):
    for name in ALL_ENV:
        monkeypatch.delenv(name, raising=False)
    manager = ConfigManager()
    manager.initialize_plugin_configuration_definitions("lookup", "gitops_test", PLUGIN_OPTIONS)
    return manager, monkeypatch


@pytest.mark.parametrize("option,set_vars,expected", [
    ("controller_host", {"TOWER_HOST": "t", "AAP_HOSTNAME": "a", "CONTROLLER_HOST": "c"}, "c"),
    ("controller_host", {"TOWER_HOST": "t", "AAP_HOSTNAME": "a"}, "a"),
    ("controller_host", {"TOWER_HOSTNAME": "t"}, "t"),
    ("controller_oauthtoken", {"TOWER_OAUTH_TOKEN": "t", "AAP_TOKEN": "a"}, "a"),
    ("controller_oauthtoken", {"CONTROLLER_TOKEN": "ct", "CONTROLLER_OAUTH_TOKEN": "c"}, "c"),
    ("controller_password", {"TOWER_PASSWORD": "t", "CONTROLLER_PASSWORD": "c"}, "c"),
    ("validate_certs", {"CONTROLLER_VERIFY_SSL": "false", "TOWER_VERIFY_SSL": "true"}, False),
    ("request_timeout", {"AAP_REQUEST_TIMEOUT": "4", "TOWER_REQUEST_TIMEOUT": "9"}, 4.0),
])
def test_config_manager_precedence_matches_modules(config, option, set_vars, expected):
    manager, monkeypatch = config
    for name, value in set_vars.items():
        monkeypatch.setenv(name, value)
    value = manager.get_config_value(option, plugin_type="lookup", plugin_name="gitops_test")
    assert value == expected


def test_vars_beat_env(config):
    manager, monkeypatch = config
    monkeypatch.setenv("CONTROLLER_HOST", "env.example.com")
    value = manager.get_config_value("controller_host", plugin_type="lookup", plugin_name="gitops_test",
                                     variables={"controller_host": "var.example.com"})
    assert value == "var.example.com"


class FakePlugin:
    """Stands for a configured lookup/inventory plugin: only get_option matters."""

    def __init__(self, values, declared=None):
        self.values = values
        self.declared = set(declared if declared is not None else CONNECTION_ARGUMENT_SPEC)
        self.asked = []

    def get_option(self, name):
        self.asked.append(name)
        if name not in self.declared:
            raise KeyError("Requested entry (plugin_type: lookup plugin: x setting: %s ) was not defined" % name)
        return self.values.get(name)


def test_settings_from_plugin_reads_only_get_option(monkeypatch):
    monkeypatch.setenv("CONTROLLER_HOST", "must-not-be-read.example.com")
    plugin = FakePlugin({"controller_host": "awx.example.com", "controller_oauthtoken": {"token": "t"},
                         "validate_certs": False, "request_timeout": 3.0})
    settings = settings_from_plugin(plugin)
    assert settings.host == "https://awx.example.com"
    assert settings.token == "t"
    assert settings.verify is False
    assert settings.request_timeout == 3.0
    assert sorted(plugin.asked) == sorted(CONNECTION_ARGUMENT_SPEC)


def test_undeclared_plugin_option_reads_as_default():
    plugin = FakePlugin({"controller_host": "h"}, declared=["controller_host", "controller_oauthtoken"])
    options = connection_options_from_plugin(plugin)
    assert options["api_prefix"] is None
    assert settings_from_options(options).max_retries == 5
