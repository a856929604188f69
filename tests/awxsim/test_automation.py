"""Credentials, input sources, labels and job template rules as recorded from AWX (08, 14)."""
import json
import time

import pytest

SURVEY = {"name": "s", "description": "d", "spec": [
    {"question_name": "Who?", "variable": "who", "type": "text", "required": True,
     "min": 1, "max": 5, "default": ""},
    {"question_name": "Count", "variable": "count", "type": "integer", "required": False,
     "min": 1, "max": 5, "default": 3},
    {"question_name": "Tags", "variable": "tags", "type": "multiselect", "required": False,
     "choices": "a\nb\nc", "default": "a\nb"},
    {"question_name": "Secret", "variable": "secret", "type": "password", "required": False,
     "default": "hunter2-canary"},
]}


@pytest.fixture(scope="module")
def setup(api):
    org = api.create("organizations/", name="a-org")
    inv = api.create("inventories/", name="a-inv", organization=org["id"],
                     variables="ansible_connection: local")
    api.create("hosts/", name="localhost", inventory=inv["id"])
    project = api.create("projects/", name="a-proj", organization=org["id"], scm_type="",
                         local_path="rec-demo")
    jt = api.create("job_templates/", name="a-jt", project=project["id"], inventory=inv["id"],
                    playbook="hello.yml")
    return {"org": org, "inv": inv, "project": project, "jt": jt}


def test_credential_needs_an_owner(api, setup):
    response = api.post("credentials/", json={"name": "a-orphan", "credential_type": 1,
                                              "inputs": {"username": "u"}})
    assert response.status_code == 400
    assert response.json() == {"detail": ["Missing 'user', 'team', or 'organization'."]}
    owned = api.create("credentials/", name="a-mine", credential_type=1, user=1,
                       inputs={"username": "u"})
    assert owned["organization"] is None


def test_one_credential_per_slot(api, setup):
    jt, org = setup["jt"], setup["org"]["id"]
    machine = api.create("credentials/", name="a-m1", credential_type=1, organization=org)
    other = api.create("credentials/", name="a-m2", credential_type=1, organization=org)
    vault = api.create("credentials/", name="a-v", credential_type=3, organization=org,
                       inputs={"vault_id": "x", "vault_password": "p"})
    path = "job_templates/%d/credentials/" % jt["id"]
    assert api.post(path, json={"id": machine["id"]}).status_code == 204
    assert api.post(path, json={"id": vault["id"]}).status_code == 204
    for again in (other, machine):
        response = api.post(path, json={"id": again["id"]})
        assert response.status_code == 400
        assert response.json() == {"error": "Cannot assign multiple Machine credentials."}
    api.patch("job_templates/%d/" % jt["id"], json={"ask_credential_on_launch": True})
    response = api.post("job_templates/%d/launch/" % jt["id"], json={"credentials": [machine["id"]]})
    assert response.status_code == 400
    assert response.json() == {"credentials": [
        "Removing Vault (id=x) credential at launch time without replacement is not supported. "
        "Provided list lacked credential(s): a-v-%d." % vault["id"]]}
    for cred in (machine, vault):
        assert api.post(path, json={"id": cred["id"], "disassociate": True}).status_code == 204
    api.patch("job_templates/%d/" % jt["id"], json={"ask_credential_on_launch": False})


def test_label_by_name_and_deleted_when_unused(api, setup):
    jt, org = setup["jt"], setup["org"]["id"]
    path = "job_templates/%d/labels/" % jt["id"]
    created = api.post(path, json={"name": "a-label", "organization": org})
    assert created.status_code == 201
    again = api.post(path, json={"name": "a-label", "organization": org})
    assert again.status_code == 204
    assert api.get(path).json()["count"] == 1
    label_id = created.json()["id"]
    assert api.post(path, json={"id": label_id, "disassociate": True}).status_code == 204
    assert api.get("labels/%d/" % label_id).status_code == 404
    response = api.post(path, json={"id": label_id})
    assert response.json() == {"detail": "Label matching query does not exist."}
    # A label still used elsewhere stays.
    other = api.create("job_templates/", name="a-jt-2", project=setup["project"]["id"],
                       inventory=setup["inv"]["id"], playbook="hello.yml")
    shared = api.post(path, json={"name": "a-shared", "organization": org}).json()
    api.post("job_templates/%d/labels/" % other["id"], json={"id": shared["id"]})
    api.post(path, json={"id": shared["id"], "disassociate": True})
    assert api.get("labels/%d/" % shared["id"]).status_code == 200


