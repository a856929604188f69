"""gitops.awx.job_template through AnsibleModule and the HTTP seam."""
import pytest

SURVEY = {"name": "Deploy", "description": "what to deploy", "spec": [
    {"question_name": "Version?", "variable": "version", "type": "text", "required": True,
     "default": "1.0", "min": 1, "max": 20},
    {"question_name": "Token?", "variable": "token", "type": "password", "required": False,
     "default": "canary-pw-6f1e"},
    {"question_name": "Color?", "variable": "color", "type": "multiplechoice", "required": False,
     "choices": ["red", "green"], "default": "red"},
]}


@pytest.fixture
def world(awx):
    org = awx.add("organizations", name="Default")
    ids = {"org": org}
    ids["project"] = awx.add("projects", name="Demo Project", organization=org)
    ids["inventory"] = awx.add("inventories", name="Demo Inventory", organization=org)
    ids["machine"] = awx.add("credentials", name="machine", organization=org)
    ids["vault"] = awx.add("credentials", name="vault", organization=org)
    ids["deploy"] = awx.add("labels", name="deploy", organization=org)
    ids["prod"] = awx.add("labels", name="prod", organization=org)
    ids["ig_a"] = awx.add("instance_groups", name="a")
    ids["ig_b"] = awx.add("instance_groups", name="b")
    return ids


def _params(**extra):
    params = {"name": "Deploy", "organization": "Default", "project": "Demo Project",
              "inventory": "Demo Inventory", "playbook": "hello.yml",
              "credentials": ["machine", "vault"], "labels": ["deploy", "prod"],
              "extra_vars": {"release": "stable"}, "survey_enabled": True,
              "survey_spec": SURVEY}
    params.update(extra)
    return params


def test_four_steps(awx, run_module, world):
    check = run_module("job_template", _params(), check_mode=True, diff=True)
    assert check["changed"] and check["id"] is None and awx.writes == []
    after = check["diff"]["after"]
    assert after["credentials"] == ["machine", "vault"] and after["labels"] == ["deploy", "prod"]
    assert after["extra_vars"] == {"release": "stable"}
    assert after["survey_spec"]["spec"][1]["default"] == "********"
    apply = run_module("job_template", _params(), diff=True)
    assert apply["changed"] and apply["diff"] == check["diff"], apply.get("msg")
    jt = apply["id"]
    assert sorted(awx.member_ids("job_templates", jt, "credentials")) == sorted(
        [world["machine"], world["vault"]])
    assert awx.get("job_templates", jt)["_survey"] == SURVEY
    # POST JT, 2 credentials, 2 labels, survey
    assert [c[0] for c in awx.writes] == ["POST"] * 6
    awx.calls[:] = []
    again_check = run_module("job_template", _params(), check_mode=True, diff=True)
    assert not again_check["changed"], again_check["diff"]
    again = run_module("job_template", _params())
    assert not again["changed"] and awx.writes == []


def test_noop_request_budget(awx, run_module, world):
    run_module("job_template", _params())
    awx.calls[:] = []
    result = run_module("job_template", _params())
    assert not result["changed"]
    # find, project (AWX does not say the organization of a template's project), credentials
    # lookup, labels lookup, 2 member lists, survey; the inventory is known by its summary
    assert awx.count() == 7, [c[:2] for c in awx.calls]


def test_changed_survey_question_is_the_only_change(awx, run_module, world):
    run_module("job_template", _params())
    awx.calls[:] = []
    survey = {"name": SURVEY["name"], "description": SURVEY["description"],
              "spec": [dict(SURVEY["spec"][0], default="2.0")] + SURVEY["spec"][1:]}
    check = run_module("job_template", _params(survey_spec=survey), check_mode=True, diff=True)
    assert check["changed"] and awx.writes == []
    assert check["changed_fields"] == ["survey_spec"]
    before, after = check["diff"]["before"], check["diff"]["after"]
    assert [k for k in after if after[k] != before.get(k)] == ["survey_spec"]
    assert before["survey_spec"]["spec"][0]["default"] == "1.0"
    assert after["survey_spec"]["spec"][0]["default"] == "2.0"
    apply = run_module("job_template", _params(survey_spec=survey))
    assert apply["changed"]
    assert [(c[0], c[1]) for c in awx.writes] == [
        ("POST", "/api/v2/job_templates/%d/survey_spec/" % apply["id"])]


