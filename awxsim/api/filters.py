"""AWX's query-string filtering: field lookups, ``or__``/``not__``/``chain__``, ``order_by``,
``search``.

Errors are the bodies AWX answers: 400 ``{"error": "Host has no field named 'x'"}``,
403 for password filters.
"""
import json
import re

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from rest_framework import exceptions

from awxsim.api.protocol import bad_request

RESERVED = {"page", "page_size", "format", "order", "order_by", "search", "type", "fields",
            "count_disabled", "no_truncate", "limit", "host_filter", "_"}
LOOKUPS = {"exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith",
           "iendswith", "in", "gt", "gte", "lt", "lte", "isnull", "regex", "iregex", "search"}
SECRET_NAMES = {"password", "token_hash", "inputs"}
TRUE = {"true", "1", "t", "yes", "on"}
FALSE = {"false", "0", "f", "no", "off", ""}


def _to_bool(value):
    lowered = str(value).strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise bad_request({"error": json.dumps(["\u201c%s\u201d value must be either True or False." % value],
                                           ensure_ascii=False)})


def _walk(model, parts):
    """Resolve field parts on a model: (orm path, last field, lookup or None, distinct)."""
    path, field, lookup, distinct = [], None, None, False
    current = model
    for index, part in enumerate(parts):
        if part in SECRET_NAMES or part.startswith("password"):
            raise exceptions.PermissionDenied("Filtering on %s is not allowed." % part)
        if field is not None and not field.is_relation:
            if part in LOOKUPS and index == len(parts) - 1:
                lookup = part
                break
            raise bad_request({"error": "No related model for field %s." % part})
        if field is not None and field.is_relation and part in LOOKUPS and index == len(parts) - 1:
            lookup = part
            break
        if part == "pk":
            part = "id"
        try:
            field = current._meta.get_field(part)
        except FieldDoesNotExist:
            raise bad_request({"error": "%s has no field named '%s'"
                                        % (current._meta.object_name, part)})
        path.append(part)
        if field.is_relation:
            if field.many_to_many or field.one_to_many:
                distinct = True
            current = field.related_model
    return path, field, lookup, distinct


def _convert(field, value, lookup):
    if lookup == "isnull":
        return _to_bool(value)
    if lookup in ("regex", "iregex"):
        try:
            re.compile(value)
        except re.error as exc:
            raise bad_request({"error": "Invalid regex: %s" % exc})
        return value
    if lookup == "in":
        return [_convert(field, item, None) for item in value.split(",")]
    target = field
    if field.is_relation:
        target = getattr(field, "target_field", None) or field.related_model._meta.pk
    if isinstance(target, models.BooleanField):
        return _to_bool(value)
    if lookup in ("contains", "icontains", "startswith", "istartswith", "endswith", "iendswith",
                  "iexact") and not isinstance(target, (models.IntegerField, models.AutoField)):
        return value
    if isinstance(target, (models.IntegerField, models.AutoField, models.FloatField,
                           models.DateTimeField)):
        if value in ("", None) and getattr(target, "null", False):
            return None
        try:
            return target.to_python(value)
        except ValidationError as exc:
            raise bad_request({"error": json.dumps(exc.messages, ensure_ascii=False)})
    if isinstance(target, models.JSONField):
        return value
    return value


def _lookup_q(model, key, value):
    path, field, lookup, distinct = _walk(model, key.split("__"))
    if field is None:
        raise bad_request({"error": "%s has no field named '%s'" % (model._meta.object_name, key)})
    if field.is_relation and lookup is None and (field.many_to_many or field.one_to_many):
        path.append("id")
    orm_key = "__".join(path + ([lookup] if lookup else []))
    return Q(**{orm_key: _convert(field, value, lookup)}), distinct


def apply_filters(queryset, query_params, search_fields=("name", "description")):
    """Filter, search and order a queryset the way AWX's list endpoints do."""
    model = queryset.model
    for key in query_params:
        if any("\x00" in value for value in query_params.getlist(key)):
            raise bad_request({"error": "Null characters are not allowed."})
    and_q, or_q, chains, distinct = Q(), None, [], False
    for raw_key in query_params:
        if raw_key in RESERVED:
            continue
        key, negate, kind = raw_key, False, "and"
        while True:
            if key.startswith("or__"):
                kind, key = "or", key[4:]
            elif key.startswith("not__"):
                negate, key = not negate, key[5:]
            elif key.startswith("chain__"):
                kind, key = "chain", key[7:]
            else:
                break
        for value in query_params.getlist(raw_key):
            q, needs_distinct = _lookup_q(model, key, value)
            distinct = distinct or needs_distinct
            if negate:
                q = ~q
            if kind == "or":
                or_q = q if or_q is None else (or_q | q)
            elif kind == "chain":
                chains.append(q)
            else:
                and_q &= q
    queryset = queryset.filter(and_q)
    if or_q is not None:
        queryset = queryset.filter(or_q)
    for q in chains:
        queryset = queryset.filter(q)
    search = query_params.get("search")
    if search:
        names = {f.name for f in model._meta.get_fields()}
        sq = Q()
        for name in search_fields:
            if name in names:
                sq |= Q(**{name + "__icontains": search})
        queryset = queryset.filter(sq)
    order = query_params.get("order_by") or query_params.get("order")
    if order:
        fields = []
        for item in order.split(","):
            item = item.strip()
            if not item:
                continue
            desc = item.startswith("-")
            path, field, lookup, needs_distinct = _walk(model, item.lstrip("-").split("__"))
            if lookup:
                raise bad_request({"error": "%s has no field named '%s'"
                                            % (model._meta.object_name, lookup)})
            fields.append(("-" if desc else "") + "__".join(path))
        if fields:
            if not any(f.lstrip("-") in ("id", "pk") for f in fields):
                fields.append("id")
            queryset = queryset.order_by(*fields)
    elif queryset.ordered:
        ordering = list(queryset.query.order_by or model._meta.ordering or [])
        if "id" not in ordering:
            queryset = queryset.order_by(*(ordering + ["id"]))
    if distinct:
        queryset = queryset.distinct()
    return queryset
