"""The simulator's own behaviour: lists, filters, named URLs, errors, auth, permissions, hooks."""
import http.client
import json
import time
from urllib.parse import urlparse

import pytest
import requests

from tests.awxsim.conftest import Api

NOT_AUTH = {"detail": "Authentication credentials were not provided. To establish a login "
                      "session, visit /api/login/."}
DENIED = {"detail": "You do not have permission to perform this action."}


@pytest.fixture(scope="module")
def inv(api):
    org = api.create("organizations/", name="t-org", description="test org")
    inventory = api.create("inventories/", name="t-inv", organization=org["id"])
    names = ["t-host-%02d" % i for i in (7, 3, 0, 12, 25, 1, 29, 18, 2, 9, 4, 5, 6, 8, 10, 11,
                                         13, 14, 15, 16, 17, 19, 20, 21, 22, 23, 24, 26, 27, 28)]
    response = api.post("bulk/host_create/", json={
        "inventory": inventory["id"],
        "hosts": [{"name": n, "enabled": n != "t-host-05"} for n in names]})
    assert response.status_code == 201, response.text
    return {"org": org, "inventory": inventory}


def names(response):
    assert response.status_code == 200, response.text
    return [r["name"] for r in response.json()["results"]]


# -- pagination ---------------------------------------------------------------------------

def test_default_page_is_25_ordered_by_name_with_relative_next(api, inv):
    response = api.get("hosts/", params={"inventory": inv["inventory"]["id"]})
    body = response.json()
    assert body["count"] == 30 and len(body["results"]) == 25
    assert names(response)[:3] == ["t-host-00", "t-host-01", "t-host-02"]
    assert body["next"] == "/api/v2/hosts/?inventory=%d&page=2" % inv["inventory"]["id"]
    assert body["previous"] is None


def test_following_next_pages_through_everything(api, inv):
    seen, path = [], "hosts/?inventory=%d&page_size=7" % inv["inventory"]["id"]
    while path:
        body = api.get(path).json()
        seen += [r["name"] for r in body["results"]]
        path = body["next"]
    assert len(seen) == 30 and len(set(seen)) == 30


def test_page_size_above_max_is_clamped_to_200(api, inv):
    org = inv["org"]["id"]
    big = api.create("inventories/", name="t-big", organization=org)
    for start in (0, 100, 200):
        api.post("bulk/host_create/", json={"inventory": big["id"], "hosts": [
            {"name": "b%03d" % i} for i in range(start, min(start + 100, 205))]})
    body = api.get("hosts/", params={"inventory": big["id"], "page_size": 500}).json()
    assert body["count"] == 205 and len(body["results"]) == 200
    assert body["next"] == "/api/v2/hosts/?inventory=%d&page=2&page_size=200" % big["id"]
    assert api.delete("inventories/%d/" % big["id"]).status_code == 202


@pytest.mark.parametrize("page", ["999", "0", "abc", "-1"])
def test_bad_page_is_400(api, inv, page):
    response = api.get("hosts/", params={"inventory": inv["inventory"]["id"], "page": page})
    assert response.status_code == 400 and response.json() == {"error": "Invalid page."}


def test_page_size_zero_means_default_and_garbage_is_400(api, inv):
    assert len(names(api.get("hosts/?page_size=0&inventory=%d" % inv["inventory"]["id"]))) == 25
    response = api.get("hosts/?page_size=abc")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid literal for int() with base 10: 'abc'"}


def test_empty_result_is_a_page(api):
    assert api.get("hosts/?name=nope").json() == {
        "count": 0, "next": None, "previous": None, "results": []}


# -- filters ------------------------------------------------------------------------------

