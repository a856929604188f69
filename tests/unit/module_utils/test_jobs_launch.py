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


TYPED_SURVEY = {"spec": [
    {"variable": "count", "type": "integer", "min": 1, "max": 10},
    {"variable": "ratio", "type": "float", "min": "", "max": 1},
    {"variable": "who", "type": "text", "min": None, "max": 20},
    {"variable": "secret", "type": "password"},
    {"variable": "tags", "type": "multiselect", "choices": "a\nb\n\nc"},
    {"variable": "color", "type": "multiplechoice", "choices": ["red", "green"]},
]}


@pytest.mark.parametrize("answers", [
    {"count": 1, "ratio": 0.5, "who": "", "secret": "pw", "tags": ["a", "c"], "color": "red"},
    {"count": 10, "ratio": 1, "who": "x" * 20, "secret": "$encrypted$", "tags": [], "color": "green"},
])
def test_survey_answers_of_the_right_type_pass(answers):
    info = launch_info(survey_enabled=True, ask_variables_on_launch=False)
    assert check_prompts(info, {"extra_vars": answers}, TYPED_SURVEY) == []


@pytest.mark.parametrize("var,answer,expected", [
    ("count", "many", "survey answer count: expected an integer, got 'many'"),
    ("count", "2", "survey answer count: expected an integer, got '2'"),  # AWX: "Value 2 ... integer."
    ("count", 2.0, "survey answer count: expected an integer, got 2.0"),
    ("count", True, "survey answer count: expected an integer, got True"),
    ("count", 0, "survey answer count: value must be between 1 and 10"),
    ("ratio", "0.5", "survey answer ratio: expected a number (integer or float), got '0.5'"),
    ("ratio", None, "survey answer ratio: expected a number (integer or float), got None"),
    ("ratio", 1.5, "survey answer ratio: value must be at most 1.0"),
    ("who", 5, "survey answer who: expected a string, got 5"),
    ("who", "y" * 21, "survey answer who: length must be at most 20"),
    ("secret", 1234, "survey answer secret: expected a string, got an integer"),  # never the value
    ("tags", "a\nb", "survey answer tags: expected a list of choices, got 'a\\nb'"),
    ("tags", ["a", "z"], "survey answer tags has ['z'], not among ['a', 'b', 'c']"),
    ("color", "blue", "survey answer color='blue' is not one of ['red', 'green']"),
])
def test_survey_answers_of_the_wrong_type_or_range_are_named(var, answer, expected):
    info = launch_info(survey_enabled=True)
    assert check_prompts(info, {"extra_vars": {var: answer}}, TYPED_SURVEY) == [expected]


def test_every_bad_survey_answer_is_reported_at_once():
    info = launch_info(survey_enabled=True)
    problems = check_prompts(info, {"extra_vars": {"count": "many", "ratio": "x", "who": 1, "tags": "a"}},
                             TYPED_SURVEY)
    assert [p.split(":")[0] for p in problems] == [
        "survey answer count", "survey answer ratio", "survey answer who", "survey answer tags"]


@responses.activate
def test_a_survey_answer_of_the_wrong_type_is_refused_before_the_launch_post(client):
    responses.get(API + "job_templates/7/", json=jt())
    responses.get(API + "job_templates/7/launch/", json=launch_info(survey_enabled=True))
    responses.get(API + "job_templates/7/survey_spec/", json=TYPED_SURVEY)
    with pytest.raises(ResourceError) as caught:
        prepare_launch(client, 7, {"extra_vars": {"count": "many"}})
    assert str(caught.value) == ("Cannot launch job template 'deploy' (id 7): "
                                 "survey answer count: expected an integer, got 'many'")
    assert [method for method, _path in methods(responses.calls)] == ["GET"] * 3


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


# ----------------------------------------------------------------------------- a lost launch answer

ME = {"count": 1, "next": None, "previous": None,
      "results": [{"id": 3, "username": "ci-bot", "type": "user"}]}


def jt_with_jobs(recent_ids, last_id=None):
    """A template as AWX answers it: the ids of its recent jobs in summary_fields."""
    template = jt()
    template["summary_fields"]["recent_jobs"] = [
        {"id": i, "status": "successful", "finished": "2026-12-03T10:00:00Z", "canceled_on": None,
         "type": "job"} for i in recent_ids]
    if last_id is not None:
        template["summary_fields"]["last_job"] = {"id": last_id, "status": "successful"}
    return template


def job(id_, status="pending"):
    return {"id": id_, "type": "job", "status": status, "url": "/api/v2/jobs/%d/" % id_,
            "job_template": 7, "launch_type": "manual"}


def arrange_launch(template, lost):
    responses.get(API + "job_templates/", json=page([template]))
    responses.get(API + "job_templates/7/launch/", json=launch_info())
    responses.post(API + "job_templates/7/launch/", **lost)


