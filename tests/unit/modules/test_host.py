"""gitops.awx.host through AnsibleModule and the HTTP seam."""
import pytest


BASE = {"name": "web1", "inventory": "prod", "organization": "Default"}


@pytest.fixture
def world(awx):
    awx.org = awx.add("organizations", name="Default")
    awx.inv = awx.add("inventories", name="prod", organization=awx.org)
    return awx


# Requests per task with a token (the budget in the report); no API discovery: the
# first answer under /api/v2/ confirms the root.
@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    ("create", None, dict(BASE, enabled=True), 3, ["POST"]),
    ("no-op", {"variables": "a: 1"}, dict(BASE, variables={"a": 1}), 1, []),
    ("update", {"enabled": True}, dict(BASE, enabled=False), 2, ["PATCH"]),
    ("delete", {}, dict(BASE, state="absent"), 2, ["DELETE"]),
])
def test_request_budget(world, run_module, case, existing, params, expected_requests,
                        expected_writes):
    if existing is not None:
        world.add("hosts", name="web1", inventory=world.inv, **existing)
    result = run_module("host", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in world.writes] == expected_writes
    assert world.count() == expected_requests, world.calls


def test_noop_is_one_filtered_request(world, run_module):
    world.add("hosts", name="web1", inventory=world.inv)
    run_module("host", BASE)
    method, path, query, _body = world.calls[0]
    assert (method, path) == ("GET", "/api/v2/hosts/")
    assert query["name"] == "web1" and query["inventory__name"] == "prod"
    assert query["inventory__organization__name"] == "Default"


def test_four_step_pattern(world, run_module):
    params = dict(BASE, description="web", variables="http_port: 80\n")
    check = run_module("host", params, check_mode=True, diff=True)
    assert check["changed"] and check["id"] is None and world.writes == []
    expected_after = {"name": "web1", "inventory": world.inv, "description": "web",
                      "variables": {"http_port": 80}}
    assert check["diff"] == {"before": {}, "after": expected_after}
    apply = run_module("host", params, diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    assert apply["host"]["variables"] == "http_port: 80\n"
    assert isinstance(apply["id"], int) and apply["host"]["url"].endswith("/%d/" % apply["id"])
    again_check = run_module("host", params, check_mode=True, diff=True)
    again = run_module("host", params, diff=True)
    assert not again_check["changed"] and not again["changed"]
    assert again["id"] == apply["id"]


def test_update_diff_and_changed_fields(world, run_module):
    world.add("hosts", name="web1", inventory=world.inv, variables='{"a": 1}', enabled=True)
    result = run_module("host", dict(BASE, variables={"a": 2}, enabled=True), diff=True)
    assert result["changed_fields"] == ["variables"]
    assert result["diff"]["before"]["variables"] == {"a": 1}
    assert result["diff"]["after"]["variables"] == {"a": 2}
    [patch] = world.writes
    assert patch[3] == {"variables": '{"a": 2}'}


def test_no_diff_key_outside_diff_mode(world, run_module):
    result = run_module("host", BASE)
    assert "diff" not in result and result["changed_fields"]


def test_rename(world, run_module):
    world.add("hosts", name="web1", inventory=world.inv)
    result = run_module("host", dict(BASE, new_name="web01"), diff=True)
    assert result["changed"] and result["host"]["name"] == "web01"
    assert result["diff"]["before"]["name"] == "web1" and result["diff"]["after"]["name"] == "web01"
    assert not run_module("host", dict(BASE, new_name="web01"))["changed"]


def test_unknown_organization_is_one_clear_line(world, run_module):
    result = run_module("host", dict(BASE, organization="Nope"))
    assert result["failed"]
    assert result["msg"] == "inventory 'prod' not found in organization 'Nope'"
    assert world.writes == []


def test_invalid_variables_fail_before_any_request(world, run_module):
    result = run_module("host", dict(BASE, variables="a: [x"))
    assert result["failed"] and result["msg"].startswith("variables: invalid YAML: ")
    assert world.calls == []


def test_awx_validation_error_is_reported_with_field_errors(world, run_module):
    world.fail_next("POST", "/api/v2/hosts/", 400)
    result = run_module("host", BASE)
    assert result["failed"] and result["status"] == 400
    assert result["msg"].startswith("POST /api/v2/hosts/ returned 400")


def test_wrong_token_is_reported_without_the_token(world, run_module):
    world.fail_next("GET", "/api/v2/hosts/", 401)
    result = run_module("host", BASE)
    assert result["failed"] and result["status"] == 401
    assert "s3cr3t-token-value" not in result["_stdout"]


def test_inventory_by_named_url_and_id(world, run_module):
    assert run_module("host", {"name": "a", "inventory": "prod++Default"})["host"]["inventory"] == world.inv
    assert run_module("host", {"name": "b", "inventory": world.inv})["host"]["inventory"] == world.inv


def test_absent_with_missing_host_is_ok(world, run_module):
    result = run_module("host", dict(BASE, state="absent"), diff=True)
    assert not result["failed"] and not result["changed"]
    assert result["host"] is None and result["id"] is None
    assert result["diff"] == {"before": {}, "after": {}}


def test_check_mode_delete(world, run_module):
    host = world.add("hosts", name="web1", inventory=world.inv)
    result = run_module("host", dict(BASE, state="absent"), check_mode=True, diff=True)
    assert result["changed"] and result["diff"]["after"] == {}
    assert result["diff"]["before"]["name"] == "web1"
    assert world.get("hosts", host) is not None


def test_bad_reference_types_fail_before_any_request(world, run_module):
    result = run_module("host", dict(BASE, organization=["Default"]))
    assert result["failed"]
    assert result["msg"] == "organization: expected a name, a named URL or an id, got list"
    assert result["error_type"] == "ConfigurationError"
    assert world.calls == []