@pytest.mark.parametrize("spec, message", [
    ({"a": 1}, "Expected list of items for field 'spec', received OrderedDict type."),
    ([], "'spec' doesn't contain any items."),
    (["x"], "Survey question 0 is not a json object."),
    ([{"question_name": "q", "required": False, "type": "text"}],
     "'variable' missing from survey question 0"),
    ([{"question_name": "q", "required": False, "variable": "v"}],
     "'type' missing from survey question 0"),
    ([{"question_name": "q", "required": "yes", "type": "text", "variable": "v"}],
     "'required' in survey question 0 expected to be boolean."),
    ([{"question_name": "q", "required": False, "type": "date", "variable": "v"}],
     "'date' in survey question 0 is not one of 'text, textarea, password, multiplechoice, "
     "multiselect, integer, float' allowed question types."),
    ([{"question_name": "q", "required": False, "type": "text", "variable": "v"},
      {"question_name": "q", "required": False, "type": "text", "variable": "v"}],
     "'variable' 'v' duplicated in survey question 1."),
    ([{"question_name": "q", "required": False, "type": "multiplechoice", "variable": "v"}],
     "Survey question 0 of type multiplechoice must specify choices."),
    ([{"question_name": "q", "required": False, "type": "multiplechoice", "variable": "v",
       "choices": ["a", "b"], "default": "z"}],
     "Default choice must be answered from the choices listed."),
    ([{"question_name": "q", "required": False, "type": "integer", "variable": "v",
       "default": "abc"}], "Default value abc in survey question 0 expected to be integer."),
])
def test_survey_spec_validation(api, setup, spec, message):
    path = "job_templates/%d/survey_spec/" % setup["jt"]["id"]
    response = api.post(path, json={"name": "x", "description": "", "spec": spec})
    assert response.status_code == 400
    assert response.json() == {"error": message}
    response = api.post(path, json={"description": "", "spec": spec})
    assert response.json() == {"error": "Field 'name' is missing from survey spec."}


def test_survey_password_default_and_answers(api, setup, sim):
    jt = setup["jt"]
    path = "job_templates/%d/survey_spec/" % jt["id"]
    assert api.post(path, json=SURVEY).status_code == 200
    shown = api.get(path).json()
    assert shown["spec"][3]["default"] == "$encrypted$"
    assert "hunter2-canary" not in json.dumps(shown)
    # Sending the answer back keeps the stored default.
    assert api.post(path, json=shown).status_code == 200
    api.patch("job_templates/%d/" % jt["id"], json={"survey_enabled": True})
    launch = "job_templates/%d/launch/" % jt["id"]
    assert api.get(launch).json()["variables_needed_to_start"] == ["who"]
    cases = [
        ({"count": 2}, ["'who' value missing"]),
        ({"who": "x", "count": 9}, ["'count' value 9 is too large (must be no more than 5)."]),
        ({"who": "x", "count": "2"}, ["Value 2 for 'count' expected to be an integer."]),
        ({"who": "xxxxxxx"}, ["'who' value xxxxxxx is too large (must be no more than 5)."]),
        ({"who": "x", "tags": ["z"]}, ["Value z for 'tags' expected to be one of ['a', 'b', 'c']."]),
    ]
    for extra, errors in cases:
        response = api.post(launch, json={"extra_vars": extra})
        assert response.status_code == 400
        assert response.json() == {"variables_needed_to_start": errors}
    response = api.post(launch, json={"extra_vars": {"who": "me", "other": 1}})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["ignored_fields"] == {"extra_vars": {"other": 1}}
    # Defaults that pass validation first, in survey order, then the answers; the password
    # answer is shown as $encrypted$ (the multiselect default "a\nb" is no list: left out).
    assert body["extra_vars"] == json.dumps({"count": 3, "secret": "$encrypted$", "who": "me"})
    deadline = time.monotonic() + 60
    job = body
    while job["status"] not in ("successful", "failed", "error", "canceled") and time.monotonic() < deadline:
        time.sleep(0.3)
        job = api.get("jobs/%d/" % body["id"]).json()
    assert job["status"] == "successful"
    assert "hunter2-canary" not in json.dumps(job)
    api.patch("job_templates/%d/" % jt["id"], json={"survey_enabled": False})


