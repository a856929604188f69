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
    ("no-op", ["a", "b"], ["a", "b"], 3, 0),
    ("add one", ["a"], ["a", "b"], 4, 1),
    ("replace all", ["a", "b"], ["c"], 6, 3),
    # instance groups are a preference list: order counts
    ("swap", ["a", "b"], ["b", "a"], 5, 2),
    ("move last to first", ["a", "b", "c"], ["c", "a", "b"], 7, 4),
    ("drop the middle", ["a", "b", "c"], ["a", "c"], 4, 1),
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
    assert awx.member_ids("organizations", org, "instance_groups") == [ids[p] for p in params]


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


def test_instance_groups_reorder_diff_and_check_mode(awx, run_module):
    ids = dict((n, awx.add("instance_groups", name=n)) for n in ("a", "b", "c"))
    org = awx.add("organizations", name="Platform")
    awx.associate("organizations", org, "instance_groups", [ids["a"], ids["b"], ids["c"]])
    params = {"name": "Platform", "instance_groups": ["c", "a", "b"]}
    check = run_module("organization", params, check_mode=True, diff=True)
    assert check["changed"] and awx.writes == []
    assert check["diff"] == {"before": {"name": "Platform", "instance_groups": ["a", "b", "c"]},
                             "after": {"name": "Platform", "instance_groups": ["c", "a", "b"]}}
    assert check["changed_fields"] == ["instance_groups"]
    apply = run_module("organization", params, diff=True)
    assert apply["diff"] == check["diff"]
    path = "/api/v2/organizations/%d/instance_groups/" % org
    assert [(c[1], c[3]) for c in awx.writes] == [
        (path, {"id": ids["a"], "disassociate": True}), (path, {"id": ids["b"], "disassociate": True}),
        (path, {"id": ids["a"]}), (path, {"id": ids["b"]})]
    assert awx.member_ids("organizations", org, "instance_groups") == [ids["c"], ids["a"], ids["b"]]
    assert not run_module("organization", params)["changed"]


NT_KINDS = ("started", "success", "error", "approvals")


def _notification_world(awx):
    org = awx.add("organizations", name="Platform")
    other = awx.add("organizations", name="Other")
    nts = {
        "slack": awx.add("notification_templates", name="slack", organization=org),
        "mail": awx.add("notification_templates", name="mail", organization=org),
        "other slack": awx.add("notification_templates", name="slack", organization=other),
        "pager": awx.add("notification_templates", name="pager", organization=other),
    }
    return org, other, nts


def test_notification_templates_four_lists_cost_one_lookup(awx, run_module):
    org, _other, nts = _notification_world(awx)
    awx.associate("organizations", org, "notification_templates_error", [nts["mail"]])
    params = {"name": "Platform",
              "notification_templates_started": ["slack"],
              "notification_templates_success": [],
              "notification_templates_error": ["slack", "pager"],
              "notification_templates_approvals": [nts["mail"]]}
    check = run_module("organization", params, check_mode=True, diff=True)
    assert check["changed"] and awx.writes == []
    assert check["diff"]["before"] == {
        "name": "Platform", "notification_templates_started": [],
        "notification_templates_success": [], "notification_templates_error": ["mail"],
        "notification_templates_approvals": []}
    assert check["diff"]["after"] == {
        "name": "Platform", "notification_templates_started": ["slack"],
        "notification_templates_success": [], "notification_templates_error": ["pager", "slack"],
        "notification_templates_approvals": ["mail"]}
    assert check["changed_fields"] == ["notification_templates_approvals",
                                       "notification_templates_error",
                                       "notification_templates_started"]
    awx.calls.clear()
    apply = run_module("organization", params, diff=True)
    assert apply["diff"] == check["diff"]
    lookups = [c for c in awx.calls if c[1] == "/api/v2/notification_templates/"]
    # One name__in request for the names of all four lists, one id__in for the id.
    assert sorted(sorted(k for k in c[2] if k != "page_size") for c in lookups) == [
        ["id__in"], ["name__in"]]
    name_lookup = [c for c in lookups if "name__in" in c[2]][0]
    assert name_lookup[2]["name__in"] == "pager,slack"
    # find + 2 lookups + 4 member lists + writes: error -mail +slack +pager, started +slack,
    # approvals +mail
    assert awx.count() == 1 + 2 + 4 + 5, awx.calls
    assert awx.member_ids("organizations", org, "notification_templates_started") == [nts["slack"]]
    assert sorted(awx.member_ids("organizations", org, "notification_templates_error")) == sorted(
        [nts["slack"], nts["pager"]])
    assert awx.member_ids("organizations", org, "notification_templates_approvals") == [nts["mail"]]
    awx.calls.clear()
    again = run_module("organization", params)
    assert not again["changed"] and awx.count() == 1 + 2 + 4 and awx.writes == []


