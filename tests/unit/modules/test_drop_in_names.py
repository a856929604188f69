"""The drop-in name rule, for every resource module: digits that match no name are an id."""


def test_host_deleted_by_its_id_as_name(awx, run_module):
    # awx.awx's own tests delete a host with name: "{{ result.id }}".
    org = awx.add("organizations", name="Default")
    inv = awx.add("inventories", name="prod", organization=org)
    host = awx.add("hosts", name="web1", inventory=inv)
    result = run_module("host", {"name": str(host), "inventory": "prod", "state": "absent"})
    assert result["changed"] and awx.get("hosts", host) is None
    # find by name (nothing), then the one GET by id, then the DELETE
    assert [c[0] for c in awx.calls] == ["GET", "GET", "DELETE"], awx.calls


def test_an_id_in_another_inventory_is_not_this_host(awx, run_module):
    org = awx.add("organizations", name="Default")
    awx.add("inventories", name="prod", organization=org)
    other = awx.add("inventories", name="other", organization=org)
    host = awx.add("hosts", name="web1", inventory=other)
    result = run_module("host", {"name": str(host), "inventory": "prod", "state": "absent"})
    assert not result["changed"] and awx.get("hosts", host) is not None


def test_object_found_by_id_keeps_its_name(awx, run_module):
    org = awx.add("organizations", name="Platform", description="old")
    result = run_module("organization", {"name": str(org), "description": "new"}, diff=True)
    assert result["changed"] and result["changed_fields"] == ["description"]
    assert [c[3] for c in awx.writes] == [{"description": "new"}]
    assert awx.get("organizations", org)["name"] == "Platform"


def test_digits_matching_nothing_create_an_object_of_that_name(awx, run_module):
    result = run_module("organization", {"name": "4242"})
    assert result["changed"] and result["organization"]["name"] == "4242"


def test_digits_that_are_a_name_stay_a_name(awx, run_module):
    first = awx.add("organizations", name="Platform")
    named = awx.add("organizations", name=str(first))
    result = run_module("organization", {"name": str(first), "state": "absent"})
    assert result["id"] == named and awx.get("organizations", first) is not None