def test_copy_and_webhook_key(api, setup):
    jt = setup["jt"]
    api.post("job_templates/%d/labels/" % jt["id"],
             json={"name": "a-copy-label", "organization": setup["org"]["id"]})
    api.post("job_templates/%d/instance_groups/" % jt["id"], json={"id": 2})
    api.post("job_templates/%d/instance_groups/" % jt["id"], json={"id": 1})
    assert api.get("job_templates/%d/copy/" % jt["id"]).json() == {"can_copy": True}
    copy = api.post("job_templates/%d/copy/" % jt["id"], json={"name": "a-jt-copy"})
    assert copy.status_code == 201
    copy = copy.json()
    for sub in ("labels", "instance_groups"):
        assert [x["id"] for x in api.get("job_templates/%d/%s/" % (copy["id"], sub)).json()["results"]] == \
            [x["id"] for x in api.get("job_templates/%d/%s/" % (jt["id"], sub)).json()["results"]]
    assert api.get("job_templates/%d/survey_spec/" % copy["id"]).json() == \
        api.get("job_templates/%d/survey_spec/" % jt["id"]).json()

    key = "job_templates/%d/webhook_key/" % jt["id"]
    assert api.get(key).json() == {"webhook_key": ""}
    detail = api.patch("job_templates/%d/" % jt["id"], json={"webhook_service": "github"}).json()
    assert detail["related"]["webhook_receiver"] == "/api/v2/job_templates/%d/github/" % jt["id"]
    first = api.post(key, json={})
    assert first.status_code == 201 and len(first.json()["webhook_key"]) == 50
    second = api.post(key, json={}).json()["webhook_key"]
    assert second != first.json()["webhook_key"] and api.get(key).json() == {"webhook_key": second}
    response = api.patch("job_templates/%d/" % jt["id"], json={"webhook_service": "svn"})
    assert response.json() == {"webhook_service": ['"svn" is not a valid choice.']}


def test_credential_input_sources(api, setup):
    org = setup["org"]["id"]
    vault_type = api.get("credential_types/?name=HashiCorp Vault Secret Lookup").json()["results"][0]
    source = api.create("credentials/", name="a-hashi", credential_type=vault_type["id"],
                        organization=org, inputs={"url": "https://vault.example", "token": "t"})
    target = api.create("credentials/", name="a-target", credential_type=1, organization=org,
                        inputs={"username": "u"})
    source_fields = [f["id"] for f in vault_type["inputs"]["metadata"]]
    assert "secret_path" in source_fields
    created = api.post("credentials/%d/input_sources/" % target["id"], json={
        "source_credential": source["id"], "input_field_name": "password",
        "metadata": {"secret_path": "/kv/x", "secret_key": "password"}})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["type"] == "credential_input_source" and body["target_credential"] == target["id"]
    assert body["metadata"] == {"secret_path": "/kv/x", "secret_key": "password"}
    dup = api.post("credential_input_sources/", json={
        "target_credential": target["id"], "source_credential": source["id"],
        "input_field_name": "password", "metadata": {"secret_path": "/kv/x", "secret_key": "k"}})
    assert dup.json() == {"__all__": [
        "Credential input source with this Target credential and Input field name already exists."]}
    bad = api.post("credential_input_sources/", json={
        "target_credential": target["id"], "source_credential": target["id"],
        "input_field_name": "username", "metadata": {}})
    assert bad.json() == {"source_credential": ["Source must be an external credential"]}
    bad = api.post("credential_input_sources/", json={
        "target_credential": target["id"], "source_credential": source["id"],
        "input_field_name": "nope", "metadata": {"secret_path": "/x", "secret_key": "k"}})
    assert bad.status_code == 400 and "input_field_name" in bad.json()
    patched = api.patch("credential_input_sources/%d/" % body["id"],
                        json={"metadata": {"secret_path": "/kv/y", "secret_key": "password"}})
    assert patched.json()["metadata"]["secret_path"] == "/kv/y"
    listed = api.get("credentials/%d/input_sources/" % target["id"]).json()
    assert [x["id"] for x in listed["results"]] == [body["id"]]
    assert api.delete("credential_input_sources/%d/" % body["id"]).status_code == 204
