"""gitops.awx.execution_environment through AnsibleModule and the HTTP seam."""
import pytest


@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    ("create", False, {"name": "EE", "image": "quay.io/x/ee:1", "pull": "missing"}, 2, ["POST"]),
    ("no-op", True, {"name": "EE", "image": "quay.io/x/ee:1"}, 1, []),
    ("update", True, {"name": "EE", "image": "quay.io/x/ee:2"}, 2, ["PATCH"]),
    ("delete", True, {"name": "EE", "state": "absent"}, 2, ["DELETE"]),
])
def test_request_budget(awx, run_module, case, existing, params, expected_requests, expected_writes):
    if existing:
        awx.add("execution_environments", name="EE", image="quay.io/x/ee:1", pull="")
    result = run_module("execution_environment", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in awx.writes] == expected_writes
    assert awx.count() == expected_requests, awx.calls


def test_organization_and_registry_credential_by_name(awx, run_module):
    org = awx.add("organizations", name="Default")
    registry = awx.add("credential_types", name="Container Registry", kind="registry")
    machine = awx.add("credential_types", name="Machine", kind="ssh")
    awx.add("credentials", name="quay", credential_type=machine, organization=org)  # not a registry one
    quay = awx.add("credentials", name="quay", credential_type=registry, organization=org)
    params = {"name": "EE", "image": "quay.io/x/ee:1", "organization": "Default", "credential": "quay"}
    result = run_module("execution_environment", params, diff=True)
    assert result["changed"]
    assert result["diff"]["after"] == {"name": "EE", "image": "quay.io/x/ee:1", "organization": org,
                                       "credential": quay}
    assert awx.writes[-1][3] == {"name": "EE", "image": "quay.io/x/ee:1", "organization": org,
                                 "credential": quay}
    assert not run_module("execution_environment", params)["changed"]


def test_pull_is_not_sent_unless_given(awx, run_module):
    run_module("execution_environment", {"name": "EE", "image": "quay.io/x/ee:1"})
    assert "pull" not in awx.writes[-1][3]


def test_unknown_credential_is_one_clear_error(awx, run_module):
    result = run_module("execution_environment", {"name": "EE", "image": "i", "credential": "nope"})
    assert result["failed"] and awx.writes == []
    assert result["msg"] == "registry credential 'nope' not found"
