"""The spec: argument_spec derivation, normalisation of each field kind."""
import pytest

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    ConfigurationError,
    ResourceError,
)
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    CopyFrom,
    Field,
    Hooks,
    Ignored,
    Reference,
    ReferenceList,
    ResourceSpec,
    Secret,
    Variables,
    WriteOnly,
    parse_variables,
)


def make_spec(**kwargs):
    fields = kwargs.pop("fields", None) or [
        Field("name", required=True),
        Reference("inventory", endpoint="inventories/", scope=("organization",), required=True),
        Field("organization", type="raw", api=False),
        Field("enabled", type="bool"),
        Field("ratio", type="float"),
        Variables("variables"),
    ]
    return ResourceSpec(resource="host", endpoint="hosts/", identity=("name", "inventory"),
                        fields=fields, **kwargs)


def test_argument_spec_is_derived_from_the_fields():
    spec = make_spec().argument_spec()
    assert spec["name"] == {"type": "str", "required": True}
    assert spec["inventory"] == {"type": "raw", "required": True}
    assert spec["enabled"] == {"type": "bool"}
    assert spec["variables"] == {"type": "raw"}
    assert spec["new_name"] == {"type": "str"}
    assert spec["state"] == {"type": "str", "choices": ["present", "absent", "exists"],
                             "default": "present"}
    # No secret field: no update_secrets option.
    assert "update_secrets" not in spec
    # Plain options never get a default: None means "not managed".
    assert all("default" not in v for k, v in spec.items() if k not in ("state",))


def test_argument_spec_of_secrets_lists_and_choices():
    spec = ResourceSpec(resource="credential", endpoint="credentials/", fields=[
        Field("name", required=True),
        Field("kind", choices=["", "smart"]),
        Secret("password"),
        ReferenceList("labels", endpoint="labels/"),
        WriteOnly("token", no_log=True),
    ], rename=False, states=("present", "absent"))
    argument_spec = spec.argument_spec()
    assert argument_spec["password"] == {"type": "str", "no_log": True}
    assert argument_spec["token"]["no_log"] is True
    assert argument_spec["kind"]["choices"] == ["", "smart"]
    assert argument_spec["labels"] == {"type": "list", "elements": "raw"}
    # no_log=False: the name sounds like a secret, the option is not one (ansible-test validate-modules)
    assert argument_spec["update_secrets"] == {"type": "bool", "default": True, "no_log": False}
    assert argument_spec["state"]["choices"] == ["present", "absent"]
    assert "new_name" not in argument_spec


def test_spec_requires_explicit_resource_and_valid_identity_and_scope():
    with pytest.raises(ValueError):
        ResourceSpec(resource="", endpoint="hosts/", fields=[Field("name")])
    with pytest.raises(ValueError):
        ResourceSpec(resource="host", endpoint="hosts/", identity=("name", "inventory"),
                     fields=[Field("name")])
    with pytest.raises(ValueError):
        ResourceSpec(resource="host", endpoint="hosts/", fields=[
            Field("name"), Reference("inventory", endpoint="inventories/", scope=("organization",))])


def test_desired_keeps_only_given_options_and_keeps_falsy_values():
    desired = make_spec().desired({"name": "web1", "inventory": "prod", "enabled": False,
                                   "ratio": 0, "variables": None, "organization": None})
    assert desired == {"name": "web1", "inventory": "prod", "enabled": False, "ratio": 0.0}
    assert isinstance(desired["ratio"], float)


def test_desired_runs_the_validate_hook():
    def refuse(params):
        raise ConfigurationError("host_filter needs kind=smart")

    spec = make_spec(hooks=Hooks(validate=refuse))
    with pytest.raises(ConfigurationError, match="host_filter needs kind=smart"):
        spec.desired({"name": "x", "inventory": 1})


@pytest.mark.parametrize("value, expected", [
    ({"a": 1}, {"a": 1}),
    ('{"a": 1, "b": ["x"]}', {"a": 1, "b": ["x"]}),
    ("a: 1\nb: [x]", {"a": 1, "b": ["x"]}),
    ("", {}),
    (None, {}),
    ("---\n", {}),
])
def test_parse_variables_accepts_dicts_json_and_yaml(value, expected):
    assert parse_variables(value) == expected