@pytest.mark.parametrize("lost", [
    {"status": 504, "json": {"detail": "timeout"}},
    {"body": __import__("requests").exceptions.ReadTimeout("read timed out")},
], ids=["504", "read-timeout"])
@responses.activate
def test_lost_launch_with_one_job_since_goes_on_with_it(client, lost):
    arrange_launch(jt_with_jobs([61, 58], last_id=61), lost)
    responses.get(API + "me/", json=ME)
    responses.get(API + "jobs/", json=page([job(62)]))
    job_ = launch(client, prepare_launch(client, "deploy", {}))
    assert job_["id"] == 62
    assert [m for m in methods(responses.calls) if m[0] == "POST"] == [("POST", "/api/v2/job_templates/7/launch/")]
    lookup = [c for c in responses.calls if urlsplit(c.request.url).path == "/api/v2/jobs/"][0]
    assert query(lookup) == {"job_template": ["7"], "created_by": ["3"], "id__gt": ["61"],
                             "order_by": ["id"], "page_size": ["10"]}
    assert client.warnings == [
        "the answer to the launch of job template 'deploy' (id 7) was lost; job 62, started by user "
        "ci-bot since, is the one it started: this task goes on with it instead of launching again"]
    assert client.recovered_count == 1


@responses.activate
def test_lost_launch_with_two_candidates_fails_naming_them(client):
    arrange_launch(jt_with_jobs([]), {"status": 502})
    responses.get(API + "me/", json=ME)
    responses.get(API + "jobs/", json=page([job(62), job(63)]))
    plan = prepare_launch(client, "deploy", {})
    with pytest.raises(ResourceError) as caught:
        launch(client, plan)
    message = str(caught.value)
    assert message.startswith("the answer to the launch of job template 'deploy' (id 7) was lost, and 2 jobs "
                              "were started since by user ci-bot (ids 62, 63)")
    assert "gitops.awx.job_cancel" in message and "\n" not in message
    assert len([c for c in responses.calls if c.request.method == "POST"]) == 1
    lookup = [c for c in responses.calls if urlsplit(c.request.url).path == "/api/v2/jobs/"][0]
    assert query(lookup)["id__gt"] == ["0"]  # a template without jobs: every job of it is new


@responses.activate
def test_lost_launch_with_no_job_is_sent_again_once(client):
    responses.get(API + "job_templates/", json=page([jt_with_jobs([61])]))
    responses.get(API + "job_templates/7/launch/", json=launch_info())
    responses.post(API + "job_templates/7/launch/", status=503, json={"detail": "unavailable"})
    responses.post(API + "job_templates/7/launch/", status=201, json=dict(job(62), job=62, ignored_fields={}))
    responses.get(API + "me/", json=ME)
    responses.get(API + "jobs/", json=page([]))
    job_ = launch(client, prepare_launch(client, "deploy", {}))
    assert job_["id"] == 62
    assert [m[0] + " " + m[1] for m in methods(responses.calls)][2:] == [
        "POST /api/v2/job_templates/7/launch/", "GET /api/v2/me/", "GET /api/v2/jobs/",
        "POST /api/v2/job_templates/7/launch/"]
    assert client.warnings == [] and client.recovered_count == 0


@responses.activate
def test_lost_launch_twice_asks_who_i_am_once(client):
    responses.get(API + "job_templates/", json=page([jt_with_jobs([61])]))
    responses.get(API + "job_templates/7/launch/", json=launch_info())
    responses.post(API + "job_templates/7/launch/", status=504)
    responses.post(API + "job_templates/7/launch/", status=504)
    responses.post(API + "job_templates/7/launch/", status=201, json=dict(job(62), job=62))
    responses.get(API + "me/", json=ME)
    responses.get(API + "jobs/", json=page([]))
    launch(client, prepare_launch(client, "deploy", {}))
    paths = [m[1] for m in methods(responses.calls)]
    assert paths.count("/api/v2/me/") == 1 and paths.count("/api/v2/jobs/") == 2
    assert paths.count("/api/v2/job_templates/7/launch/") == 4  # one GET, three POSTs


@responses.activate
def test_template_without_recent_jobs_looks_only_at_active_jobs(client):
    arrange_launch(jt(), {"status": 504})
    responses.get(API + "me/", json=ME)
    responses.get(API + "jobs/", json=page([job(62, "waiting")]))
    assert launch(client, prepare_launch(client, "deploy", {}))["id"] == 62
    lookup = [c for c in responses.calls if urlsplit(c.request.url).path == "/api/v2/jobs/"][0]
    assert "id__gt" not in query(lookup)
    assert query(lookup)["status__in"] == ["new,pending,waiting,running"]


@responses.activate
def test_launch_refused_400_is_not_retried(client):
    arrange_launch(jt_with_jobs([]), {"status": 400, "json": {"variables_needed_to_start": ["'who' value missing"]}})
    plan = prepare_launch(client, "deploy", {})
    with pytest.raises(Exception) as caught:
        launch(client, plan)
    assert "400" in str(caught.value)
    assert [c.request.method for c in responses.calls].count("POST") == 1
    assert not any(urlsplit(c.request.url).path == "/api/v2/me/" for c in responses.calls)
