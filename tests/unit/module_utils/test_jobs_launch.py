"""Launch preparation: template lookup, every prompt checked, references in one request per kind."""
import json
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._launch import (
    PROMPTS, check_prompts, launch, parse_extra_vars, prepare_launch,
)
from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options

HOST = "https://awx.example.com"
API = HOST + "/api/v2/"

ALL_ASK_FLAGS = sorted(set(p.ask for p in PROMPTS))


def launch_info(survey_enabled=False, needed=(), **asks):
    info = dict((flag, False) for flag in ALL_ASK_FLAGS)
    info.update(asks)
    info.update({
        "survey_enabled": survey_enabled,
        "variables_needed_to_start": list(needed),
        "inventory_needed_to_start": False,
        "credential_needed_to_start": False,
        "passwords_needed_to_start": [],
        "defaults": {},
        "job_template_data": {"id": 7, "name": "deploy"},
    })
    return info


def page(results):
    return {"count": len(results), "next": None, "previous": None, "results": results}


def jt(id_=7, name="deploy", org=1):
    return {"id": id_, "name": name, "organization": org, "type": "job_template",
            "url": "/api/v2/job_templates/%d/" % id_,
            "summary_fields": {"organization": {"id": org, "name": "Default"}}}


@pytest.fixture
def client():
    settings = settings_from_options({"controller_host": HOST, "controller_oauthtoken": "t0ken",
                                      "api_prefix": "/api/v2/"})
    with Client(settings, sleep=lambda s: None) as c:
        yield c


def methods(calls):
    return [(c.request.method, urlsplit(c.request.url).path) for c in calls]


def query(call):
    return parse_qs(urlsplit(call.request.url).query)


# ----------------------------------------------------------------------------- pure parts

def test_extra_vars_from_dict_yaml_json_and_empty():
    assert parse_extra_vars({"a": 1}) == {"a": 1}
    assert parse_extra_vars("a: 1\nb: [x]") == {"a": 1, "b": ["x"]}
    assert parse_extra_vars('{"a": 1}') == {"a": 1}
    assert parse_extra_vars("") == {}
    assert parse_extra_vars(None) == {}


@pytest.mark.parametrize("bad", ["[1, 2]", "just text", 5])
def test_extra_vars_must_be_a_mapping(bad):
    with pytest.raises(ResourceError, match="extra_vars must be a dictionary"):
        parse_extra_vars(bad)


def test_invalid_yaml_error_does_not_echo_the_text():
    with pytest.raises(ResourceError) as caught:
        parse_extra_vars("password: [s3cret")
    assert "s3cret" not in str(caught.value)
    assert "line" in str(caught.value)


def test_allowed_prompts_raise_nothing():
    asks = dict((flag, True) for flag in ALL_ASK_FLAGS)
    prompts = dict((p.option, "x") for p in PROMPTS)
    prompts["extra_vars"] = {"a": 1}
    assert check_prompts(launch_info(**asks), prompts) == []


def test_every_refused_prompt_is_listed_in_one_problem():
    prompts = {"limit": "web", "job_type": "check", "forks": 0, "diff_mode": False,
               "extra_vars": {"a": 1, "b": 2}, "job_timeout": 0}
    problems = check_prompts(launch_info(), prompts)
    assert len(problems) == 1
    for name in ("limit", "job_type", "forks", "diff_mode", "extra_vars (a, b)", "job_timeout"):
        assert name in problems[0]


def test_falsy_values_are_values():
    # 0, False and "" are prompts too: AWX would ignore them just the same.
    problems = check_prompts(launch_info(), {"verbosity": 0, "diff_mode": False, "limit": ""})
    assert "verbosity" in problems[0] and "diff_mode" in problems[0] and "limit" in problems[0]


def test_none_is_not_a_prompt():
    assert check_prompts(launch_info(), {"limit": None, "verbosity": None}) == []


def test_survey_answers_allowed_without_ask_variables_but_others_are_not():
    survey = {"spec": [{"variable": "who", "type": "text", "required": True},
                       {"variable": "size", "type": "integer", "min": 1, "max": 3}]}
    info = launch_info(survey_enabled=True, needed=["who"])
    assert check_prompts(info, {"extra_vars": {"who": "me", "size": 2}}, survey) == []
    problems = check_prompts(info, {"extra_vars": {"who": "me", "other": 1}}, survey)
    assert len(problems) == 1 and "extra_vars (other)" in problems[0]


def test_missing_required_survey_answers_and_bad_answers_all_listed():
    survey = {"spec": [
        {"variable": "who", "type": "text", "required": True},
        {"variable": "where", "type": "text", "required": True},
        {"variable": "color", "type": "multiplechoice", "choices": "red\ngreen"},
        {"variable": "size", "type": "integer", "min": 1, "max": 3},
        {"variable": "name", "type": "text", "min": 0, "max": 4},
    ]}
    info = launch_info(survey_enabled=True, needed=["who", "where"], ask_limit_on_launch=False)
    problems = check_prompts(info, {"limit": "x", "extra_vars": {
        "color": "blue", "size": 9, "name": "too long"}}, survey)
    text = " | ".join(problems)
    assert "limit" in text
    assert "missing: who, where" in text
    assert "color='blue'" in text
    assert "size: value must be between 1 and 3" in text
    assert "name: length must be between 0 and 4" in text
    assert len(problems) == 5


def test_needed_inventory_credential_and_passwords():
    info = launch_info(ask_inventory_on_launch=True, ask_credential_on_launch=True)
    info.update(inventory_needed_to_start=True, credential_needed_to_start=True,
                passwords_needed_to_start=["ssh_password", "become_password"])
    problems = check_prompts(info, {}, credential_passwords={"ssh_password": "pw"})
    assert len(problems) == 3
    assert "credential_passwords missing: become_password" in problems[2]
    assert "pw" not in " ".join(problems)


