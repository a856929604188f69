"""Fakes for the lookup and inventory tests.

``FakeClient`` stands in for ``_client.Client`` in the pure query/reader tests: it serves
canned list endpoints with AWX's pagination (count, next as a host-relative path with page
and page_size kept, 25 by default, 200 at most) and records every GET.  ``FakeAWXHTTP``
serves the same routes over HTTP through ``responses`` for the tests that load the real
plugins with Ansible's loaders and the real client."""
import json
import re
import sys
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import responses

from ansible_collections.gitops.awx.plugins.module_utils._errors import HTTPError, error_from_response

API = "/api/v2/"


class FakeClient:
    def __init__(self, lists=None, details=None, errors=None):
        self.lists = dict(lists or {})        # 'hosts/' -> list of objects, or callable(params) -> list
        self.details = dict(details or {})    # 'settings/system/' -> body, or callable(params) -> body
        self.errors = dict(errors or {})      # 'inventories/3/script/' -> (status, body)
        self.requests = []

    @property
    def request_count(self):
        return len(self.requests)

    def _split(self, path, params):
        if path.startswith(API):
            path = path[len(API):]
        parts = urlsplit(path)
        merged = dict(parse_qsl(parts.query))
        merged.update(dict(params or {}))
        assert not (parts.query and params), "a query string and params together would repeat parameters"
        return parts.path, merged

    def get(self, path, params=None):
        path, params = self._split(path, params)
        self.requests.append((path, dict(params)))
        if path in self.errors:
            status, body = self.errors[path]
            raise error_from_response("GET", API + path, status, body)
        if path in self.details:
            body = self.details[path]
            return body(params) if callable(body) else body
        if path not in self.lists:
            raise error_from_response("GET", API + path, 404, {"detail": "Not found."})
        objects = self.lists[path]
        if callable(objects):
            objects = objects(params)
        size = min(int(params.get("page_size", 25)), 200)
        page = int(params.get("page", 1))
        start = (page - 1) * size
        results = objects[start:start + size]
        following = None
        if start + size < len(objects):
            query = dict(params, page=page + 1, page_size=size)
            following = API + path + "?" + urlencode(sorted(query.items()))
        return {"count": len(objects), "next": following, "previous": None, "results": results}

    def iter_objects(self, path, params=None, max_objects=None):
        while path:
            page = self.get(path, params)
            yield from page["results"]
            path, params = page["next"], None


@pytest.fixture
def fake_client():
    """The FakeClient class (tests build one with the lists and details they need)."""
    return FakeClient


# --- the HTTP seam: the real Client talking to ``responses`` -------------------------

HOST = "https://awx.example.com"
TOKEN = "unit-test-token"


class FakeAWXHTTP:
    """Answers every GET under ``HOST/api/`` through a FakeClient's routes, at the HTTP
    level, so the real plugins and the real Client are what is tested.  ``requests``
    records (path, [(key, value), ...]) for each GET, discovery included."""

    def __init__(self, rsps, lists=None, details=None, errors=None):
        self.routes = FakeClient(lists=lists, details=details, errors=errors)
        self.requests = []
        self.authorizations = []
        rsps.add_callback(responses.GET, re.compile(re.escape(HOST) + r"/api/.*"), callback=self._answer)

    @property
    def lists(self):
        return self.routes.lists

    @property
    def details(self):
        return self.routes.details

    @property
    def errors(self):
        return self.routes.errors

    def _answer(self, request):
        parts = urlsplit(request.url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        self.requests.append((parts.path, pairs))
        self.authorizations.append(request.headers.get("Authorization"))
        headers = {"Content-Type": "application/json"}
        if parts.path == "/api/":
            return 200, headers, json.dumps({"available_versions": {"v2": "/api/v2/"}, "current_version": "/api/v2/"})
        try:
            body = self.routes.get(parts.path, dict(pairs))
        except HTTPError as error:
            return error.status, headers, json.dumps(error.body)
        return 200, headers, json.dumps(body)

    def api_requests(self):
        """The GETs under /api/v2/ (the client's API discovery, when it asks, left out)."""
        return [(path, pairs) for path, pairs in self.requests if path != "/api/"]

    def api_authorizations(self):
        """The Authorization header of each GET under /api/v2/."""
        return [auth for (path, _pairs), auth in zip(self.requests, self.authorizations) if path != "/api/"]


@pytest.fixture
def awx_http():
    """awx_http(lists=..., details=..., errors=...) -> FakeAWXHTTP, active for the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield lambda **routes: FakeAWXHTTP(rsps, **routes)


@pytest.fixture(scope="session")
def plugin_loaders():
    """Ansible's real plugin loaders with this checkout as the collection gitops.awx."""
    from ansible.plugins.loader import init_plugin_loader, inventory_loader, lookup_loader
    from tests.conftest import COLLECTIONS_PATH

    package = sys.modules.get("ansible_collections.gitops.awx")
    if package is not None and getattr(package, "_collection_meta", None) is None:
        # Other test modules imported the checkout through sys.path before Ansible's
        # collection finder was installed: the collection package and the namespace
        # packages (plugins/, doc_fragments/, ...) then lack what the finder attaches
        # on import, and plugin loading fails.  Forget those packages (not the leaf
        # modules, which stay shared) so that the finder imports them again.
        for name in list(sys.modules):
            module = sys.modules[name]
            if name in ("ansible_collections", "ansible_collections.gitops", "ansible_collections.gitops.awx") or (
                    name.startswith("ansible_collections.gitops.awx.") and getattr(module, "__file__", None) is None):
                del sys.modules[name]
    init_plugin_loader([COLLECTIONS_PATH])
    return lookup_loader, inventory_loader