def test_notification_template_name_in_several_organizations(awx, run_module):
    org, other, nts = _notification_world(awx)
    # "slack" exists in Platform and Other: Platform's is meant.
    result = run_module("organization", {"name": "Platform",
                                         "notification_templates_success": ["slack"]})
    assert result["changed"]
    assert awx.member_ids("organizations", org, "notification_templates_success") == [nts["slack"]]
    # For Other, its own "slack" is meant.
    run_module("organization", {"name": "Other", "notification_templates_success": ["slack"]})
    assert awx.member_ids("organizations", other, "notification_templates_success") == [
        nts["other slack"]]
    # A third organization has no "slack" of its own: ambiguous, nothing written.
    awx.add("organizations", name="Third")
    writes = len(awx.writes)
    third = run_module("organization", {"name": "Third", "notification_templates_success": ["slack"]})
    assert third["failed"] and len(awx.writes) == writes
    assert third["msg"].startswith("notification template 'slack' is ambiguous: 2 matches: ")
    assert "organization 'Platform' id %d" % org in third["msg"]


def test_notification_templates_on_create_and_unknown_names(awx, run_module):
    _org, _other, nts = _notification_world(awx)
    params = {"name": "New", "notification_templates_error": ["pager"]}
    check = run_module("organization", params, check_mode=True, diff=True)
    assert check["changed"] and check["id"] is None and awx.writes == []
    assert check["diff"] == {"before": {}, "after": {"name": "New",
                                                     "notification_templates_error": ["pager"]}}
    apply = run_module("organization", params, diff=True)
    assert apply["diff"] == check["diff"]
    assert awx.member_ids("organizations", apply["id"], "notification_templates_error") == [nts["pager"]]
    writes = len(awx.writes)
    unknown = run_module("organization", {"name": "New", "notification_templates_started": ["nope", "x"]})
    assert unknown["failed"] and unknown["msg"] == "notification template not found: 'nope', 'x'"
    assert len(awx.writes) == writes


def test_lists_with_other_filters_are_looked_up_apart(awx, run_module):
    # Galaxy credentials carry a credential kind filter: never merged with another list's lookup.
    galaxy = awx.add("credential_types", name="Galaxy", kind="galaxy")
    awx.add("credentials", name="hub", credential_type=galaxy)
    awx.add("instance_groups", name="default")
    org = awx.add("organizations", name="Platform")
    awx.add("notification_templates", name="hook", organization=org)
    result = run_module("organization", {
        "name": "Platform", "instance_groups": ["default"], "galaxy_credentials": ["hub"],
        "notification_templates_started": ["hook"], "notification_templates_error": ["hook"]})
    assert not result["failed"], result.get("msg")
    lookups = [(c[1], c[2]) for c in awx.calls if c[0] == "GET" and "__in" in str(c[2])]
    assert sorted(path for path, _query in lookups) == [
        "/api/v2/credentials/", "/api/v2/instance_groups/", "/api/v2/notification_templates/"]
    credentials = [query for path, query in lookups if path == "/api/v2/credentials/"][0]
    assert credentials["credential_type__kind"] == "galaxy"