# ----------------------------------------------------------------------------- through HTTP

@responses.activate
def test_prepare_launch_resolves_each_kind_with_one_request_and_builds_the_body(client):
    asks = dict((flag, True) for flag in ALL_ASK_FLAGS)
    responses.get(API + "job_templates/", json=page([jt()]))
    responses.get(API + "job_templates/7/launch/", json=launch_info(**asks))
    responses.get(API + "inventories/", json=page([{"id": 3, "name": "prod"}]))
    responses.get(API + "credentials/", json=page([{"id": 11, "name": "ssh"},
                                                   {"id": 12, "name": "vault"}]))
    responses.get(API + "labels/", json=page([{"id": 21, "name": "ci"}, {"id": 22, "name": "x"}]))
    responses.get(API + "execution_environments/", json=page([{"id": 4, "name": "ee"}]))
    responses.get(API + "instance_groups/", json=page([{"id": 5, "name": "default"}]))
    plan = prepare_launch(client, "deploy", {
        "extra_vars": "a: 1", "inventory": "prod", "limit": "web", "tags": ["a", "b"],
        "skip_tags": "c", "job_type": "run", "credentials": ["ssh", "vault"],
        "labels": ["ci", "x"], "scm_branch": "main", "verbosity": 0, "diff_mode": False,
        "forks": 0, "job_slice_count": 1, "job_timeout": 0, "execution_environment": "ee",
        "instance_groups": ["default"], "unused": None,
    }, organization="Default")
    assert plan.template_id == 7
    assert plan.body() == {
        "extra_vars": {"a": 1}, "inventory": 3, "limit": "web", "job_tags": "a,b",
        "skip_tags": "c", "job_type": "run", "credentials": [11, 12], "labels": [21, 22],
        "scm_branch": "main", "verbosity": 0, "diff_mode": False, "forks": 0,
        "job_slice_count": 1, "timeout": 0, "execution_environment": 4, "instance_groups": [5],
    }
    calls = methods(responses.calls)
    assert all(method == "GET" for method, _path in calls)
    # one request per kind: no N+1
    for kind in ("credentials", "labels", "inventories"):
        assert sum(1 for _method, path in calls if path == "/api/v2/%s/" % kind) == 1
    assert query(responses.calls[0]) == {"name": ["deploy"], "organization__name": ["Default"],
                                         "page_size": ["10"]}
    cred_call = [c for c in responses.calls if c.request.url.startswith(API + "credentials/")][0]
    assert query(cred_call)["name__in"] == ["ssh,vault"]


@responses.activate
def test_prepare_launch_lists_every_problem_before_any_post(client):
    responses.get(API + "job_templates/7/", json=jt())
    responses.get(API + "job_templates/7/launch/",
                  json=launch_info(survey_enabled=True, needed=["who"],
                                   ask_credential_on_launch=True))
    responses.get(API + "job_templates/7/survey_spec/",
                  json={"spec": [{"variable": "who", "type": "text", "required": True}]})
    responses.get(API + "credentials/", json=page([]))
    with pytest.raises(ResourceError) as caught:
        prepare_launch(client, 7, {"limit": "web", "extra_vars": {"x": 1},
                                   "credentials": ["nope"]})
    message = str(caught.value)
    assert message.startswith("Cannot launch job template 'deploy' (id 7): ")
    assert "limit" in message and "extra_vars (x)" in message
    assert "survey answer required but missing: who" in message
    assert "credentials: credential not found: 'nope'" in message
    assert [method for method, _path in methods(responses.calls)] == ["GET"] * 4


@responses.activate
def test_unknown_template_is_a_clear_error(client):
    responses.get(API + "job_templates/", json=page([]))
    with pytest.raises(ResourceError, match="job template 'nope' not found in organization 'Org'"):
        prepare_launch(client, "nope", {}, organization="Org")


@responses.activate
def test_ambiguous_template_lists_candidates(client):
    responses.get(API + "job_templates/", json=page([jt(7, org=1), jt(8, org=2)]))
    with pytest.raises(ResourceError, match="ambiguous"):
        prepare_launch(client, "deploy", {})


@responses.activate
def test_survey_passwords_are_masked_when_shown(client):
    responses.get(API + "job_templates/", json=page([jt()]))
    responses.get(API + "job_templates/7/launch/", json=launch_info(survey_enabled=True))
    responses.get(API + "job_templates/7/survey_spec/", json={"spec": [
        {"variable": "pw", "type": "password"}, {"variable": "who", "type": "text"}]})
    plan = prepare_launch(client, "deploy", {"extra_vars": {"pw": "s3cret", "who": "me"}},
                          credential_passwords={"ssh_password": "x"})
    assert plan.shown_prompts() == {"extra_vars": {"pw": "$encrypted$", "who": "me"}}
    assert plan.body()["extra_vars"]["pw"] == "s3cret"
    assert plan.body()["credential_passwords"] == {"ssh_password": "x"}


@responses.activate
def test_launch_posts_the_body_once(client):
    responses.get(API + "job_templates/", json=page([jt()]))
    responses.get(API + "job_templates/7/launch/", json=launch_info(ask_limit_on_launch=True))
    responses.post(API + "job_templates/7/launch/", status=201,
                   json={"id": 62, "job": 62, "status": "pending", "url": "/api/v2/jobs/62/",
                         "ignored_fields": {}})
    plan = prepare_launch(client, "deploy", {"limit": ""})
    job = launch(client, plan)
    assert job["id"] == 62
    post = responses.calls[-1].request
    assert post.method == "POST"
    assert json.loads(post.body) == {"limit": ""}
