"""gitops.awx.credential through AnsibleModule and the HTTP seam: secrets, fingerprint, budget."""
import json

import pytest

from ansible_collections.gitops.awx.plugins.module_utils import _fingerprint

CANARY = "canary-7f3a-Pa55w0rd"
MACHINE_FIELDS = [
    {"id": "username", "label": "Username", "type": "string"},
    {"id": "password", "label": "Password", "type": "string", "secret": True},
    {"id": "ssh_key_data", "label": "SSH Private Key", "type": "string", "secret": True},
]


@pytest.fixture
def world(awx):
    org = awx.add("organizations", name="Default")
    machine = awx.add("credential_types", name="Machine", kind="ssh", namespace="ssh", managed=True,
                      inputs={"fields": MACHINE_FIELDS})
    return {"org": org, "machine": machine}


def _params(**extra):
    params = {"name": "deploy", "organization": "Default", "credential_type": "Machine",
              "inputs": {"username": "deploy", "password": CANARY}}
    params.update(extra)
    return params


def _stored(awx):
    (cred,) = awx.find("credentials", name="deploy")
    return cred


def _no_canary(result):
    assert CANARY not in json.dumps(result), result


def test_four_steps_and_rerun_is_no_change(awx, run_module, world):
    check = run_module("credential", _params(), check_mode=True, diff=True)
    assert check["changed"] and check["id"] is None and awx.writes == []
    assert check["diff"]["before"] == {}
    assert check["diff"]["after"]["inputs"] == {"username": "deploy", "password": "******** (new value)"}
    assert check["credential"]["inputs"]["password"] == "$encrypted$"
    _no_canary(check)
    apply = run_module("credential", _params(), diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"]
    _no_canary(apply)
    stored = _stored(awx)
    assert stored["inputs"] == {"username": "deploy", "password": CANARY}
    text, encoded = _fingerprint.split_marked(stored["description"])
    assert text == "" and _fingerprint.matches({"password": CANARY}, encoded)
    assert "user" not in stored and "team" not in stored
    before = awx.count()
    again = run_module("credential", _params(), check_mode=True, diff=True)
    assert not again["changed"] and awx.count() == before + 1
    assert again["diff"]["before"] == again["diff"]["after"]
    assert not run_module("credential", _params())["changed"]


@pytest.mark.parametrize("case, existing, params, expected_requests, expected_writes", [
    # find + type by name + type by id (which inputs are secret) + POST
    ("create", False, _params(), 5, ["POST"]),
    ("no-op", True, _params(), 1, []),
    ("rotate", True, _params(inputs={"username": "deploy", "password": "n3w"}), 2, ["PATCH"]),
    # a plain input changes: the type tells which inputs are secret (one GET)
    ("plain", True, _params(inputs={"username": "other", "password": CANARY}), 3, ["PATCH"]),
    ("delete", True, _params(state="absent"), 2, ["DELETE"]),
])
def test_request_budget(awx, run_module, world, case, existing, params, expected_requests,
                        expected_writes):
    if existing:
        assert run_module("credential", _params())["changed"]
        awx.calls[:] = []
    result = run_module("credential", params)
    assert not result["failed"], result.get("msg")
    assert result["changed"] is (case != "no-op")
    assert [c[0] for c in awx.writes] == expected_writes
    assert awx.count() == expected_requests, awx.calls


def test_rotation_sends_only_then(awx, run_module, world):
    run_module("credential", _params())
    rotated = run_module("credential", _params(inputs={"username": "deploy", "password": "n3w"}), diff=True)
    assert rotated["changed"] and rotated["changed_fields"] == ["inputs"]
    assert rotated["diff"]["before"]["inputs"]["password"] == "********"
    assert rotated["diff"]["after"]["inputs"]["password"] == "******** (new value)"
    assert _stored(awx)["inputs"]["password"] == "n3w"
    assert not run_module("credential", _params(inputs={"username": "deploy", "password": "n3w"}))["changed"]


def test_plain_change_keeps_the_secret_as_encrypted(awx, run_module, world):
    run_module("credential", _params())
    awx.calls[:] = []
    result = run_module("credential", _params(inputs={"username": "other", "password": CANARY}), diff=True)
    assert result["changed"] and result["diff"]["after"]["inputs"] == {"username": "other",
                                                                       "password": "********"}
    (patch,) = list(awx.writes)
    assert patch[3] == {"inputs": {"username": "other", "password": "$encrypted$"}}
    assert _stored(awx)["inputs"] == {"username": "other", "password": CANARY}


def test_update_secrets_false_never_sends_a_held_secret(awx, run_module, world):
    run_module("credential", _params())
    result = run_module("credential", _params(inputs={"username": "deploy", "password": "n3w"},
                                              update_secrets=False))
    assert not result["changed"] and awx.writes[-1][0] == "POST"
    assert _stored(awx)["inputs"]["password"] == CANARY


def test_update_secrets_false_still_sets_a_missing_secret(awx, run_module, world):
    run_module("credential", _params(inputs={"username": "deploy"}))
    result = run_module("credential", _params(update_secrets=False), diff=True)
    assert result["changed"]
    assert result["diff"]["after"]["inputs"]["password"] == "******** (new value)"
    assert _stored(awx)["inputs"]["password"] == CANARY


def test_without_fingerprint_secrets_go_out_every_run(awx, run_module, world):
    assert run_module("credential", _params(secret_fingerprint=False))["changed"]
    assert _stored(awx)["description"] == ""
    assert run_module("credential", _params(secret_fingerprint=False))["changed"]
    # back to a fingerprint: one more write, then quiet
    assert run_module("credential", _params())["changed"]
    assert not run_module("credential", _params())["changed"]


def test_description_is_compared_without_the_marker(awx, run_module, world):
    run_module("credential", _params(description="deploy user"))
    stored = _stored(awx)["description"]
    assert stored.startswith("deploy user [gitops.awx secrets: pbkdf2-sha256$")
    noop = run_module("credential", _params(description="deploy user"), diff=True)
    assert not noop["changed"] and noop["diff"]["before"]["description"] == "deploy user"
    changed = run_module("credential", _params(description="new text"), diff=True)
    assert changed["changed"] and changed["changed_fields"] == ["description"]
    assert changed["diff"]["after"]["description"] == "new text"
    text, encoded = _fingerprint.split_marked(_stored(awx)["description"])
    assert text == "new text" and _fingerprint.matches({"password": CANARY}, encoded)
    # a description change alone never sends the secret
    assert awx.writes[-1][3] == {"description": _stored(awx)["description"]}


def test_a_secret_removed_out_of_band_is_sent_again(awx, run_module, world):
    run_module("credential", _params())
    _stored(awx)["inputs"].pop("password")
    result = run_module("credential", _params())
    assert result["changed"] and _stored(awx)["inputs"]["password"] == CANARY


def test_an_input_left_out_is_removed(awx, run_module, world):
    run_module("credential", _params(inputs={"username": "deploy", "password": CANARY,
                                             "ssh_key_data": "KEY"}))
    result = run_module("credential", _params(), diff=True)
    assert result["changed"]
    assert result["diff"]["before"]["inputs"] == {"username": "deploy", "password": "********",
                                                  "ssh_key_data": "********"}
    assert _stored(awx)["inputs"] == {"username": "deploy", "password": CANARY}


def test_kind_is_the_old_form_of_credential_type(awx, run_module, world):
    params = _params(kind="ssh")
    del params["credential_type"]
    assert run_module("credential", params)["changed"]
    assert _stored(awx)["credential_type"] == world["machine"]
    assert not run_module("credential", params)["changed"]


def test_user_owned_credential_is_created_with_the_user(awx, run_module, world):
    user = awx.add("users", username="alice")
    params = _params(user="alice")
    del params["organization"]
    assert run_module("credential", params)["changed"]
    assert awx.writes[-1][3]["user"] == user
    assert not run_module("credential", params)["changed"]


def test_create_without_a_type_is_a_clear_error(awx, run_module, world):
    params = _params()
    del params["credential_type"]
    result = run_module("credential", params)
    assert result["failed"] and awx.writes == []
    assert result["msg"] == ("credential 'deploy' does not exist; credential_type (or kind) is needed "
                             "to create it")


def test_invocation_and_errors_never_show_inputs(awx, run_module, world):
    awx.fail_next("POST", "/api/v2/credentials/", 400)
    result = run_module("credential", _params())
    assert result["failed"]
    _no_canary(result)
    assert CANARY not in result["_stdout"]
    assert result["invocation"]["module_args"]["inputs"]["password"] != CANARY


def test_awx_messages_quoting_an_input_are_scrubbed(awx, run_module, world):
    body = {"inputs": {"password": ["%r is not of type 'string'" % CANARY]}}
    original = awx._create

    def refuse(collection, sent):
        if collection == "credentials":
            return awx._json(400, body)
        return original(collection, sent)

    awx._create = refuse
    result = run_module("credential", _params())
    assert result["failed"] and result["status"] == 400
    assert "is not of type 'string'" in result["msg"]
    assert CANARY not in result["_stdout"]


def test_copy_from_keeps_the_source_secrets_and_sends_only_what_differs(awx, run_module, world):
    run_module("credential", _params(description="source"))
    copy = _params(name="deploy-2", copy_from="deploy")
    check = run_module("credential", copy, check_mode=True, diff=True)
    assert check["changed"] and [c[0] for c in awx.writes] == ["POST"]  # only the first create
    assert check["diff"]["after"]["inputs"] == {"username": "deploy", "password": "********"}
    _no_canary(check)
    applied = run_module("credential", copy, diff=True)
    assert applied["changed"] and applied["diff"] == check["diff"]
    (made,) = awx.find("credentials", name="deploy-2")
    assert made["inputs"] == {"username": "deploy", "password": CANARY}
    # the copy's POST went to the copy endpoint; the same secrets needed no PATCH
    assert [c[1] for c in awx.writes][-1].endswith("/copy/")
    assert not run_module("credential", copy)["changed"]