@pytest.mark.parametrize("query,expected", [
    ("name=t-host-05", ["t-host-05"]),
    ("name__iexact=T-HOST-05", ["t-host-05"]),
    ("name__startswith=t-host-1", ["t-host-%d" % i for i in range(10, 20)]),
    ("name__istartswith=T-HOST-2", ["t-host-%d" % i for i in range(20, 30)]),
    ("name__endswith=-01", ["t-host-01"]),
    ("name__contains=host-0", ["t-host-0%d" % i for i in range(10)]),
    ("name__icontains=HOST-2", ["t-host-%d" % i for i in range(20, 30)]),
    ("name__in=t-host-01,t-host-02,nope", ["t-host-01", "t-host-02"]),
    ("name__regex=^t-host-0[12]$", ["t-host-01", "t-host-02"]),
    ("name__iregex=^T-HOST-0[12]$", ["t-host-01", "t-host-02"]),
    ("or__name=t-host-03&or__name=t-host-04", ["t-host-03", "t-host-04"]),
    ("enabled=false", ["t-host-05"]),
    ("enabled=False", ["t-host-05"]),
    ("description__isnull=true", []),
    ("search=host-1", ["t-host-%d" % i for i in range(10, 20)]),
    ("name__startswith=t-host-0&not__name=t-host-00",
     ["t-host-0%d" % i for i in range(1, 10)]),
    ("chain__name__startswith=t-host-0&chain__name__endswith=9", ["t-host-09"]),
])
def test_field_lookups(api, inv, query, expected):
    path = "hosts/?inventory=%d&page_size=200&%s" % (inv["inventory"]["id"], query)
    got = names(api.get(path))
    assert sorted(got) == sorted(expected)


def test_related_field_filters(api, inv):
    org_name = inv["org"]["name"]
    assert api.get("hosts/?inventory__name=t-inv").json()["count"] == 30
    assert api.get("hosts/?inventory__organization__name=%s" % org_name).json()["count"] == 30
    assert api.get("inventories/?organization__name=%s" % org_name).json()["count"] >= 1


def test_numeric_lookups_and_ordering(api, inv):
    ids = [r["id"] for r in api.get("hosts/?inventory=%d&order_by=id&page_size=200"
                                    % inv["inventory"]["id"]).json()["results"]]
    assert api.get("hosts/?inventory=%d&id__gt=%d" % (inv["inventory"]["id"], ids[24])
                   ).json()["count"] == 5
    assert api.get("hosts/?id__gte=%d&id__lte=%d" % (ids[0], ids[2])).json()["count"] == 3
    assert api.get("hosts/?id__lt=%d&inventory=%d" % (ids[1], inv["inventory"]["id"])
                   ).json()["count"] == 1
    top = names(api.get("hosts/?inventory=%d&order_by=-name&page_size=3"
                        % inv["inventory"]["id"]))
    assert top == ["t-host-29", "t-host-28", "t-host-27"]
    both = api.get("hosts/?inventory=%d&order_by=enabled,-name&page_size=2"
                   % inv["inventory"]["id"]).json()["results"]
    assert [h["name"] for h in both] == ["t-host-05", "t-host-29"]


@pytest.mark.parametrize("query,status,body", [
    ("nosuchfield=1", 400, {"error": "Host has no field named 'nosuchfield'"}),
    ("inventory__nosuch=1", 400, {"error": "Inventory has no field named 'nosuch'"}),
    ("name__nosuchlookup=x", 400, {"error": "No related model for field nosuchlookup."}),
    ("id=abc", 400, {"error": "[\"\u201cabc\u201d value must be an integer.\"]"}),
    ("order_by=nosuchfield", 400, {"error": "Host has no field named 'nosuchfield'"}),
    ("name__regex=(", 400, None),
])
def test_filter_errors(api, query, status, body):
    response = api.get("hosts/?" + query)
    assert response.status_code == status
    if body is not None:
        assert response.json() == body


def test_password_filter_is_forbidden(api):
    response = api.get("users/?password__startswith=p")
    assert response.status_code == 403
    assert response.json() == {"detail": "Filtering on password is not allowed."}


# -- named URLs ---------------------------------------------------------------------------

def test_named_urls_resolve_and_are_advertised(api, inv):
    listed = api.get("hosts/?name=t-host-01").json()["results"][0]
    assert "named_url" not in listed["related"]          # AWX shows it on detail pages only
    host = api.get(listed["url"]).json()
    assert host["related"]["named_url"] == "/api/v2/hosts/t-host-01++t-inv++t-org/"
    assert api.get(host["related"]["named_url"]).json()["id"] == host["id"]
    assert api.get("/api/v2/inventories/t-inv++t-org/").json()["id"] == inv["inventory"]["id"]
    assert api.get("/api/v2/organizations/t-org/").json()["id"] == inv["org"]["id"]
    group = api.create("groups/", name="t-grp", inventory=inv["inventory"]["id"])
    assert group["related"]["named_url"] == "/api/v2/groups/t-grp++t-inv++t-org/"
    assert api.get(group["related"]["named_url"]).json()["id"] == group["id"]


