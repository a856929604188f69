"""_secret_inputs.plan_inputs: which secrets go out, and the fields that compare and show them."""
import pytest

from ansible_collections.gitops.awx.plugins.module_utils import _fingerprint as fp
from ansible_collections.gitops.awx.plugins.module_utils._secret_inputs import (
    MarkedText,
    SecretInputs,
    known_secret_keys,
    plan_inputs,
)

SECRET = {"password"}
DECLARED = {"username": "u", "password": "p"}


def _fake_fingerprint(secrets):
    return "fake-%s" % "-".join("%s=%s" % kv for kv in sorted(secrets.items()))


def _current(password_fp=None, inputs=None, text=""):
    encoded = fp.fingerprint({"password": password_fp}, iterations=10000) if password_fp else None
    return {"inputs": inputs if inputs is not None else {"username": "u", "password": "$encrypted$"},
            "description": fp.join_marked(text, encoded)}


def _plan(current, declared=None, user_text=None, **kwargs):
    declared = dict(DECLARED) if declared is None else declared
    return plan_inputs(declared, SECRET, current, user_text, make_fingerprint=_fake_fingerprint, **kwargs)


def test_create_sends_everything_and_writes_the_marker():
    planned, marked = _plan(None)
    assert planned.payload() == {"username": "u", "password": "p"}
    assert marked.stored() == "[gitops.awx secrets: fake-password=p]"


@pytest.mark.parametrize("stored, update_secrets, keep, sent, marker", [
    ("p", True, True, set(), "kept"),          # rerun: nothing to send
    ("old", True, True, {"password"}, "new"),  # rotation
    (None, True, True, {"password"}, "new"),   # no marker yet
    ("old", False, True, set(), "kept"),       # update_secrets false: never a held secret
    ("p", True, False, {"password"}, None),    # no fingerprint: every run, marker removed
])
def test_decisions(stored, update_secrets, keep, sent, marker):
    current = _current(stored)
    planned, marked = _plan(current, update_secrets=update_secrets, keep_fingerprint=keep)
    assert set(planned.send) == sent
    stored_marker = fp.split_marked(current["description"])[1]
    if marker == "kept":
        assert marked is None or marked.encoded == stored_marker
    elif marker == "new":
        assert marked.encoded == "fake-password=p"
    else:
        assert marked.encoded is None
    assert planned.matches(current["inputs"]) is (not sent)


def test_a_secret_awx_lost_is_sent_even_without_update_secrets():
    current = _current("p", inputs={"username": "u"})
    planned, _marked = _plan(current, update_secrets=False)
    assert planned.send == {"password"}
    assert planned.payload() == {"username": "u", "password": "p"}


def test_plain_change_sends_the_secret_back_encrypted():
    current = _current("p", inputs={"username": "old", "password": "$encrypted$"})
    planned, _marked = _plan(current)
    assert not planned.matches(current["inputs"])
    payload = planned.payload()
    assert payload == {"username": "u", "password": "$encrypted$"}
    assert payload.as_answered() == {"username": "u", "password": "$encrypted$"}


def test_prediction_never_holds_a_secret():
    planned, _marked = _plan(None)
    assert planned.payload().as_answered() == {"username": "u", "password": "$encrypted$"}


def test_description_keeps_the_marker():
    current = _current("p", text="old text")
    _planned, marked = _plan(current, user_text="new text")
    assert marked.stored() == fp.join_marked("new text", fp.split_marked(current["description"])[1])


def test_known_secret_keys_only_when_awx_tells():
    assert known_secret_keys(DECLARED, {"username": "u", "password": "$encrypted$"}) == {"password"}
    assert known_secret_keys(DECLARED, {"username": "x", "password": "$encrypted$"}) is None
    assert known_secret_keys(DECLARED, {"username": "u"}) is None


def test_fields_show_masks_and_the_text_without_marker():
    inputs, text = SecretInputs("inputs"), MarkedText("description")
    obj = {"inputs": {"username": "u", "password": "$encrypted$"},
           "description": fp.join_marked("mine", "pbkdf2-sha256$10000$AAAA$AAAA")}
    assert inputs.view(obj) == {"username": "u", "password": "********"}
    assert inputs.view(obj, sent={"inputs": {"password": "p"}})["password"] == "******** (new value)"
    assert inputs.view(obj, sent={"inputs": {"password": "$encrypted$"}})["password"] == "********"
    assert text.view(obj) == "mine"
