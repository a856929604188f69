"""gitops.awx.credential_input_source through AnsibleModule and the HTTP seam."""
import pytest

from tests.unit.modules.scenarios_credentials import _machine


@pytest.fixture
def creds(awx):
    org, machine = _machine(awx)
    vault_type = awx.add("credential_types", name="HashiCorp Vault Secret Lookup", kind="external")
    target = awx.add("credentials", name="deploy", organization=org, credential_type=machine)
    source = awx.add("credentials", name="vault", organization=org, credential_type=vault_type)
    return {"target": target, "source": source}


def _params(**extra):
    params = {"input_field_name": "password", "target_credential": "deploy", "source_credential": "vault",
              "metadata": {"secret_path": "/kv/deploy", "secret_key": "password"}}
    params.update(extra)
    return params


@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    # find, resolve the target (for the POST), resolve the source, POST
    ("create", False, _params(), 4, ["POST"]),
    # find (the target matched through target_credential__name); the source is the one AWX
    # names in summary_fields.source_credential, so it is not looked up again
    ("no-op", True, _params(), 1, []),
    ("update", True, _params(metadata={"secret_path": "/kv/other", "secret_key": "password"}), 2, ["PATCH"]),
    ("delete", True, {"input_field_name": "password", "target_credential": "deploy", "state": "absent"},
     2, ["DELETE"]),
])
def test_request_budget(awx, run_module, creds, case, existing, params, expected_requests, expected_writes):
    if existing:
        awx.add("credential_input_sources", input_field_name="password", target_credential=creds["target"],
                source_credential=creds["source"], metadata=dict(_params()["metadata"]))
    result = run_module("credential_input_source", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in awx.writes] == expected_writes
    assert awx.count() == expected_requests, awx.calls


def test_four_steps_and_metadata_as_data(awx, run_module, creds):
    check = run_module("credential_input_source", _params(), check_mode=True, diff=True)
    assert check["changed"] and awx.writes == []
    assert check["diff"]["after"] == {"input_field_name": "password", "target_credential": creds["target"],
                                      "source_credential": creds["source"],
                                      "metadata": {"secret_path": "/kv/deploy", "secret_key": "password"}}
    apply = run_module("credential_input_source", _params(), diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    assert awx.writes[-1][3]["target_credential"] == creds["target"]
    reordered = _params(metadata={"secret_key": "password", "secret_path": "/kv/deploy"})
    assert not run_module("credential_input_source", reordered, check_mode=True)["changed"]
    assert not run_module("credential_input_source", reordered)["changed"]


def test_unknown_target_is_one_clear_error(awx, run_module, creds):
    result = run_module("credential_input_source", _params(target_credential="nope"))
    assert result["failed"] and awx.writes == []
    assert result["msg"] == "target credential 'nope' not found"
