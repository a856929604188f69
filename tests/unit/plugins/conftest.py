"""A stand-in for ``_client.Client`` for the pure query/reader tests: it serves
canned list endpoints with AWX's pagination (count, next as a host-relative path
with page and page_size kept, 25 by default, 200 at most) and records every GET."""
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from ansible_collections.gitops.awx.plugins.module_utils._errors import error_from_response

API = "/api/v2/"


class FakeClient:
    def __init__(self, lists=None, details=None, errors=None):
        self.lists = dict(lists or {})        # 'hosts/' -> list of objects, or callable(params) -> list
        self.details = dict(details or {})    # 'settings/system/' -> body
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
            return self.details[path]
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
            for item in page["results"]:
                yield item
            path, params = page["next"], None


@pytest.fixture
def fake_client():
    """The FakeClient class (tests build one with the lists and details they need)."""
    return FakeClient
