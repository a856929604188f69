"""gitops.awx.label through AnsibleModule and the HTTP seam."""
import pytest


@pytest.fixture
def org(awx):
    return awx.add("organizations", name="Default")


@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    # find by name within the organization, resolve the organization, POST
    ("create", False, {"name": "prod", "organization": "Default"}, 3, ["POST"]),
    ("no-op", True, {"name": "prod", "organization": "Default"}, 1, []),
    ("rename", True, {"name": "prod", "new_name": "production", "organization": "Default"}, 2, ["PATCH"]),
])
def test_request_budget(awx, run_module, org, case, existing, params, expected_requests, expected_writes):
    if existing:
        awx.add("labels", name="prod", organization=org)
    result = run_module("label", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in awx.writes] == expected_writes
    assert awx.count() == expected_requests, awx.calls


def test_same_name_in_two_organizations(awx, run_module, org):
    other = awx.add("organizations", name="Other")
    awx.add("labels", name="prod", organization=other)
    result = run_module("label", {"name": "prod", "organization": "Default"}, diff=True)
    assert result["changed"] and result["diff"]["after"] == {"name": "prod", "organization": org}
    assert len(awx.find("labels", name="prod")) == 2


def test_absent_fails_clearly_for_an_existing_label_and_sends_nothing(awx, run_module, org):
    awx.add("labels", name="prod", organization=org)
    for check_mode in (True, False):
        result = run_module("label", {"name": "prod", "organization": "Default", "state": "absent"},
                            check_mode=check_mode)
        assert result["failed"] and awx.writes == []
        assert result["msg"].startswith("label 'prod' cannot be deleted: AWX has no delete for labels")


def test_absent_for_a_missing_label_is_no_change(awx, run_module, org):
    result = run_module("label", {"name": "gone", "organization": "Default", "state": "absent"})
    assert not result["failed"] and not result["changed"] and result["label"] is None
