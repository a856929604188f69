"""gitops.awx.organization through AnsibleModule and the HTTP seam."""
import pytest

from tests.unit.modules.conftest import warning_messages


@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    ("create", False, {"name": "Platform", "max_hosts": 0}, 2, ["POST"]),
    ("no-op", True, {"name": "Platform", "description": ""}, 1, []),
    ("update", True, {"name": "Platform", "max_hosts": 10}, 2, ["PATCH"]),
    ("delete", True, {"name": "Platform", "state": "absent"}, 2, ["DELETE"]),
])
def test_request_budget(awx, run_module, case, existing, params, expected_requests,
                        expected_writes):
    if existing:
        awx.add("organizations", name="Platform")
    result = run_module("organization", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in awx.writes] == expected_writes
    assert awx.count() == expected_requests, awx.calls


@pytest.mark.parametrize("case, members, params, expected_requests, expected_writes", [
    # find, resolve names (one request for the whole list), current members, one POST per change
    ("no-op", ["a", "b"], ["b", "a"], 3, 0),
    ("add one", ["a"], ["a", "b"], 4, 1),
    ("replace all", ["a", "b"], ["c"], 6, 3),
])
def test_instance_group_request_budget(awx, run_module, case, members, params, expected_requests,
                                       expected_writes):
    ids = dict((n, awx.add("instance_groups", name=n)) for n in ("a", "b", "c"))
    org = awx.add("organizations", name="Platform")
    awx.associate("organizations", org, "instance_groups", [ids[m] for m in members])
    result = run_module("organization", {"name": "Platform", "instance_groups": params})
    assert result["changed"] is bool(expected_writes)
    assert len(awx.writes) == expected_writes
    assert awx.count() == expected_requests, awx.calls
    assert sorted(awx.member_ids("organizations", org, "instance_groups")) == sorted(
        ids[p] for p in params)


def test_four_step_pattern_with_associations(awx, run_module):
    awx.add("instance_groups", name="default")
    galaxy = awx.add("credential_types", name="Ansible Galaxy/Automation Hub API Token", kind="galaxy")
    awx.add("credentials", name="Ansible Galaxy", credential_type=galaxy)
    params = {"name": "Platform", "description": "team", "max_hosts": 5,
              "instance_groups": ["default"], "galaxy_credentials": ["Ansible Galaxy"]}
    check = run_module("organization", params, check_mode=True, diff=True)
    assert check["changed"] and check["id"] is None and awx.writes == []
    assert check["diff"]["after"] == {"name": "Platform", "description": "team", "max_hosts": 5,
                                      "instance_groups": ["default"],
                                      "galaxy_credentials": ["Ansible Galaxy"]}
    apply = run_module("organization", params, diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    assert [c[0] for c in awx.writes] == ["POST", "POST", "POST"]
    assert not run_module("organization", params, check_mode=True)["changed"]
    assert not run_module("organization", params)["changed"]


def test_galaxy_credentials_keep_order_and_only_galaxy_ones_match(awx, run_module):
    galaxy = awx.add("credential_types", name="Galaxy", kind="galaxy")
    machine = awx.add("credential_types", name="Machine", kind="ssh")
    first = awx.add("credentials", name="hub", credential_type=galaxy)
    second = awx.add("credentials", name="galaxy", credential_type=galaxy)
    awx.add("credentials", name="hub", credential_type=machine)   # same name, not a Galaxy one
    org = awx.add("organizations", name="Platform")
    awx.associate("organizations", org, "galaxy_credentials", [first, second])
    result = run_module("organization", {"name": "Platform", "galaxy_credentials": ["galaxy", "hub"]},
                        diff=True)
    assert result["changed"]
    assert result["diff"]["before"]["galaxy_credentials"] == ["hub", "galaxy"]
    assert result["diff"]["after"]["galaxy_credentials"] == ["galaxy", "hub"]
    assert awx.member_ids("organizations", org, "galaxy_credentials") == [second, first]


def test_default_environment_by_name(awx, run_module):
    ee = awx.add("execution_environments", name="AWX EE (latest)")
    result = run_module("organization", {"name": "Platform", "default_environment": "AWX EE (latest)"},
                        diff=True)
    assert result["organization"]["default_environment"] == ee
    assert result["diff"]["after"]["default_environment"] == ee
    unknown = run_module("organization", {"name": "Platform", "default_environment": "nope"})
    assert unknown["failed"] and unknown["msg"] == "execution environment 'nope' not found"


def test_custom_virtualenv_only_warns(awx, run_module):
    awx.add("organizations", name="Platform")
    result = run_module("organization", {"name": "Platform", "custom_virtualenv": "/opt/venv"})
    assert not result["changed"] and awx.writes == []
    assert warning_messages(result) == [
        "custom_virtualenv is ignored: AWX 18 and later have no custom virtual environments; "
        "use default_environment"]


def test_exists_and_rename(awx, run_module):
    awx.add("organizations", name="Platform", description="kept")
    assert not run_module("organization", {"name": "Platform", "description": "x",
                                           "state": "exists"})["changed"]
    renamed = run_module("organization", {"name": "Platform", "new_name": "Platform Eng"})
    assert renamed["changed"] and renamed["organization"]["name"] == "Platform Eng"
    assert not run_module("organization", {"name": "Platform", "new_name": "Platform Eng"})["changed"]


def test_duplicate_name_error_from_awx(awx, run_module):
    awx.add("organizations", name="A")
    awx.add("organizations", name="B")
    result = run_module("organization", {"name": "A", "new_name": "B"})
    assert result["failed"] and result["status"] == 400
    assert result["msg"].endswith("name: Organization with this Name already exists.")
    assert result["field_errors"] == {"name": ["Organization with this Name already exists."]}
