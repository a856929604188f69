"""gitops.awx.credential_type through AnsibleModule and the HTTP seam."""
import pytest

INPUTS = {"fields": [{"id": "token", "label": "Token", "type": "string", "secret": True}],
          "required": ["token"]}
INJECTORS = {"env": {"TOKEN": "{{ token }}"}}


def _params(**extra):
    params = {"name": "Example API", "kind": "cloud", "inputs": INPUTS, "injectors": INJECTORS}
    params.update(extra)
    return params


@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    ("create", False, _params(), 2, ["POST"]),
    ("no-op", True, _params(), 1, []),
    ("update", True, _params(injectors={"env": {"API_TOKEN": "{{ token }}"}}), 2, ["PATCH"]),
    # the managed check reads first, then the engine deletes
    ("delete", True, _params(state="absent"), 3, ["DELETE"]),
])
def test_request_budget(awx, run_module, case, existing, params, expected_requests, expected_writes):
    if existing:
        awx.add("credential_types", name="Example API", kind="cloud", inputs=INPUTS, injectors=INJECTORS)
    result = run_module("credential_type", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in awx.writes] == expected_writes
    assert awx.count() == expected_requests, awx.calls


def test_inputs_and_injectors_are_compared_as_data(awx, run_module):
    awx.add("credential_types", name="Example API", kind="cloud", inputs=INPUTS, injectors=INJECTORS)
    # the same data with keys in another order, as YAML text would give it
    reordered = {"required": ["token"], "fields": [{"type": "string", "secret": True, "label": "Token",
                                                    "id": "token"}]}
    assert not run_module("credential_type", _params(inputs=reordered))["changed"]
    changed = run_module("credential_type", _params(injectors={"env": {"X": "{{ token }}"}}), diff=True)
    assert changed["changed_fields"] == ["injectors"]
    assert changed["diff"]["before"]["injectors"] == INJECTORS


def test_four_steps(awx, run_module):
    check = run_module("credential_type", _params(), check_mode=True, diff=True)
    assert check["changed"] and awx.writes == [] and check["diff"]["before"] == {}
    apply = run_module("credential_type", _params(), diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    assert not run_module("credential_type", _params(), check_mode=True)["changed"]
    assert not run_module("credential_type", _params())["changed"]


def test_a_managed_type_is_never_modified(awx, run_module):
    awx.add("credential_types", name="Machine", kind="ssh", managed=True, description="")
    for check_mode in (True, False):
        result = run_module("credential_type", {"name": "Machine", "description": "mine"},
                            check_mode=check_mode)
        assert result["failed"] and awx.writes == []
        assert result["msg"] == ("credential type 'Machine' is managed by AWX and cannot be modified "
                                 "(description); create a custom type instead")
    deleted = run_module("credential_type", {"name": "Machine", "state": "absent"})
    assert deleted["failed"] and "cannot be deleted" in deleted["msg"] and awx.writes == []
    assert not run_module("credential_type", {"name": "Machine", "state": "exists"})["changed"]
    assert not run_module("credential_type", {"name": "Machine", "description": ""})["failed"]


def test_absent_when_missing_is_no_change(awx, run_module):
    result = run_module("credential_type", {"name": "nope", "state": "absent"})
    assert not result["changed"] and awx.count() == 1
