"""The real gitops.awx.api lookup, loaded by Ansible's lookup loader, with the real client
talking HTTP to ``responses``."""
import pytest
from ansible.errors import AnsibleLookupError

from conftest import HOST, TOKEN


def hosts(n, prefix="host"):
    return [{"id": i + 1, "name": "%s-%04d" % (prefix, i), "variables": "", "enabled": True, "inventory": 1}
            for i in range(n)]


@pytest.fixture
def lookup(plugin_loaders):
    lookup_loader = plugin_loaders[0]

    def run(terms, **kwargs):
        plugin = lookup_loader.get("gitops.awx.api")
        kwargs.setdefault("controller_host", HOST)
        kwargs.setdefault("controller_oauthtoken", TOKEN)
        return plugin.run(terms if isinstance(terms, list) else [terms], variables={}, **kwargs)

    return run


def test_all_pages_are_returned_in_one_request_per_200(lookup, awx_http):
    awx = awx_http(lists={"hosts/": hosts(1000)})
    result = lookup("hosts", query_params={"name__startswith": "host"})
    assert [h["name"] for h in result] == ["host-%04d" % i for i in range(1000)]
    api = awx.api_requests()
    assert len(api) == 5
    assert [dict(pairs)["page"] for _path, pairs in api[1:]] == ["2", "3", "4", "5"]
    for _path, pairs in api:
        assert sorted(key for key, _value in pairs if key == "page_size") == ["page_size"]  # sent once
        assert dict(pairs)["page_size"] == "200" and dict(pairs)["name__startswith"] == "host"
    assert set(awx.api_authorizations()) == {"Bearer " + TOKEN}


def test_max_objects_fails_instead_of_truncating(lookup, awx_http):
    awx = awx_http(lists={"hosts/": hosts(300)})
    with pytest.raises(AnsibleLookupError) as caught:
        lookup("hosts", max_objects=250)
    assert str(caught.value) == ("hosts/ matches 300 objects, more than max_objects=250; narrow query_params "
                                 "or raise max_objects (nothing is returned rather than a silently truncated list)")
    assert len(awx.api_requests()) == 1


@pytest.mark.parametrize("matches", [0, 2])
def test_expect_one_on_zero_and_two_matches(lookup, awx_http, matches):
    awx_http(lists={"job_templates/": [{"id": i, "name": "Deploy"} for i in range(matches)]})
    with pytest.raises(AnsibleLookupError) as caught:
        lookup("job_templates", query_params={"name": "Deploy"}, expect_one=True)
    assert str(caught.value) == "expected exactly one object from job_templates/?name=Deploy, found %d" % matches


def test_expect_one_returns_the_object(lookup, awx_http):
    awx_http(lists={"job_templates/": [{"id": 4, "name": "Deploy"}]})
    assert lookup("job_templates", query_params={"name": "Deploy"}, expect_one=True) == [{"id": 4, "name": "Deploy"}]


def test_expect_objects_alias(lookup, awx_http):
    awx_http(lists={"hosts/": []})
    with pytest.raises(AnsibleLookupError, match="at least one object"):
        lookup("hosts", expect_object=True)


def test_return_ids_and_fields(lookup, awx_http):
    awx_http(lists={"hosts/": hosts(3)})
    assert lookup("hosts", return_ids=True) == [1, 2, 3]
    assert lookup("hosts", fields=["name"]) == [{"name": "host-0000"}, {"name": "host-0001"}, {"name": "host-0002"}]


def test_return_all_false_reads_one_page(lookup, awx_http):
    awx = awx_http(lists={"hosts/": hosts(30)})
    assert [h["id"] for h in lookup("hosts", return_all=False, page_size=3)] == [1, 2, 3]
    assert awx.api_requests() == [("/api/v2/hosts/", [("page_size", "3")])]


def test_detail_endpoint_returns_the_object(lookup, awx_http):
    inventory = {"id": 7, "name": "prod", "organization": 1}
    awx = awx_http(details={"inventories/prod++Default/": inventory, "settings/system/": {"A": True}})
    assert lookup("inventories/prod++Default") == [inventory]
    assert lookup(["settings/system", "/api/v2/inventories/prod++Default/"]) == [{"A": True}, inventory]
    assert [path for path, _pairs in awx.api_requests()] == [
        "/api/v2/inventories/prod++Default/", "/api/v2/settings/system/", "/api/v2/inventories/prod++Default/"]


def test_several_terms_are_concatenated(lookup, awx_http):
    awx_http(lists={"hosts/": hosts(2), "groups/": [{"id": 9, "name": "g"}]})
    assert lookup(["hosts", "groups"], return_ids=True) == [1, 2, 9]


def test_or_filters_become_repeated_parameters(lookup, awx_http):
    awx = awx_http(lists={"hosts/": hosts(1)})
    lookup("hosts", query_params={"or__name": ["a", "b"], "enabled": True, "inventory__name": "prod"})
    pairs = awx.api_requests()[0][1]
    assert ("or__name", "a") in pairs and ("or__name", "b") in pairs
    assert ("enabled", "true") in pairs and ("inventory__name", "prod") in pairs


def test_http_errors_become_one_line_lookup_errors(lookup, awx_http):
    awx_http(errors={"hosts/": (400, {"error": "Host has no field named 'nosuch'"})})
    with pytest.raises(AnsibleLookupError) as caught:
        lookup("hosts", query_params={"nosuch": 1})
    message = str(caught.value)
    assert "GET /api/v2/hosts/" in message and "400" in message and "Host has no field named 'nosuch'" in message
    assert "\n" not in message


def test_not_found(lookup, awx_http):
    awx_http()
    with pytest.raises(AnsibleLookupError, match="404"):
        lookup("inventories/nosuch++Default")


def test_configuration_errors_become_lookup_errors_and_never_show_the_token(lookup, awx_http):
    awx = awx_http()
    with pytest.raises(AnsibleLookupError) as caught:
        lookup("hosts", controller_host="ftp://awx.example.com")
    assert "controller_host" in str(caught.value) and TOKEN not in str(caught.value)
    with pytest.raises(AnsibleLookupError, match="page_size"):
        lookup("hosts", page_size=500)
    assert awx.requests == []  # refused before any request


def test_connection_options_come_from_variables(plugin_loaders, awx_http):
    awx = awx_http(lists={"hosts/": hosts(1)})
    plugin = plugin_loaders[0].get("gitops.awx.api")
    result = plugin.run(["hosts"], variables={"controller_host": HOST, "controller_oauthtoken": "from-vars"})
    assert len(result) == 1
    assert "Bearer from-vars" in awx.authorizations


def test_connection_options_come_from_the_environment(plugin_loaders, awx_http, monkeypatch):
    monkeypatch.setenv("CONTROLLER_HOST", HOST)
    monkeypatch.setenv("CONTROLLER_OAUTH_TOKEN", "from-env")
    awx = awx_http(lists={"hosts/": hosts(1)})
    plugin = plugin_loaders[0].get("gitops.awx.api")
    assert len(plugin.run(["hosts"], variables={})) == 1
    assert "Bearer from-env" in awx.authorizations


def test_client_warnings_are_shown_without_secrets(lookup, awx_http, capfd):
    awx = awx_http(lists={"hosts/": hosts(1)})
    assert len(lookup("hosts", controller_username="admin", controller_password="s3cret-pw")) == 1
    err = capfd.readouterr().err
    assert "the token is used" in err and "s3cret-pw" not in err
    assert set(awx.api_authorizations()) == {"Bearer " + TOKEN}
