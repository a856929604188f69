# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resolve references (name, named URL or id -> id) without N+1 requests.

Rules, the same for every reference:

- an ``int`` is an id; it is checked with one ``GET <endpoint>/<id>/``;
- a string with ``++`` is an AWX named URL (``prod++Default``): one
  ``GET <endpoint>/<named-url>/``;
- any other string is a name, looked up with one filtered list request within
  its scope (``GET inventories/?name=prod&organization__name=Default``).  A
  numeric string is a name first; only when no object has that name is it
  taken as an id;
- several matches fail with the candidates listed; nothing is ever picked;
- lists of references are resolved with one ``name__in=`` request (plus one
  ``id__in=`` request when ids are given), never one GET per name; lists that
  share an endpoint (an organization's four notification template lists) are
  looked up together.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import NotFound, ResourceError

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2
    from urllib import quote

_MAX_CANDIDATES = 5
_FIND_PAGE_SIZE = 10
# Characters of one ``__in`` value: URLs stay well under the 8 KB many proxies allow.
_MAX_IN_CHARS = 3000


def is_named_url(value):
    return isinstance(value, str) and "++" in value


def is_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def scope_filters(prefix, scope_values):
    """Filters that restrict a lookup to its scope.

    ``scope_values`` maps a scope option (``organization``) to the user's value:
    an int filters by id, a string by name (``organization__name=Default``).
    ``prefix`` is ``""`` for a direct lookup or ``"inventory__"`` when the scope
    is reached through a related field.
    """
    filters = {}
    for option, value in scope_values.items():
        if value is None:
            continue
        if is_id(value):
            filters[prefix + option] = value
        else:
            filters[prefix + option + "__name"] = value
    return filters


def describe_scope(scope_values):
    parts = ["%s '%s'" % (option, value) for option, value in scope_values.items()
             if value is not None]
    return (" in " + " and ".join(parts)) if parts else ""


def describe_candidate(obj, scope_fields=()):
    """``web1 (id 5, inventory 'prod' id 3, organization 1)``: enough to tell matches apart."""
    summary = obj.get("summary_fields") or {}
    parts = ["id %s" % obj.get("id")]
    for field in scope_fields:
        related = summary.get(field) or {}
        if related.get("name") is not None:
            parts.append("%s '%s' id %s" % (field, related.get("name"), obj.get(field)))
        elif obj.get(field) is not None:
            parts.append("%s %s" % (field, obj.get(field)))
        if related.get("organization_id") is not None and field != "organization":
            parts.append("organization %s" % related["organization_id"])
    if "organization" not in scope_fields:
        org = summary.get("organization") or {}
        if org.get("name") is not None:
            parts.append("organization '%s'" % org["name"])
    return "%s (%s)" % (obj.get("name"), ", ".join(parts))


def ambiguity_error(resource, value, count, candidates, scope_fields=(), where=""):
    shown = "; ".join(describe_candidate(c, scope_fields) for c in candidates[:_MAX_CANDIDATES])
    more = "" if count <= _MAX_CANDIDATES else "; and %d more" % (count - _MAX_CANDIDATES)
    return ResourceError("%s '%s'%s is ambiguous: %d matches: %s%s; narrow it with a scope "
                         "option, a named URL or an id" % (resource, value, where, count, shown, more))


def _get_or_none(client, path):
    try:
        return client.get(path)
    except NotFound:
        return None


def named_url_path(endpoint, value):
    # A named URL is a path segment: keep '+' (AWX's separator), quote the rest.
    return "%s%s/" % (endpoint, quote(str(value), safe="+"))


def resolve_reference(client, ref, value, scope_values=None, extra_filters=None):
    """The object that ``value`` names, as AWX returns it; raises ``ResourceError``.

    ``ref`` needs ``endpoint`` and ``resource``; ``scope_values`` restricts a name
    lookup (``{"organization": "Default"}``).
    """
    scope_values = dict(scope_values or {})
    where = describe_scope(scope_values)
    if is_id(value):
        obj = _get_or_none(client, "%s%d/" % (ref.endpoint, value))
        if obj is None:
            raise ResourceError("%s with id %d not found" % (ref.resource, value))
        return obj
    if is_named_url(value):
        obj = _get_or_none(client, named_url_path(ref.endpoint, value))
        if obj is None:
            raise ResourceError("%s '%s' not found (named URL)" % (ref.resource, value))
        return obj
    params = {"name": value, "page_size": _FIND_PAGE_SIZE}
    params.update(scope_filters("", scope_values))
    params.update(getattr(ref, "filters", None) or {})
    params.update(extra_filters or {})
    page = client.get(ref.endpoint, params=params)
    results = page.get("results") or []
    count = page.get("count", len(results))
    if count > 1:
        raise ambiguity_error(ref.resource, value, count, results, where=where)
    if results:
        return results[0]
    if value.strip().isdigit():
        obj = _get_or_none(client, "%s%d/" % (ref.endpoint, int(value)))
        if obj is not None:
            return obj
    raise ResourceError("%s '%s' not found%s" % (ref.resource, value, where))


def _batches(values, max_chars=_MAX_IN_CHARS):
    """Split values into comma-joined batches short enough for one query string."""
    batch, size = [], 0
    for value in values:
        if batch and size + len(value) + 1 > max_chars:
            yield batch
            batch, size = [], 0
        batch.append(value)
        size += len(value) + 1
    if batch:
        yield batch


def _objects_by_name(client, ref, names):
    """``{name: [objects]}`` for the names, with one ``name__in=`` request per batch.

    ``__in`` splits on commas, so a name that contains one is looked up alone
    with ``name=``; long lists are cut so that no URL grows past a proxy's limit.
    """
    by_name = {}
    plain = sorted(set(n for n in names if "," not in n))
    queries = [{"name__in": ",".join(batch)} for batch in _batches(plain)]
    queries += [{"name": n} for n in sorted(set(n for n in names if "," in n))]
    for params in queries:
        params.update(ref.filters)
        for obj in client.list(ref.endpoint, params=params):
            by_name.setdefault(obj["name"], []).append(obj)
    return by_name


def lookup_reference_values(client, ref, values):
    """``{value: [matching objects]}`` for a list of references, in few requests.

    One ``GET <endpoint>?name__in=a,b`` for the names (all pages; batched when
    long), one ``id__in=`` request for ids and for numeric strings that matched
    no name, one GET per named URL.  A name may match several objects (names
    are often unique only within an organization): all are kept, for the
    caller to choose with :func:`pick_reference`.  Unknown values map to ``[]``.
    """
    names = [v for v in values if not is_id(v) and not is_named_url(v)]
    by_name = _objects_by_name(client, ref, names) if names else {}
    wanted_ids = set(v for v in values if is_id(v))
    wanted_ids.update(int(v) for v in names if v not in by_name and v.strip().isdigit())
    by_id = {}
    if wanted_ids:
        params = {"id__in": ",".join(str(i) for i in sorted(wanted_ids))}
        params.update(ref.filters)
        for obj in client.list(ref.endpoint, params=params):
            by_id[obj["id"]] = obj
    found = {}
    for value in values:
        if value in found:
            continue
        if is_named_url(value):
            obj = _get_or_none(client, named_url_path(ref.endpoint, value))
            found[value] = [obj] if obj is not None else []
        elif is_id(value):
            found[value] = [by_id[value]] if value in by_id else []
        elif value in by_name:
            found[value] = by_name[value]
        elif value.strip().isdigit() and int(value) in by_id:
            found[value] = [by_id[int(value)]]
        else:
            found[value] = []
    return found


def pick_reference(ref, value, matches, prefer=None):
    """The one object among ``matches`` for ``value``; None when there is none.

    Several matches are narrowed by ``prefer`` (``{"organization": 3}``: the
    object whose fields have these values); when that leaves anything but one,
    the ambiguity fails with the candidates listed.
    """
    if len(matches) <= 1:
        return matches[0] if matches else None
    if prefer:
        narrowed = [obj for obj in matches
                    if all(obj.get(key) == wanted for key, wanted in prefer.items())]
        if len(narrowed) == 1:
            return narrowed[0]
    raise ambiguity_error(ref.resource, value, len(matches), matches,
                          scope_fields=("organization",))


def resolve_reference_list(client, ref, values, prefer=None, found=None):
    """Resolve a list of references to ``[(id, name), ...]`` in the given order.

    ``found`` is what :func:`lookup_reference_values` answered when the caller
    already looked the values up (several lists sharing one endpoint are looked
    up together); otherwise the lookup happens here.  A name matching several
    objects is settled by ``prefer`` or fails; unknown entries fail together in
    one message; an object given twice (say, by name and by id) is kept once,
    at its first place.
    """
    if found is None:
        found = lookup_reference_values(client, ref, values)
    resolved, missing, seen = [], [], set()
    for value in values:
        obj = pick_reference(ref, value, found.get(value) or [], prefer)
        if obj is None:
            missing.append(str(value))
        elif obj["id"] not in seen:
            seen.add(obj["id"])
            resolved.append((obj["id"], obj.get("name")))
    if missing:
        raise ResourceError("%s not found: %s" % (ref.resource, ", ".join("'%s'" % m for m in missing)))
    return resolved