def test_password_default_never_shown(awx, run_module, world):
    result = run_module("job_template", _params(), diff=True)
    assert "canary-pw-6f1e" not in result["_stdout"]
    again = run_module("job_template", _params(), check_mode=True, diff=True)
    assert "canary-pw-6f1e" not in again["_stdout"]


@pytest.mark.parametrize("survey, message", [
    ({"name": "x", "description": "", "spec": {"a": 1}},
     "Expected list of items for field 'spec', received dict type."),
    ({"name": "x", "description": "", "spec": []}, "'spec' doesn't contain any items."),
    ({"description": "", "spec": [{"question_name": "q", "required": True, "type": "text",
                                   "variable": "a"}]},
     "Field 'name' is missing from survey spec."),
    ({"name": "x", "description": "", "spec": [{"question_name": "q", "required": False,
                                                "type": "text"}]},
     "'variable' missing from survey question 0"),
    ({"name": "x", "description": "", "spec": [{"question_name": "q", "required": False,
                                                "type": "date", "variable": "a"}]},
     "'date' in survey question 0 is not one of 'text, textarea, password, multiplechoice, "
     "multiselect, integer, float' allowed question types."),
    ({"name": "x", "description": "", "spec": [
        {"question_name": "q1", "required": False, "type": "text", "variable": "a"},
        {"question_name": "q2", "required": False, "type": "text", "variable": "a"}]},
     "'variable' 'a' duplicated in survey question 1."),
    ({"name": "x", "description": "", "spec": [
        {"question_name": "q", "required": False, "type": "multiplechoice", "variable": "a",
         "choices": ["a", "b"], "default": "z"}]},
     "Default choice must be answered from the choices listed."),
    ({"name": "x", "description": "", "spec": [
        {"question_name": "q", "required": False, "type": "multiplechoice", "variable": "a"}]},
     "Survey question 0 of type multiplechoice must specify choices."),
    ({"name": "x", "description": "", "spec": [
        {"question_name": "q", "required": False, "type": "integer", "variable": "a",
         "default": "abc"}]},
     "Default value abc in survey question 0 expected to be integer."),
    ({"name": "x", "description": "", "spec": ["just a string"]},
     "Survey question 0 is not a json object."),
    ({"name": "x", "description": "", "spec": [
        {"question_name": "q", "required": "yes", "type": "text", "variable": "a"}]},
     "'required' in survey question 0 expected to be boolean."),
])
def test_malformed_survey_fails_before_any_request(awx, run_module, world, survey, message):
    result = run_module("job_template", _params(survey_spec=survey))
    assert result["failed"]
    assert result["msg"] == "survey_spec: " + message
    assert awx.calls == []


def test_survey_removed_with_empty_dict(awx, run_module, world):
    run_module("job_template", _params())
    awx.calls[:] = []
    result = run_module("job_template", {"name": "Deploy", "organization": "Default",
                                         "survey_spec": {}}, diff=True)
    assert result["changed"] and result["changed_fields"] == ["survey_spec"]
    assert result["diff"]["after"]["survey_spec"] == {}
    assert [c[0] for c in awx.writes] == ["DELETE"]
    assert awx.get("job_templates", result["id"])["_survey"] == {}


def test_survey_read_only_when_given(awx, run_module, world):
    run_module("job_template", _params())
    awx.calls[:] = []
    run_module("job_template", {"name": "Deploy", "organization": "Default", "forks": 0})
    assert not any("survey_spec" in c[1] for c in awx.calls)


