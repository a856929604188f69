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


def test_instance_groups_are_an_ordered_preference_list(world, run_module):
    ids = dict((n, world.add("instance_groups", name=n)) for n in ("a", "b"))
    inv = world.add("inventories", name="prod", organization=world.org)
    world.associate("inventories", inv, "instance_groups", [ids["a"], ids["b"]])
    params = dict(BASE, instance_groups=["b", "a"])
    check = run_module("inventory", params, check_mode=True, diff=True)
    assert check["changed"] and world.writes == []
    assert check["diff"]["before"]["instance_groups"] == ["a", "b"]
    assert check["diff"]["after"]["instance_groups"] == ["b", "a"]
    world.calls.clear()
    apply = run_module("inventory", params, diff=True)
    assert apply["diff"] == check["diff"]
    # find, one lookup, current members, then -a +a (b stays first)
    assert world.count() == 5 and len(world.writes) == 2
    assert world.member_ids("inventories", inv, "instance_groups") == [ids["b"], ids["a"]]


@pytest.fixture
def constructed(world):
    other = world.add("organizations", name="Other")
    world.inputs = {
        "web": world.add("inventories", name="web", organization=world.org),
        "db": world.add("inventories", name="db", organization=world.org),
        "other web": world.add("inventories", name="web", organization=other),
    }
    return world


def test_input_inventories_create_in_order_and_reorder(constructed, run_module):
    world = constructed
    params = dict(BASE, name="all", kind="constructed", input_inventories=["web", "db"])
    check = run_module("inventory", params, check_mode=True, diff=True)
    assert check["changed"] and world.writes == []
    assert check["diff"]["after"]["input_inventories"] == ["web", "db"]
    world.calls.clear()
    apply = run_module("inventory", params, diff=True)
    assert apply["diff"] == check["diff"]
    # find, organization, one lookup for both names, POST inventory, two associations
    assert world.count() == 6, world.calls
    # "web" is in Default and Other: the constructed inventory's organization settles it.
    assert world.member_ids("inventories", apply["id"], "input_inventories") == [
        world.inputs["web"], world.inputs["db"]]
    assert not run_module("inventory", params)["changed"]
    reordered = run_module("inventory", dict(params, input_inventories=["db", "web"]), diff=True)
    assert reordered["changed"] and reordered["changed_fields"] == ["input_inventories"]
    assert reordered["diff"]["before"]["input_inventories"] == ["web", "db"]
    assert world.member_ids("inventories", apply["id"], "input_inventories") == [
        world.inputs["db"], world.inputs["web"]]


def test_input_inventories_need_a_constructed_kind(constructed, run_module):
    result = run_module("inventory", dict(BASE, kind="smart", input_inventories=["web"]))
    assert result["failed"] and result["msg"] == (
        "input_inventories: only a constructed inventory (kind=constructed) has input inventories")
    assert constructed.calls == []


def test_input_inventory_ambiguous_outside_its_organization(constructed, run_module):
    world = constructed
    third = world.add("organizations", name="Third")
    world.add("inventories", name="web", organization=third)
    result = run_module("inventory", {"name": "all", "organization": "Other", "kind": "constructed",
                                      "input_inventories": ["web++Default"]})
    assert not result["failed"], result["msg"]
    assert world.member_ids("inventories", result["id"], "input_inventories") == [
        world.inputs["web"]]
    world.add("organizations", name="Fourth")
    writes = len(world.writes)
    ambiguous = run_module("inventory", {"name": "all2", "organization": "Fourth",
                                         "kind": "constructed", "input_inventories": ["web"]})
    assert ambiguous["failed"] and len(world.writes) == writes
    assert ambiguous["msg"].startswith("input inventory 'web' is ambiguous: 3 matches: ")
    result = run_module("inventory", {"name": "all3", "organization": world.org,
                                      "kind": "constructed", "input_inventories": ["nope"]})
    assert result["failed"] and result["msg"] == "input inventory not found: 'nope'"


@pytest.fixture
def template(world):
    world.ig = world.add("instance_groups", name="default")
    world.ig2 = world.add("instance_groups", name="fast")
    world.source = world.add("inventories", name="template", organization=world.org,
                             variables="a: 1", description="the template")
    world.associate("inventories", world.source, "instance_groups", [world.ig])
    return world


