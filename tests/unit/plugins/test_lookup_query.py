"""The lookup's query logic against a fake client (no HTTP, no Ansible)."""
import pytest

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError, NotFound, ResourceError
from ansible_collections.gitops.awx.plugins.plugin_utils._lookup_query import (
    QueryOptions,
    describe_query,
    run_query,
    split_endpoint,
)


def hosts(n):
    return [{"id": i + 1, "name": "host-%04d" % i, "variables": "", "enabled": True} for i in range(n)]


def test_all_pages_are_returned_with_pages_of_200(fake_client):
    client = fake_client(lists={"hosts/": hosts(1000)})
    result = run_query(client, "hosts", QueryOptions())
    assert [h["name"] for h in result] == ["host-%04d" % i for i in range(1000)]
    assert client.request_count == 5
    assert all(params["page_size"] in ("200", 200) for _path, params in client.requests)


def test_max_objects_fails_after_the_first_page_instead_of_truncating(fake_client):
    client = fake_client(lists={"hosts/": hosts(450)})
    with pytest.raises(ResourceError) as caught:
        run_query(client, "hosts", QueryOptions(max_objects=400, query_params={"name__startswith": "host"}))
    message = str(caught.value)
    assert "450" in message and "max_objects=400" in message and "name__startswith=host" in message
    assert client.request_count == 1


def test_max_objects_equal_to_count_passes(fake_client):
    client = fake_client(lists={"hosts/": hosts(400)})
    assert len(run_query(client, "hosts", QueryOptions(max_objects=400))) == 400


def test_return_all_false_reads_one_page_of_page_size(fake_client):
    client = fake_client(lists={"hosts/": hosts(50)})
    result = run_query(client, "hosts", QueryOptions(return_all=False, page_size=5))
    assert [h["id"] for h in result] == [1, 2, 3, 4, 5]
    assert client.requests == [("hosts/", {"page_size": "5"})]


@pytest.mark.parametrize("matches", [0, 2])
def test_expect_one_names_the_count_and_the_query(matches, fake_client):
    client = fake_client(lists={"hosts/": hosts(matches)})
    with pytest.raises(ResourceError) as caught:
        run_query(client, "hosts", QueryOptions(expect_one=True, query_params={"name": "web"}))
    assert str(caught.value) == "expected exactly one object from hosts/?name=web, found %d" % matches
    assert client.request_count == 1


def test_expect_one_with_one_match_returns_it(fake_client):
    client = fake_client(lists={"hosts/": hosts(1)})
    assert run_query(client, "hosts", QueryOptions(expect_one=True)) == hosts(1)


def test_expect_objects_fails_on_no_match_only(fake_client):
    with pytest.raises(ResourceError, match="at least one object from hosts/"):
        run_query(fake_client(lists={"hosts/": []}), "hosts", QueryOptions(expect_objects=True))
    assert len(run_query(fake_client(lists={"hosts/": hosts(3)}), "hosts", QueryOptions(expect_objects=True))) == 3


def test_return_ids_are_integers(fake_client):
    client = fake_client(lists={"hosts/": hosts(3)})
    assert run_query(client, "hosts", QueryOptions(return_ids=True)) == [1, 2, 3]


def test_fields_keep_only_those_keys(fake_client):
    client = fake_client(lists={"hosts/": hosts(2)})
    result = run_query(client, "hosts", QueryOptions(fields=["id", "name", "nosuch"]))
    assert result == [{"id": 1, "name": "host-0000"}, {"id": 2, "name": "host-0001"}]


def test_detail_endpoint_returns_the_object_itself(fake_client):
    settings = {"ACTIVITY_STREAM_ENABLED": True, "TOWER_URL_BASE": "https://awx"}
    client = fake_client(details={"settings/system/": settings})
    assert run_query(client, "settings/system", QueryOptions(expect_one=True)) == [settings]


def test_detail_endpoint_with_fields_and_ids(fake_client):
    inventory = {"id": 7, "name": "prod", "organization": 1, "variables": ""}
    client = fake_client(details={"inventories/prod++Default/": inventory})
    assert run_query(client, "inventories/prod++Default", QueryOptions(fields=["id", "name"])) == [
        {"id": 7, "name": "prod"}]
    assert run_query(client, "inventories/prod++Default/", QueryOptions(return_ids=True)) == [7]


def test_return_ids_on_objects_without_id_fails_clearly(fake_client):
    client = fake_client(details={"settings/system/": {"A": 1}})
    with pytest.raises(ResourceError, match="without an id"):
        run_query(client, "settings/system", QueryOptions(return_ids=True))


def test_bare_list_answer_returns_its_elements(fake_client):
    client = fake_client(details={"projects/5/playbooks/": ["a.yml", "b.yml"]})
    assert run_query(client, "projects/5/playbooks", QueryOptions()) == ["a.yml", "b.yml"]


def test_http_errors_propagate_typed(fake_client):
    with pytest.raises(NotFound):
        run_query(fake_client(), "nosuch", QueryOptions())


def test_split_endpoint_merges_the_term_query_and_query_params():
    path, params = split_endpoint("/hosts?name=a&or__name=b&or__name=c",
                                  {"enabled": False, "skip": None, "or__id": [1, 2], "name": "z"})
    assert path == "hosts/"
    assert params == {"name": "z", "or__name": ["b", "c"], "enabled": "false", "or__id": ["1", "2"]}


def test_absolute_paths_are_kept():
    assert split_endpoint("/api/v2/hosts/3/groups/")[0] == "/api/v2/hosts/3/groups/"


@pytest.mark.parametrize("term", ["", "  ", None, 3])
def test_bad_terms_are_configuration_errors(term):
    with pytest.raises(ConfigurationError):
        split_endpoint(term)


@pytest.mark.parametrize("kwargs", [{"page_size": 0}, {"page_size": 201}, {"max_objects": -1},
                                    {"query_params": ["name", "x"]}])
def test_bad_options_are_configuration_errors(kwargs):
    with pytest.raises(ConfigurationError):
        QueryOptions(**kwargs)


def test_describe_query_is_stable():
    assert describe_query("hosts/", {"b": "2", "a": ["x", "y"]}) == "hosts/?a=x&a=y&b=2"
    assert describe_query("hosts/", {}) == "hosts/"


def test_objects_added_while_reading_still_do_not_truncate(fake_client):
    objects = hosts(400)

    def growing(params):
        if params.get("page") in (None, 1, "1"):
            return objects
        return objects + hosts(200)  # the list grew between page 1 and page 2

    client = fake_client(lists={"hosts/": growing})
    with pytest.raises(ResourceError, match="grew past max_objects=400"):
        run_query(client, "hosts", QueryOptions(max_objects=400))
