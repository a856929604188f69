"""Whatever a client sends, the answer is AWX-shaped and never a 500."""
import itertools

import pytest

ENDPOINTS = ["organizations/", "users/", "teams/", "tokens/", "inventories/", "hosts/",
             "groups/", "credential_types/", "credentials/", "projects/", "job_templates/",
             "labels/", "execution_environments/", "bulk/host_create/", "bulk/host_delete/",
             "settings/system/", "job_templates/{jt}/launch/", "job_templates/{jt}/survey_spec/",
             "groups/{group}/hosts/", "groups/{group}/children/", "organizations/{org}/admins/",
             "job_templates/{jt}/labels/", "job_templates/{jt}/credentials/", "inventories/{inv}/hosts/"]
VALUES = [None, "", -1, 10 ** 12, 1.5, True, ["x"], {"a": 1}, "\u00e9\u0000", "x" * 5000]
FIELDS = ["name", "organization", "inventory", "project", "playbook", "credential_type",
          "inputs", "variables", "hosts", "id", "disassociate", "extra_vars", "spec", "kind",
          "username", "password", "scope", "limit", "survey_enabled", "max_hosts", "local_path",
          "scm_type", "image", "forks"]


@pytest.fixture(scope="module")
def seeded(api):
    org = api.create("organizations/", name="r-org")
    inv = api.create("inventories/", name="r-inv", organization=org["id"])
    group = api.create("groups/", name="r-grp", inventory=inv["id"])
    project = api.create("projects/", name="r-proj", organization=org["id"], scm_type="",
                         local_path="rec-demo")
    jt = api.create("job_templates/", name="r-jt", project=project["id"], inventory=inv["id"],
                    playbook="hello.yml", ask_limit_on_launch=True, survey_enabled=True)
    # A required survey answer that no fuzzed body gives: launches are validated, never run.
    response = api.post("job_templates/%d/survey_spec/" % jt["id"], json={
        "name": "", "description": "", "spec": [{"question_name": "q", "variable": "r_q",
                                                 "type": "text", "required": True}]})
    assert response.status_code == 200
    # The server has demo objects: the sub-list endpoints use this module's own objects.
    return {"organizations": org, "inventories": inv, "projects": project,
            "ids": {"jt": jt["id"], "group": group["id"], "org": org["id"], "inv": inv["id"]}}


def _details(api):
    """One object of each kind to PATCH/PUT."""
    urls = []
    for endpoint in ("organizations", "inventories", "hosts", "groups", "credentials",
                     "projects", "job_templates", "labels", "users", "teams",
                     "execution_environments", "credential_types"):
        results = api.get(endpoint + "/?order_by=-id&page_size=1").json()["results"]
        if results:
            urls.append(results[0]["url"])
    return urls


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bad_bodies_never_500(api, seeded, endpoint):
    endpoint = endpoint.format(**seeded["ids"])
    statuses = set()
    for field, value in itertools.product(FIELDS, VALUES):
        for method in ("POST",):
            response = api.request(method, endpoint, json={field: value})
            assert response.status_code < 500, (method, endpoint, field, value, response.text)
            assert response.headers.get("Content-Type", "").startswith("application/json") or \
                not response.content, response.text
            statuses.add(response.status_code)
    assert statuses & {400, 405}


@pytest.mark.parametrize("endpoint", ["hosts/", "jobs/", "job_templates/", "credentials/",
                                      "users/", "groups/", "inventories/", "job_events/"])
@pytest.mark.parametrize("query", ["id__in=1,x", "created__gt=yesterday", "id__isnull=maybe",
                                   "order_by=-", "order_by=,,", "name__in=", "page_size=-5",
                                   "not__or__name=x", "search=%00", "modified__lt=2020-01-01",
                                   "organization=null", "inventory__organization=abc"])
def test_bad_queries_never_500(api, endpoint, query):
    response = api.get(endpoint + "?" + query)
    assert response.status_code in (200, 400, 403), response.text


def test_bad_updates_never_500(api, seeded):
    for url in _details(api):
        for field, value in itertools.product(FIELDS, VALUES):
            for method in ("PATCH", "PUT"):
                response = api.request(method, url, json={field: value})
                assert response.status_code < 500, (method, url, field, value, response.text)