def test_copy_from_when_missing_four_steps(template, run_module):
    world = template
    params = dict(BASE, name="staging", copy_from="template", description="staging")
    check = run_module("inventory", params, check_mode=True, diff=True)
    assert check["changed"] and check["id"] is None and world.writes == []
    assert check["diff"] == {"before": {}, "after": {"name": "staging", "organization": world.org,
                                                     "description": "staging"}}
    assert check["inventory"]["variables"] == "a: 1"
    world.calls.clear()
    apply = run_module("inventory", params, diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    # find, organization, copy source, POST copy, PATCH description
    assert [(c[0], c[1]) for c in world.calls] == [
        ("GET", "/api/v2/inventories/"), ("GET", "/api/v2/organizations/"),
        ("GET", "/api/v2/inventories/"),
        ("POST", "/api/v2/inventories/%d/copy/" % world.source),
        ("PATCH", "/api/v2/inventories/%d/" % apply["id"])]
    assert world.calls[3][3] == {"name": "staging"}
    assert world.calls[4][3] == {"description": "staging"}
    copy = world.get("inventories", apply["id"])
    assert copy["variables"] == "a: 1" and copy["description"] == "staging"
    assert world.member_ids("inventories", apply["id"], "instance_groups") == [world.ig]
    # Exists now: copy_from is ignored, no copy lookup, one request.
    world.calls.clear()
    assert not run_module("inventory", params, check_mode=True)["changed"]
    assert not run_module("inventory", params)["changed"]
    assert world.count() == 2 and world.writes == []


def test_copy_from_another_organization_with_instance_groups(template, run_module):
    world = template
    target = world.add("organizations", name="Target")
    params = {"name": "staging", "organization": "Target", "copy_from": world.source,
              "instance_groups": ["fast", "default"]}
    check = run_module("inventory", params, check_mode=True, diff=True)
    assert check["changed"] and world.writes == []
    assert check["inventory"]["organization"] == target
    apply = run_module("inventory", params, diff=True)
    assert apply["diff"] == check["diff"]
    assert apply["diff"]["after"] == {"name": "staging", "organization": target,
                                      "instance_groups": ["fast", "default"]}
    assert apply["inventory"]["organization"] == target
    # The copy kept [default]; [fast, default] means -default +fast +default.
    assert [c[0] for c in world.writes] == ["POST", "PATCH", "POST", "POST", "POST"]
    assert world.member_ids("inventories", apply["id"], "instance_groups") == [world.ig2, world.ig]
    assert not run_module("inventory", params)["changed"]


def test_copy_from_unknown_or_ambiguous_source(template, run_module):
    world = template
    unknown = run_module("inventory", dict(BASE, name="staging", copy_from="nope"))
    assert unknown["failed"] and unknown["msg"] == "inventory to copy 'nope' not found"
    other = world.add("organizations", name="Other")
    world.add("inventories", name="template", organization=other)
    ambiguous = run_module("inventory", dict(BASE, name="staging", copy_from="template"))
    assert ambiguous["failed"]
    assert ambiguous["msg"].startswith("inventory to copy 'template' is ambiguous: 2 matches")
    by_named_url = run_module("inventory", dict(BASE, name="staging", copy_from="template++Default"))
    assert by_named_url["changed"] and not by_named_url["failed"]
    assert [c[0] for c in world.writes] == ["POST"]


def test_copy_whose_answer_was_lost_is_found_not_repeated(template, run_module):
    world = template
    world.fail_next("POST", "/api/v2/inventories/%d/copy/" % world.source, 502, after_applying=True)
    result = run_module("inventory", dict(BASE, name="staging", copy_from="template"))
    # The copy was made behind the 502: found by name in the source's organization.
    assert result["changed"] and not result.get("failed")
    assert result["inventory"]["name"] == "staging"
    assert [c[0] for c in world.writes] == ["POST"]
    assert len(world.find("inventories", name="staging")) == 1
    again = run_module("inventory", dict(BASE, name="staging", copy_from="template"))
    assert not again["changed"] and [c[0] for c in world.writes] == ["POST"]


def test_copy_refused_before_applying_is_sent_again(template, run_module):
    world = template
    world.fail_next("POST", "/api/v2/inventories/%d/copy/" % world.source, 503)
    result = run_module("inventory", dict(BASE, name="staging", copy_from="template"))
    assert result["changed"] and not result.get("failed")
    assert [c[0] for c in world.writes] == ["POST", "POST"]
    assert len(world.find("inventories", name="staging")) == 1
