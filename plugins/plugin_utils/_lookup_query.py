# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The query behind the ``gitops.awx.api`` lookup, free of Ansible.

``run_query(client, endpoint, QueryOptions(...))`` reads one endpoint and
returns a list: the objects of a list endpoint (every page by default), the
object itself for a detail endpoint, the elements of a bare JSON list.  The
guards (``max_objects``, ``expect_one``, ``expect_objects``) fail with an
``AWXError`` before reading more pages than they need: the first page already
carries AWX's ``count``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError, ResourceError

from urllib.parse import parse_qsl, urlencode

DEFAULT_MAX_OBJECTS = 10000
MAX_PAGE_SIZE = 200


class QueryOptions:
    """What the user asked for; defaults mirror the lookup's documented defaults."""

    def __init__(self, query_params=None, return_all=True, max_objects=DEFAULT_MAX_OBJECTS,
                 page_size=MAX_PAGE_SIZE, expect_one=False, expect_objects=False,
                 return_ids=False, fields=None):
        self.query_params = query_params or {}
        self.return_all = return_all
        self.max_objects = max_objects
        self.page_size = page_size
        self.expect_one = expect_one
        self.expect_objects = expect_objects
        self.return_ids = return_ids
        self.fields = list(fields) if fields else None
        self._validate()

    def _validate(self):
        if not isinstance(self.query_params, dict):
            raise ConfigurationError("query_params must be a dictionary of filters, not %s"
                                     % type(self.query_params).__name__)
        if self.max_objects is not None and self.max_objects < 0:
            raise ConfigurationError("max_objects must be 0 or more, not %s" % self.max_objects)
        if self.page_size is not None and not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise ConfigurationError("page_size must be between 1 and %d (AWX's maximum), not %s"
                                     % (MAX_PAGE_SIZE, self.page_size))


def _query_value(value):
    """AWX's filters read booleans as ``true``/``false``; Python would send ``True``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def normalize_params(params):
    """A dict for ``requests``: a list value becomes a repeated parameter
    (``or__name: [a, b]`` -> ``or__name=a&or__name=b``); ``None`` is not sent."""
    result = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            result[str(key)] = [_query_value(item) for item in value if item is not None]
        else:
            result[str(key)] = _query_value(value)
    return result


def split_endpoint(term, query_params=None):
    """``'hosts?name=x'`` and ``{'enabled': True}`` -> (``'hosts/'``, ``{'name': 'x', 'enabled': 'true'}``).

    A term is relative to the API root (``hosts``, ``inventories/prod++Default``,
    ``settings/system``) or an absolute ``/api/...`` path (an object's ``url``).
    Parameters in ``query_params`` win over the same name in the term.
    """
    if not isinstance(term, str) or not term.strip():
        raise ConfigurationError("each term must be an API endpoint such as 'hosts' or "
                                 "'inventories/prod++Default', not %r" % (term,))
    path, _sep, query = term.strip().partition("?")
    if not path.startswith("/api/"):
        path = path.lstrip("/")
    if not path.endswith("/"):
        path += "/"
    params = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key in params:
            existing = params[key]
            params[key] = (existing if isinstance(existing, list) else [existing]) + [value]
        else:
            params[key] = value
    params.update(normalize_params(query_params or {}))
    return path, params


def describe_query(path, params):
    """``hosts/?name__startswith=web`` for messages (sorted, so messages are stable)."""
    if not params:
        return path
    pairs = []
    for key in sorted(params):
        value = params[key]
        for item in (value if isinstance(value, list) else [value]):
            pairs.append((key, item))
    return "%s?%s" % (path, urlencode(pairs))


def is_list_page(body):
    return isinstance(body, dict) and isinstance(body.get("results"), list) and "count" in body


def _project(item, fields):
    if fields is None or not isinstance(item, dict):
        return item
    return dict((key, item[key]) for key in fields if key in item)


def _object_id(item, where):
    if not isinstance(item, dict) or "id" not in item:
        raise ResourceError("return_ids: %s answered an item without an id" % where)
    return item["id"]


def _check_count(count, options, where):
    """Fail on AWX's total ``count`` before any further page is read."""
    if options.expect_one and count != 1:
        raise ResourceError("expected exactly one object from %s, found %d" % (where, count))
    if options.expect_objects and count == 0:
        raise ResourceError("expected at least one object from %s, found none" % where)
    if options.return_all and options.max_objects is not None and count > options.max_objects:
        raise ResourceError(
            "%s matches %d objects, more than max_objects=%d; narrow query_params or raise max_objects "
            "(nothing is returned rather than a silently truncated list)" % (where, count, options.max_objects))


def _list_items(client, first_page, options, where):
    _check_count(first_page["count"], options, where)
    yield from first_page["results"]
    if not options.return_all or not first_page.get("next"):
        return
    # The first page told us the count; the client's paginator reads the rest
    # lazily from AWX's ``next`` link.  Its query string (page, page_size and
    # the filters) is handed over as parameters so that nothing is sent twice.
    next_path, _sep, next_query = first_page["next"].partition("?")
    seen = len(first_page["results"])
    for item in client.iter_objects(next_path, parse_qsl(next_query, keep_blank_values=True)):
        seen += 1
        if options.max_objects is not None and seen > options.max_objects:
            # Objects were added while we were reading: still no silent truncation.
            raise ResourceError("%s grew past max_objects=%d while it was being read"
                                % (where, options.max_objects))
        yield item


def run_query(client, term, options):
    """Read one endpoint; return a list of objects (or ids, or projected objects)."""
    path, params = split_endpoint(term, options.query_params)
    where = describe_query(path, params)
    request_params = dict(params)
    request_params.setdefault("page_size", str(options.page_size if options.page_size else MAX_PAGE_SIZE))
    body = client.get(path, params=request_params)

    if is_list_page(body):
        items = _list_items(client, body, options, where)
    elif isinstance(body, list):
        # e.g. projects/<id>/playbooks/ answers a bare JSON list.
        _check_count(len(body), options, where)
        items = iter(body)
    else:
        # A detail endpoint: the object itself (counts as exactly one).
        _check_count(1 if body not in (None, "") else 0, options, where)
        items = iter([body] if body not in (None, "") else [])

    if options.return_ids:
        return [_object_id(item, where) for item in items]
    return [_project(item, options.fields) for item in items]
