"""Pagination: page_size=200, relative `next`, laziness, the max_objects guard."""
import pytest
import responses
from responses import matchers

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError

from test_client_support import API, HOST, make_client, page


def hosts(start, stop):
    return [{"id": i, "name": "h%03d" % i} for i in range(start, stop)]


def three_pages():
    """205 hosts as AWX pages them at page_size=200, plus a third tiny page."""
    responses.get(API + "hosts/", match=[matchers.query_string_matcher("inventory=4&page_size=200")],
                  json=page(hosts(0, 200), "/api/v2/hosts/?inventory=4&page=2&page_size=200", count=203))
    responses.get(API + "hosts/", match=[matchers.query_string_matcher("inventory=4&page=2&page_size=200")],
                  json=page(hosts(200, 202), "/api/v2/hosts/?inventory=4&page=3&page_size=200", count=203))
    responses.get(API + "hosts/", match=[matchers.query_string_matcher("inventory=4&page=3&page_size=200")],
                  json=page(hosts(202, 203), None, count=203))


@responses.activate
def test_pages_follow_relative_next_with_page_size_200():
    three_pages()
    client = make_client()
    pages = list(client.pages("hosts/", {"inventory": 4}))
    assert [len(p["results"]) for p in pages] == [200, 2, 1]
    assert [c.request.url for c in responses.calls] == [
        API + "hosts/?inventory=4&page_size=200",
        HOST + "/api/v2/hosts/?inventory=4&page=2&page_size=200",
        HOST + "/api/v2/hosts/?inventory=4&page=3&page_size=200",
    ]
    assert client.request_count == 3


@responses.activate
def test_explicit_page_size_is_kept():
    responses.get(API + "hosts/", match=[matchers.query_string_matcher("page_size=10")], json=page(hosts(0, 3)))
    assert len(make_client().list("hosts/", {"page_size": 10})) == 3


@responses.activate
def test_pages_are_lazy():
    three_pages()
    client = make_client()
    iterator = client.iter_objects("hosts/", {"inventory": 4})
    assert client.request_count == 0
    first = next(iterator)
    assert first["name"] == "h000"
    assert client.request_count == 1
    for _round in range(199):
        next(iterator)
    assert client.request_count == 1
    next(iterator)
    assert client.request_count == 2


@responses.activate
def test_list_materialises_every_page():
    three_pages()
    objects = make_client().list("hosts/", {"inventory": 4})
    assert [o["id"] for o in objects] == list(range(203))


@responses.activate
def test_max_objects_guard_raises_instead_of_truncating():
    three_pages()
    client = make_client()
    with pytest.raises(ResourceError) as info:
        client.list("hosts/", {"inventory": 4}, max_objects=100)
    assert str(info.value) == ("GET /api/v2/hosts/?inventory=4 matched 203 objects, more than max_objects=100")
    assert client.request_count == 1  # decided on the first page's count


@responses.activate
def test_max_objects_equal_to_count_is_fine():
    three_pages()
    assert len(make_client().list("hosts/", {"inventory": 4}, max_objects=203)) == 203


@responses.activate
def test_max_objects_checked_again_when_the_count_grows_mid_listing():
    responses.get(API + "hosts/", json=page(hosts(0, 2), "/api/v2/hosts/?page=2&page_size=200", count=3))
    responses.get(HOST + "/api/v2/hosts/?page=2&page_size=200", json=page(hosts(2, 4), None, count=5))
    with pytest.raises(ResourceError):
        make_client().list("hosts/", max_objects=3)


@responses.activate
def test_bare_list_is_one_page():
    responses.get(API + "projects/7/playbooks/", json=["a.yml", "b.yml"])
    assert make_client().list("projects/7/playbooks/") == ["a.yml", "b.yml"]


@responses.activate
def test_an_object_is_not_a_list():
    responses.get(API + "hosts/3/", json={"id": 3, "name": "x"})
    with pytest.raises(ResourceError) as info:
        make_client().list("hosts/3/")
    assert "did not return a list" in str(info.value)


@responses.activate
def test_a_looping_next_link_stops():
    responses.get(API + "hosts/", json=page(hosts(0, 1), "/api/v2/hosts/?page=2&page_size=200", count=9))
    responses.get(HOST + "/api/v2/hosts/?page=2&page_size=200",
                  json=page(hosts(1, 2), "/api/v2/hosts/?page=2&page_size=200", count=9))
    with pytest.raises(ResourceError) as info:
        make_client().list("hosts/")
    assert "loops" in str(info.value)


@responses.activate
def test_empty_list():
    responses.get(API + "hosts/", json=page([]))
    assert make_client().list("hosts/", {"name": "nothing"}) == []