@pytest.mark.parametrize("value, message", [
    ("a: [unclosed", r"^variables: invalid YAML: .*flow sequence"),
    ("[1, 2]", r"^variables: invalid YAML: expected a mapping, got list"),
    ("just a string", r"^variables: invalid YAML: expected a mapping, got str"),
    (["a"], r"^variables: expected a dict or a YAML/JSON string, got list"),
])
def test_parse_variables_refuses_what_awx_would_refuse(value, message):
    with pytest.raises(ResourceError, match=message) as info:
        parse_variables(value)
    assert "\n" not in str(info.value)


def test_variables_compare_as_data_and_are_sent_as_strings():
    field = Variables("variables")
    assert field.normalise("a: 1") == field.current({"variables": '{"a": 1}'})
    assert field.current({"variables": ""}) == {}
    assert field.payload({"b": 2, "a": 1}) == '{"a": 1, "b": 2}'
    assert field.payload("a: 1") == "a: 1"
    # What AWX holds but cannot be parsed differs from any mapping instead of failing.
    assert field.current({"variables": "a: [x"}) == "a: [x"


@pytest.mark.parametrize("value", [True, 1.5, {"id": 1}, ["a"]])
def test_reference_values_must_be_names_or_ids(value):
    with pytest.raises(ConfigurationError, match="^inventory: expected a name"):
        Reference("inventory", endpoint="inventories/").normalise(value)


def test_reference_rejects_empty_and_compares_ids_loosely():
    ref = Reference("inventory", endpoint="inventories/")
    with pytest.raises(ConfigurationError, match="must not be empty"):
        ref.normalise("  ")
    assert ref.equal(3, "3")
    assert not ref.equal(3, 4)


def test_reference_list_drops_duplicates_only_when_unordered():
    assert ReferenceList("instance_groups", endpoint="instance_groups/").normalise(
        ["b", "a", "b"]) == ["b", "a"]
    assert ReferenceList("galaxy_credentials", endpoint="credentials/", ordered=True).normalise(
        ["b", "a"]) == ["b", "a"]
    with pytest.raises(ConfigurationError, match="must not contain empty entries"):
        ReferenceList("x", endpoint="x/").normalise([None])


def test_plain_field_treats_empty_string_as_awx_null():
    field = Field("host_filter")
    assert field.equal("", None)
    assert not field.equal("a", None)
    assert not Field("count", type="int").equal(0, None)


def test_ignored_and_write_only_kinds():
    ignored = Ignored("custom_virtualenv", "no longer used")
    assert not ignored.api and not ignored.compared
    assert WriteOnly("token").api and not WriteOnly("token").compared
    assert Secret("password").display("x") == "********"
    assert Secret("password").display("") == ""


def test_reference_list_keeps_the_first_of_duplicates_ordered_or_not():
    ordered = ReferenceList("instance_groups", endpoint="instance_groups/", ordered=True)
    assert ordered.normalise(["b", "a", "b", 3, 3]) == ["b", "a", 3]
    unordered = ReferenceList("labels", endpoint="labels/")
    assert unordered.normalise(["b", "a", "b"]) == ["b", "a"]
    with pytest.raises(ConfigurationError):
        ordered.normalise(["a", None])


def test_copy_from_is_an_option_not_an_api_field():
    spec = ResourceSpec(resource="inventory", endpoint="inventories/", fields=[
        Field("name", required=True), CopyFrom("copy_from")])
    assert spec.copy_field is spec.by_name["copy_from"]
    assert spec.argument_spec()["copy_from"] == {"type": "raw"}
    assert spec.desired({"name": "a", "copy_from": 4}) == {"name": "a", "copy_from": 4}
    with pytest.raises(ConfigurationError):
        spec.desired({"name": "a", "copy_from": ""})
    assert make_spec().copy_field is None
