"""gitops.awx.inventory through AnsibleModule and the HTTP seam."""
import pytest

BASE = {"name": "prod", "organization": "Default"}


@pytest.fixture
def world(awx):
    awx.org = awx.add("organizations", name="Default")
    return awx


@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    ("create", False, dict(BASE, variables={"a": 1}), 3, ["POST"]),
    ("no-op", True, dict(BASE, variables="a: 1", kind=""), 1, []),
    ("update", True, dict(BASE, description="new"), 2, ["PATCH"]),
    ("delete", True, dict(BASE, state="absent"), 2, ["DELETE"]),
])
def test_request_budget(world, run_module, case, existing, params, expected_requests,
                        expected_writes):
    if existing:
        world.add("inventories", name="prod", organization=world.org, variables='{"a": 1}')
    result = run_module("inventory", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in world.writes] == expected_writes
    assert world.count() == expected_requests, world.calls


def test_four_step_pattern(world, run_module):
    params = dict(BASE, description="Production", variables={"ntp": "ntp.example.com"},
                  prevent_instance_group_fallback=False)
    check = run_module("inventory", params, check_mode=True, diff=True)
    assert check["changed"] and check["id"] is None and world.writes == []
    apply = run_module("inventory", params, diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    assert apply["diff"]["after"]["organization"] == world.org
    assert apply["inventory"]["variables"] == '{"ntp": "ntp.example.com"}'
    assert not run_module("inventory", params, check_mode=True)["changed"]
    again = run_module("inventory", params, diff=True)
    assert not again["changed"] and again["diff"]["before"] == again["diff"]["after"]


def test_delete_answered_202_and_pending_deletion_counts_as_gone(world, run_module):
    world.add("inventories", name="prod", organization=world.org)
    assert run_module("inventory", dict(BASE, state="absent"))["changed"]
    world.add("inventories", name="prod", organization=world.org, pending_deletion=True)
    result = run_module("inventory", dict(BASE, state="absent"))
    assert not result["changed"] and len(world.writes) == 1


def test_same_name_in_another_organization_is_another_inventory(world, run_module):
    other = world.add("organizations", name="Other")
    world.add("inventories", name="prod", organization=other)
    result = run_module("inventory", BASE)
    assert result["changed"] and result["inventory"]["organization"] == world.org


def test_unknown_organization(world, run_module):
    result = run_module("inventory", dict(BASE, organization="Nope"))
    assert result["failed"] and result["msg"] == "organization 'Nope' not found"
    assert world.writes == []


def test_invalid_variables_and_bad_kind(world, run_module):
    result = run_module("inventory", dict(BASE, variables="[1, 2]"))
    assert result["failed"] and result["msg"] == "variables: invalid YAML: expected a mapping, got list"
    bad_kind = run_module("inventory", dict(BASE, kind="dynamic"))
    assert bad_kind["failed"] and "kind" in bad_kind["msg"]
    assert world.calls == []


def test_smart_inventory_host_filter(world, run_module):
    result = run_module("inventory", dict(BASE, kind="smart", host_filter="name__startswith=web"),
                        diff=True)
    assert result["inventory"]["kind"] == "smart"
    assert result["diff"]["after"]["host_filter"] == "name__startswith=web"


def test_instance_groups(world, run_module):
    ig = world.add("instance_groups", name="default")
    world.add("inventories", name="prod", organization=world.org)
    result = run_module("inventory", dict(BASE, instance_groups=["default"]), diff=True)
    assert result["changed"] and result["diff"]["before"]["instance_groups"] == []
    inv = world.find("inventories", name="prod")[0]["id"]
    assert world.member_ids("inventories", inv, "instance_groups") == [ig]
    cleared = run_module("inventory", dict(BASE, instance_groups=[]))
    assert cleared["changed"] and world.member_ids("inventories", inv, "instance_groups") == []