def test_legacy_credential_options_join_credentials(awx, run_module, world):
    result = run_module("job_template", _params(credentials=None, credential="machine",
                                                vault_credential="vault"))
    assert not result["failed"], result["msg"]
    assert sorted(awx.member_ids("job_templates", result["id"], "credentials")) == sorted(
        [world["machine"], world["vault"]])


def test_associations_change(awx, run_module, world):
    run_module("job_template", _params(instance_groups=["a", "b"]))
    awx.calls[:] = []
    result = run_module("job_template", _params(labels=["deploy"], credentials=["machine"],
                                                instance_groups=["b", "a"]), diff=True)
    assert result["changed"]
    assert sorted(result["changed_fields"]) == ["credentials", "instance_groups", "labels"]
    assert result["diff"]["after"]["instance_groups"] == ["b", "a"]
    assert awx.member_ids("job_templates", result["id"], "instance_groups") == [
        world["ig_b"], world["ig_a"]]


def test_extra_vars_as_text_or_data_are_the_same(awx, run_module, world):
    run_module("job_template", _params(extra_vars="release: stable\n"))
    awx.calls[:] = []
    assert not run_module("job_template", _params(extra_vars={"release": "stable"}))["changed"]


def test_unknown_label_is_created_by_its_association(awx, run_module, world):
    check = run_module("job_template", _params(labels=["deploy", "new"]), check_mode=True,
                       diff=True)
    assert check["diff"]["after"]["labels"] == ["deploy", "new"] and awx.writes == []
    result = run_module("job_template", _params(labels=["deploy", "new"]))
    assert not result["failed"], result["msg"]
    label_posts = [c[3] for c in awx.writes if c[1].endswith("/labels/")]
    assert {"name": "new", "organization": world["org"]} in label_posts
    new = awx.find("labels", name="new")[0]
    assert sorted(awx.member_ids("job_templates", result["id"], "labels")) == sorted(
        [world["deploy"], new["id"]])
    awx.calls[:] = []
    assert not run_module("job_template", _params(labels=["deploy", "new"]))["changed"]


def test_unknown_label_id_fails_naming_it(awx, run_module, world):
    result = run_module("job_template", _params(labels=["deploy", 9999]))
    assert result["failed"] and "9999" in result["msg"]
    assert awx.writes == []


def test_delete_by_id_as_name(awx, run_module, world):
    created = run_module("job_template", _params())
    result = run_module("job_template", {"name": str(created["id"]), "state": "absent"})
    assert result["changed"] and awx.get("job_templates", created["id"]) is None


def test_custom_virtualenv_warns(awx, run_module, world):
    result = run_module("job_template", _params(custom_virtualenv="/venv/x"))
    assert not result["failed"]
    assert any("custom_virtualenv" in str(w) for w in result.get("warnings", []))


def test_held_reference_of_another_organization_is_looked_up(awx, run_module, world):
    """The template holds an inventory of the same name in another organization: the name
    is resolved in the template's organization, and the reference changes."""
    other_org = awx.add("organizations", name="Other")
    twin = awx.add("inventories", name="Demo Inventory", organization=other_org)
    created = run_module("job_template", _params(inventory=twin))
    assert awx.get("job_templates", created["id"])["inventory"] == twin
    awx.calls[:] = []
    result = run_module("job_template", _params(), diff=True)
    assert result["changed"] and result["changed_fields"] == ["inventory"]
    assert awx.get("job_templates", created["id"])["inventory"] == world["inventory"]
    assert ("GET", "/api/v2/inventories/") in [c[:2] for c in awx.calls]


def test_held_reference_by_name_costs_no_request(awx, run_module, world):
    run_module("job_template", _params())
    awx.calls[:] = []
    assert not run_module("job_template", _params())["changed"]
    assert ("GET", "/api/v2/inventories/") not in [c[:2] for c in awx.calls]