def test_credential_named_url(api, inv):
    cred = api.create("credentials/", name="t-cred", organization=inv["org"]["id"],
                      credential_type=1, inputs={"username": "u"})
    assert cred["related"]["named_url"] == "/api/v2/credentials/t-cred++Machine+ssh++t-org/"
    assert api.get(cred["related"]["named_url"]).json()["id"] == cred["id"]


@pytest.mark.parametrize("path,message", [
    ("organizations/no-such-org/", "No Organization matches the given query."),
    ("hosts/a++b++c/", "No Host matches the given query."),
    ("hosts/999999/", "No Host matches the given query."),
    ("inventories/only-one-part/", "No Inventory matches the given query."),
])
def test_unknown_objects_are_404(api, path, message):
    response = api.get(path)
    assert response.status_code == 404 and response.json() == {"detail": message}


# -- errors: never a 500, always AWX's shapes ------------------------------------------------

def test_unknown_url_is_json_404(api):
    response = api.get("nosuchendpoint/")
    assert response.status_code == 404
    assert response.json() == {"detail": "The requested resource could not be found."}
    assert api.get("/nothing/here").status_code == 404


@pytest.mark.parametrize("raw,detail", [
    ('{"name": "x",}', "JSON parse error - Expecting property name enclosed in double quotes: "
                       "line 1 column 14 (char 13)\nPossible cause: trailing comma."),
    ('["x"]', "JSON parse error - not a JSON object"),
])
def test_malformed_json(api, raw, detail):
    response = api.post("organizations/", data=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json() == {"detail": detail}


def test_wrong_content_type_is_415(api):
    response = api.post("organizations/", data="name=x",
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert response.json()["detail"].startswith("You did not use correct Content-Type")


@pytest.mark.parametrize("path,body,expected", [
    ("organizations/", {}, {"name": ["This field is required."]}),
    ("organizations/", {"name": ""}, {"name": ["This field may not be blank."]}),
    ("organizations/", {"name": "t-org"}, {"name": ["Organization with this Name already "
                                                    "exists."]}),
    ("organizations/", {"name": "x1", "max_hosts": "many"},
     {"max_hosts": ["A valid integer is required."]}),
    ("inventories/", {"name": "x"}, {"organization": ["This field is required."]}),
    ("inventories/", {"name": "x", "organization": 999999},
     {"organization": ['Invalid pk "999999" - object does not exist.']}),
    ("inventories/", {"name": "x", "organization": "abc"},
     {"organization": ["Incorrect type. Expected pk value, received str."]}),
    ("hosts/", {"name": "x"}, {"inventory": ["This field is required."]}),
    ("hosts/", {"name": "t-host-01", "inventory": "INV"},
     {"__all__": ["Host with this Name and Inventory already exists."]}),
    ("hosts/", {"name": "x", "inventory": "INV", "variables": {"a": 1}},
     {"variables": ["Not a valid string."]}),
    ("hosts/", {"name": "x", "inventory": "INV", "variables": "[1, 2]"},
     {"variables": ["Cannot parse as JSON (error: Input type `list` is not a dictionary) or "
                    "YAML (error: Input type `list` is not a dictionary)."]}),
    ("credentials/", {"name": "c"}, {"credential_type": ["This field is required."]}),
    ("users/", {"username": "nopw"}, {"password": ["Password required for new User."]}),
    ("users/", {"username": "bad user!", "password": "x"},
     {"username": ["Enter a valid username. This value may contain only letters, numbers, and "
                   "@/./+/-/_ characters."]}),
    ("users/", {"username": "admin", "password": "x"},
     {"username": ["A user with that username already exists."]}),
    ("tokens/", {"scope": "admin"},
     {"scope": ["Must be a simple space-separated string with allowed scopes "
                "['read', 'write']."]}),
])
def test_validation_errors(api, inv, path, body, expected):
    body = {k: (inv["inventory"]["id"] if v == "INV" else v) for k, v in body.items()}
    response = api.post(path, json=body)
    assert response.status_code == 400, response.text
    assert response.json() == expected


def test_inventory_kind_null_is_accepted_as_empty(api, inv):
    created = api.create("inventories/", name="t-kind", organization=inv["org"]["id"], kind=None)
    assert created["kind"] == ""
    assert api.delete(created["url"]).status_code == 202


def test_unknown_fields_are_ignored_and_put_resets(api):
    org = api.create("organizations/", name="t-put", description="d", nosuch=1)
    assert "nosuch" not in org
    response = api.put("organizations/%d/" % org["id"], json={"name": "t-put"})
    assert response.status_code == 200 and response.json()["description"] == ""
    response = api.put("organizations/%d/" % org["id"], json={})
    assert response.status_code == 400
    assert response.json() == {"name": ["This field is required."]}
    assert api.delete("organizations/%d/" % org["id"]).status_code == 204
    assert api.delete("organizations/%d/" % org["id"]).status_code == 404


def test_method_not_allowed(api):
    response = api.delete("ping/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_options_serves_field_metadata(api):
    body = api.request("OPTIONS", "hosts/").json()
    assert "POST" in body["actions"] and "name" in body["actions"]["POST"]


def test_product_headers(sim, api):
    response = api.get("ping/")
    assert response.headers["X-API-Product-Name"] == "AWX"
    assert response.headers["X-API-Product-Version"] == "24.6.1"
    assert response.headers["X-API-Total-Time"].endswith("s")
    anonymous = requests.get(sim.url + "/api/v2/me/", timeout=10)
    assert anonymous.status_code == 401
    assert "X-API-Product-Version" not in anonymous.headers


# -- groups -------------------------------------------------------------------------------

def test_group_associations_and_cycles(api, inv):
    inv_id = inv["inventory"]["id"]
    parent = api.create("groups/", name="t-parent", inventory=inv_id)
    child = api.create("inventories/%d/groups/" % inv_id, name="t-child")
    host = api.get("hosts/?name=t-host-03").json()["results"][0]
    assert api.post("groups/%d/hosts/" % parent["id"], json={"id": host["id"]}).status_code == 204
    assert api.post("groups/%d/hosts/" % parent["id"], json={"id": host["id"]}).status_code == 204
    created = api.post("groups/%d/hosts/" % child["id"], json={"name": "t-new-host"})
    assert created.status_code == 201 and created.json()["inventory"] == inv_id
    assert api.post("groups/%d/children/" % parent["id"], json={"id": child["id"]}
                    ).status_code == 204
    assert sorted(names(api.get("groups/%d/all_hosts/" % parent["id"]))) == \
        ["t-host-03", "t-new-host"]
    assert names(api.get("hosts/%d/all_groups/" % created.json()["id"])) == \
        ["t-child", "t-parent"]
    assert "t-child" not in names(api.get("inventories/%d/root_groups/" % inv_id))
    for source, target in ((child, parent), (parent, parent)):
        response = api.post("groups/%d/children/" % source["id"], json={"id": target["id"]})
        assert response.status_code == 400
        assert response.json() == {"error": "Cyclical Group association."}
    response = api.post("groups/%d/hosts/" % parent["id"], json={"id": 999999})
    assert response.status_code == 400
    assert response.json() == {"detail": "Host matching query does not exist."}
    assert api.post("groups/%d/hosts/" % parent["id"],
                    json={"id": host["id"], "disassociate": True}).status_code == 204
    assert names(api.get("groups/%d/hosts/" % parent["id"])) == []
    response = api.post("groups/", json={"name": "t-host-04", "inventory": inv_id})
    assert response.json() == {"__all__": ["A Host with that name already exists."]}


# -- credentials --------------------------------------------------------------------------

def test_credential_secrets_are_masked_and_kept(api, inv):
    cred = api.create("credentials/", name="t-secret", organization=inv["org"]["id"],
                      credential_type=1, inputs={"username": "u", "password": "s3cret"})
    assert cred["inputs"] == {"username": "u", "password": "$encrypted$"}
    path = "credentials/%d/" % cred["id"]
    kept = api.patch(path, json={"inputs": {"username": "u2", "password": "$encrypted$"}})
    assert kept.json()["inputs"] == {"username": "u2", "password": "$encrypted$"}
    replaced = api.patch(path, json={"inputs": {"username": "u3"}})
    assert replaced.json()["inputs"] == {"username": "u3"}
    assert "s3cret" not in json.dumps(api.get("credentials/?name=t-secret").json())
    response = api.post("credentials/", json={"name": "t-bad", "credential_type": 1,
                                              "organization": inv["org"]["id"],
                                              "inputs": {"nosuch": 1}})
    assert response.json() == {"inputs": ["Additional properties are not allowed ('nosuch' "
                                          "was unexpected)"]}


def test_a_credential_needs_an_owner_as_on_awx(api, inv):
    """AWX 24.6.1 refuses a credential without organization, user or team (400, checked)."""
    for extra in ({}, {"organization": None}, {"user": None, "team": None}):
        response = api.post("credentials/", json=dict({"name": "t-nobody", "credential_type": 1,
                                                       "inputs": {"nosuch": 1}}, **extra))
        assert response.status_code == 400
        assert response.json() == {"detail": ["Missing 'user', 'team', or 'organization'."]}
    assert api.get("credentials/?name=t-nobody").json()["count"] == 0
    mine = api.post("credentials/", json={"name": "t-mine", "credential_type": 1, "user": 1})
    assert mine.status_code == 201, mine.text
    assert mine.json()["organization"] is None and "user" not in mine.json()
    assert api.delete("credentials/%d/" % mine.json()["id"]).status_code == 204


def test_secret_settings_are_masked_and_kept(api):
    path = "settings/system/"
    try:
        assert api.patch(path, json={"SUBSCRIPTIONS_PASSWORD": "s3cret-pw"}).json()["SUBSCRIPTIONS_PASSWORD"] == "$encrypted$"
        assert api.get(path).json()["SUBSCRIPTIONS_PASSWORD"] == "$encrypted$"
        assert "s3cret-pw" not in api.get("settings/all/").text
        api.patch(path, json={"SUBSCRIPTIONS_PASSWORD": "$encrypted$"})   # sent back as read: kept
        from_db = api.get(path).json()["SUBSCRIPTIONS_PASSWORD"]
        assert from_db == "$encrypted$"
    finally:
        assert api.patch(path, json={"SUBSCRIPTIONS_PASSWORD": ""}).json()["SUBSCRIPTIONS_PASSWORD"] == ""


def test_managed_credential_types(api):
    response = api.get("credential_types/?managed=true&order_by=id&page_size=200").json()
    by_name = {t["name"]: t for t in response["results"]}
    assert by_name["Machine"]["id"] == 1 and by_name["Machine"]["kind"] == "ssh"
    assert by_name["Source Control"]["id"] == 2
    for name in ("Vault", "Network", "Amazon Web Services", "Container Registry",
                 "Ansible Galaxy/Automation Hub API Token"):
        assert name in by_name
    secret = [f["id"] for f in by_name["Machine"]["inputs"]["fields"] if f.get("secret")]
    assert "password" in secret
    response = api.patch("credential_types/1/", json={"name": "x"})
    assert response.status_code == 403


# -- auth and tokens ----------------------------------------------------------------------

def test_unauthenticated_and_bad_credentials(sim):
    for kwargs in ({}, {"auth": ("admin", "wrong")},
                   {"headers": {"Authorization": "Bearer nope"}}):
        response = requests.get(sim.url + "/api/v2/me/", timeout=10, **kwargs)
        assert response.status_code == 401 and response.json() == NOT_AUTH
        assert response.headers["WWW-Authenticate"] == \
            "Bearer realm=api authorization_url=/api/o/authorize/"


def test_token_lifecycle(sim):
    basic = Api(sim.url, auth=("admin", "password"))
    created = basic.post("users/1/personal_tokens/", json={"description": "t", "scope": "read"})
    assert created.status_code == 201
    assert created.headers["Location"] == created.json()["url"]
    token = created.json()["token"]
    assert len(token) >= 20
    shown = basic.get(created.json()["url"]).json()
    assert shown["token"] == "************" and shown["refresh_token"] is None
    reader = Api(sim.url, token=token)
    assert reader.get("me/").json()["results"][0]["username"] == "admin"
    denied = reader.post("organizations/", json={"name": "t-read-scope"})
    assert denied.status_code == 403 and denied.json() == DENIED
    assert basic.delete(created.json()["url"]).status_code == 204
    assert reader.get("me/").status_code == 401


def test_tokens_endpoint_creates_for_requesting_user(api):
    response = api.post("tokens/", json={"scope": "write"})
    assert response.status_code == 201 and response.json()["user"] == 1
    assert api.delete(response.json()["url"]).status_code == 204


# -- permissions --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def people(api, inv):
    org = inv["org"]["id"]
    other = api.create("organizations/", name="t-other")
    api.create("inventories/", name="t-other-inv", organization=other["id"])
    users = {}
    for name in ("t-admin", "t-member", "t-nobody"):
        user = api.create("users/", username=name, password="pw-" + name)
        users[name] = user
    assert api.post("organizations/%d/admins/" % org,
                    json={"id": users["t-admin"]["id"]}).status_code == 204
    assert api.post("organizations/%d/users/" % org,
                    json={"id": users["t-member"]["id"]}).status_code == 204
    clients = {}
    for name in users:
        clients[name] = Api(api.url, token=_user_token(api.url, users[name]["id"], name))
    return {"org": org, "other": other["id"], "clients": clients}


def _user_token(url, user_id, name):
    response = requests.post(url + "/api/v2/users/%d/personal_tokens/" % user_id,
                             auth=(name, "pw-" + name), json={"scope": "write"}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()["token"]


def test_user_without_roles_sees_nothing(people):
    nobody = people["clients"]["t-nobody"]
    assert nobody.get("organizations/").json()["count"] == 0
    assert nobody.get("inventories/").json()["count"] == 0
    assert nobody.get("organizations/%d/" % people["org"]).status_code == 403
    assert nobody.post("organizations/", json={"name": "t-nope"}).json() == DENIED


def test_member_reads_but_cannot_write(people, inv):
    member = people["clients"]["t-member"]
    assert [o["id"] for o in member.get("organizations/").json()["results"]] == [people["org"]]
    assert member.get("hosts/?name=t-host-01").json()["count"] == 1
    response = member.post("hosts/", json={"name": "t-m", "inventory": inv["inventory"]["id"]})
    assert response.status_code == 403
    host = member.get("hosts/?name=t-host-01").json()["results"][0]
    assert member.patch("hosts/%d/" % host["id"], json={"enabled": False}).status_code == 403


def test_org_admin_controls_own_org_only(people, inv):
    admin = people["clients"]["t-admin"]
    created = admin.post("hosts/", json={"name": "t-by-admin",
                                         "inventory": inv["inventory"]["id"]})
    assert created.status_code == 201
    assert admin.patch("hosts/%d/" % created.json()["id"], json={"description": "x"}
                       ).status_code == 200
    other = admin.post("inventories/", json={"name": "t-x", "organization": people["other"]})
    assert other.status_code == 403
    assert admin.get("inventories/?name=t-other-inv").json()["count"] == 0
    assert admin.delete("hosts/%d/" % created.json()["id"]).status_code == 204


# -- test hooks: counting and faults --------------------------------------------------------

def test_request_counting_excludes_hooks(sim, api):
    sim.reset_counts()
    api.get("hosts/?name=x")
    api.get("hosts/?name=y")
    api.post("organizations/", json={})
    sim.request_counts()
    counts = sim.request_counts()
    assert counts["total"] == 3
    assert counts["by_path"] == {"GET /api/v2/hosts/": 2, "POST /api/v2/organizations/": 1}
    assert counts["by_method"] == {"GET": 2, "POST": 1}


def test_faults_are_deterministic_by_seed(sim, api):
    def run():
        sim.set_faults(error_rate=0.5, statuses=[502, 503], seed=7, path_prefix="/api/v2/hosts/")
        try:
            return [api.get("hosts/?name=x").status_code for _attempt in range(20)]
        finally:
            sim.clear_faults()
    first, second = run(), run()
    assert first == second
    assert set(first) <= {200, 502, 503} and 200 in first and (502 in first or 503 in first)
    assert api.get("organizations/").status_code == 200


def test_fault_filters_by_method_and_prefix(sim, api):
    sim.set_faults(error_rate=1.0, statuses=[503], seed=1, path_prefix="/api/v2/hosts/",
                   methods=["POST"])
    try:
        assert api.get("hosts/?name=x").status_code == 200
        response = api.post("hosts/", json={})
        assert response.status_code == 503 and response.headers.get("Retry-After") == "1"
    finally:
        sim.clear_faults()
    assert api.post("hosts/", json={}).status_code == 400


def test_dropped_connection_and_latency(sim, api):
    sim.set_faults(drop_rate=1.0, seed=3, path_prefix="/api/v2/ping/")
    try:
        with pytest.raises(requests.ConnectionError):
            requests.get(sim.url + "/api/v2/ping/", timeout=5)
    finally:
        sim.clear_faults()
    sim.set_faults(latency_ms=200, path_prefix="/api/v2/ping/")
    try:
        started = time.monotonic()
        assert requests.get(sim.url + "/api/v2/ping/", timeout=5).status_code == 200
        assert time.monotonic() - started >= 0.2
    finally:
        sim.clear_faults()


def test_keep_alive_reuses_one_connection(sim, api):
    parsed = urlparse(sim.url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    token = api.session.headers["Authorization"]
    try:
        for _attempt in range(3):
            conn.request("GET", "/api/v2/hosts/?page_size=1", headers={"Authorization": token})
            response = conn.getresponse()
            assert response.status == 200 and response.version == 11
            json.loads(response.read())
        sock = conn.sock
        conn.request("GET", "/api/v2/ping/")
        conn.getresponse().read()
        assert conn.sock is sock
    finally:
        conn.close()


def test_me_is_a_list_page(api):
    body = api.get("me/").json()
    assert body["count"] == 1 and body["results"][0]["username"] == "admin"
    assert body["results"][0]["password"] == "$encrypted$"


def _make_many(api, inv, endpoint, n=8):
    inv_id, org_id = inv["inventory"]["id"], inv["org"]["id"]
    if endpoint == "job_templates":
        project = api.create("projects/", name="t-q-proj", organization=org_id, scm_type="",
                             local_path="rec-demo")
    for i in range(n):
        name = "t-q-%s-%d" % (endpoint, i)
        if endpoint == "groups":
            group = api.create("groups/", name=name, inventory=inv_id)
            for host in api.get("hosts/?inventory=%d&page_size=3" % inv_id).json()["results"]:
                api.post("groups/%d/hosts/" % group["id"], json={"id": host["id"]})
        elif endpoint == "inventories":
            api.create("inventories/", name=name, organization=org_id)
        elif endpoint == "organizations":
            api.create("organizations/", name=name)
        elif endpoint == "credentials":
            api.create("credentials/", name=name, organization=org_id, credential_type=1,
                       inputs={"username": "u", "password": "p"})
        elif endpoint == "job_templates":
            jt = api.create("job_templates/", name=name, project=project["id"],
                            inventory=inv_id, playbook="hello.yml")
            cred = api.get("credentials/?page_size=1").json()["results"]
            if cred:
                api.post("job_templates/%d/credentials/" % jt["id"], json={"id": cred[0]["id"]})
        elif endpoint == "users":
            api.create("users/", username=name, password="pw")


@pytest.mark.parametrize("endpoint", ["hosts", "groups", "inventories", "organizations",
                                      "credentials", "job_templates", "users"])
def test_list_pages_cost_the_same_queries_for_5_or_50_objects(api, inv, endpoint):
    if endpoint != "hosts":
        _make_many(api, inv, endpoint)
    small = api.get("%s/?page_size=5" % endpoint)
    large = api.get("%s/?page_size=50" % endpoint)
    assert small.status_code == large.status_code == 200
    assert len(large.json()["results"]) > len(small.json()["results"]) == 5
    assert int(large.headers["X-API-Query-Count"]) <= int(small.headers["X-API-Query-Count"])


# -- ordered associations, copies, notification templates ---------------------------------------

def test_instance_groups_keep_association_order(api, inv):
    path = "organizations/%d/instance_groups/" % inv["org"]["id"]
    for name in ("default", "controlplane"):
        group = api.get("instance_groups/?name=" + name).json()["results"][0]
        assert api.post(path, json={"id": group["id"]}).status_code == 204
    assert names(api.get(path)) == ["default", "controlplane"]
    default = api.get("instance_groups/?name=default").json()["results"][0]
    api.post(path, json={"id": default["id"], "disassociate": True})
    api.post(path, json={"id": default["id"]})
    assert names(api.get(path)) == ["controlplane", "default"]


def test_constructed_inventory_inputs_in_order(api, inv):
    org = inv["org"]["id"]
    web = api.create("inventories/", name="t-web", organization=org)
    db = api.create("inventories/", name="t-db", organization=org)
    constructed = api.create("inventories/", name="t-all", organization=org, kind="constructed")
    path = "inventories/%d/input_inventories/" % constructed["id"]
    for source in (db, web):
        assert api.post(path, json={"id": source["id"]}).status_code == 204
    assert names(api.get(path)) == ["t-db", "t-web"]
    response = api.post(path, json={"id": constructed["id"]})
    assert response.status_code == 400


def test_inventory_copy_takes_hosts_groups_and_order(api, inv):
    org = inv["org"]["id"]
    source = api.create("inventories/", name="t-tmpl", organization=org, variables="a: 1")
    host = api.create("hosts/", name="t-tmpl-h", inventory=source["id"])
    group = api.create("groups/", name="t-tmpl-g", inventory=source["id"])
    api.post("groups/%d/hosts/" % group["id"], json={"id": host["id"]})
    assert api.get("inventories/%d/copy/" % source["id"]).json()["can_copy"] is True
    assert api.post("inventories/%d/copy/" % source["id"], json={}).json() == {
        "name": ["This field is required."]}
    response = api.post("inventories/%d/copy/" % source["id"], json={"name": "t-tmpl-copy"})
    assert response.status_code == 201
    copy = response.json()
    assert copy["id"] != source["id"] and copy["variables"] == "a: 1"
    assert names(api.get("inventories/%d/hosts/" % copy["id"])) == ["t-tmpl-h"]
    copied_group = api.get("inventories/%d/groups/" % copy["id"]).json()["results"][0]
    assert names(api.get("groups/%d/hosts/" % copied_group["id"])) == ["t-tmpl-h"]
    again = api.post("inventories/%d/copy/" % source["id"], json={"name": "t-tmpl-copy"})
    assert again.status_code == 400


def test_notification_templates_and_organization_lists(api, inv):
    org = inv["org"]["id"]
    template = api.create("notification_templates/", name="t-hook", organization=org,
                          notification_type="webhook",
                          notification_configuration={"url": "https://x", "password": "pw",
                                                      "headers": {}})
    assert template["notification_configuration"]["password"] == "$encrypted$"
    dup = api.post("notification_templates/", json={"name": "t-hook", "organization": org,
                                                    "notification_type": "webhook"})
    assert dup.status_code == 400
    bad = api.post("notification_templates/", json={"name": "t-x", "organization": org,
                                                    "notification_type": "pigeon"})
    assert bad.json() == {"notification_type": ['"pigeon" is not a valid choice.']}
    no_token = api.post("notification_templates/", json={
        "name": "t-x", "organization": org, "notification_type": "slack",
        "notification_configuration": {"channels": ["#x"]}})
    assert no_token.status_code == 400
    assert no_token.json() == {"__all__": ["Missing required fields for Notification Configuration: ['token']."]}
    delete = api.post("notification_templates/", json={
        "name": "t-x", "organization": org, "notification_type": "webhook",
        "notification_configuration": {"url": "https://x", "headers": {}, "http_method": "DELETE"}})
    assert delete.json() == {"__all__": ["HTTP method must be either 'POST' or 'PUT'."]}
    changed = api.patch(template["url"], json={"notification_configuration": {"url": "https://y"}})
    assert changed.status_code == 400 and "['headers']" in changed.text
    path = "organizations/%d/notification_templates_error/" % org
    assert api.post(path, json={"id": template["id"]}).status_code == 204
    assert names(api.get(path)) == ["t-hook"]
    assert names(api.get("organizations/%d/notification_templates_started/" % org)) == []
    assert api.delete(template["url"]).status_code == 204
    assert names(api.get(path)) == []


def test_galaxy_credentials_accept_only_galaxy_type(api, inv):
    org = inv["org"]["id"]
    galaxy_type = api.get("credential_types/?kind=galaxy").json()["results"][0]
    galaxy = api.create("credentials/", name="t-galaxy", organization=org,
                        credential_type=galaxy_type["id"],
                        inputs={"url": "https://galaxy.ansible.com"})
    machine = api.create("credentials/", name="t-machine-g", organization=org,
                         credential_type=1, inputs={})
    path = "organizations/%d/galaxy_credentials/" % org
    assert api.post(path, json={"id": galaxy["id"]}).status_code == 204
    assert api.post(path, json={"id": machine["id"]}).status_code == 400
    assert names(api.get(path)) == ["t-galaxy"]


def test_team_summary_names_its_shared_resource(api, inv):
    team = api.create("teams/", name="t-team", organization=inv["org"]["id"])
    resource = team["summary_fields"]["resource"]
    assert resource["resource_type"] == "shared.team"
    org_resource = api.get("organizations/%d/" % inv["org"]["id"]).json()["summary_fields"]["resource"]
    assert resource["ansible_id"] != org_resource["ansible_id"]
    assert api.get("teams/%d/" % team["id"]).json()["summary_fields"]["resource"] == resource
    assert api.delete("teams/%d/" % team["id"]).status_code == 204
