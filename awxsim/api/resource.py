"""The generic resource machinery: a ``Resource`` describes one AWX object kind (model, input
serializer, rendering, named URL, access); the views here serve any resource's list, detail,
sub-list and association endpoints from that description."""
import datetime
import json
import os

import yaml
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Max, Q
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.validators import UniqueTogetherValidator, UniqueValidator
from rest_framework.views import APIView

from awxsim.api import access
from awxsim.api.filters import apply_filters
from awxsim.api.protocol import ApiError, bad_request, page_response

API = "/api/v2/"
DATA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
ACTIVE = ("new", "pending", "waiting", "running")


def ts(value):
    if value is None:
        return None
    return value.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def user_summary(user):
    return {"first_name": user.first_name, "id": user.id, "last_name": user.last_name,
            "username": user.username}


def role_summary(base_id, names):
    """AWX shows role ids; ours are stable numbers derived from the object id."""
    return {name: {"id": base_id * 20 + index, "name": label}
            for index, (name, label) in enumerate(names)}


def check_variables(value):
    """AWX accepts variables as a JSON or YAML mapping in a string; returns an error or None."""
    if value is None or not str(value).strip():
        return None
    try:
        data = json.loads(value)
    except ValueError as exc:
        json_error = str(exc)
    else:
        if isinstance(data, dict):
            return None
        json_error = "Input type `%s` is not a dictionary" % type(data).__name__
    try:
        data = yaml.safe_load(value)
    except yaml.YAMLError as exc:
        yaml_error = str(exc)
    else:
        if isinstance(data, dict) or data is None:
            return None
        yaml_error = "Input type `%s` is not a dictionary" % type(data).__name__
    return "Cannot parse as JSON (error: %s) or YAML (error: %s)." % (json_error, yaml_error)


class InputSerializer(serializers.ModelSerializer):
    """Field validation with DRF's messages; the resource checks uniqueness, in AWX's words."""

    variables_fields = ("variables",)

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators
                                if not isinstance(v, (UniqueValidator, UniqueTogetherValidator))]
        return fields

    def get_validators(self):
        return []

    def validate(self, attrs):
        errors = {}
        for name in self.variables_fields:
            if name in attrs:
                message = check_variables(attrs[name])
                if message:
                    errors[name] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class RenderContext:
    """Per-request caches so that a page of objects costs a fixed number of queries."""

    def __init__(self, request, listing=False, created=False):
        self.request = request
        self.listing = listing          # AWX leaves related.named_url out of list pages
        self.created = created          # ... and a few computed summaries out of POST answers
        self.user = request.user
        self.cache = {}

    def memo(self, key, compute):
        if key not in self.cache:
            self.cache[key] = compute()
        return self.cache[key]


class Resource:
    model = None
    type_name = ""
    endpoint = ""
    serializer_class = None
    org_path = "organization"          # ORM path to the owning organization; None = global
    search_fields = ("name", "description")
    select_related = ()
    prefetch_related = ()
    named_parts = None                 # ORM paths joined by '++' in the named URL
    unique_together = ()               # ((fields...), message) checked on create/update
    writable = True
    delete_status = 204
    not_found_name = None

    # -- querying ---------------------------------------------------------------------------
    def base_queryset(self):
        qs = self.model.objects.all()
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs

    def visible(self, user):
        qs = self.base_queryset()
        org_ids = access.readable_org_ids(user)
        if org_ids is not None and self.org_path:
            qs = qs.filter(**{self.org_path + "__in": org_ids})
        return qs

    def not_found(self):
        name = self.not_found_name or self.model._meta.object_name
        return exceptions.NotFound("No %s matches the given query." % name)

    def lookup_filter(self, key):
        if str(key).isdigit():
            return Q(pk=int(key))
        if not self.named_parts:
            return None
        parts = str(key).rsplit("++", len(self.named_parts) - 1)
        if len(parts) != len(self.named_parts):
            return None
        q = Q()
        for path, value in zip(self.named_parts, parts):
            if "+" in path:
                left, right = path.split("+")
                name, sep, kind = value.rpartition("+")
                if not sep:
                    return None
                q &= Q(**{left: name, right: kind})
            elif value == "" and path.endswith("__name"):
                q &= Q(**{path[:-len("__name")] + "__isnull": True})
            else:
                q &= Q(**{path: value})
        return q

    def get_object(self, user, key, for_write=False):
        q = self.lookup_filter(key)
        if q is None:
            raise self.not_found()
        obj = self.base_queryset().filter(q).first()
        if obj is None:
            raise self.not_found()
        if not self.can_read(user, obj):
            access.deny()
        return obj

    def named_url(self, obj):
        if not self.named_parts:
            return None
        values = []
        for path in self.named_parts:
            if "+" in path:
                values.append("+".join(str(_path_value(obj, p) or "") for p in path.split("+")))
            else:
                values.append(str(_path_value(obj, path) or ""))
        return "%s%s/%s/" % (API, self.endpoint, "++".join(values))

    # -- access -------------------------------------------------------------------------------
    def org_id(self, obj):
        if not self.org_path:
            return None
        value = obj
        for part in self.org_path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value.id

    def can_read(self, user, obj):
        if user.is_superuser or not self.org_path:
            return True
        return access.can_read_org(user, self.org_id(obj))

    def can_change(self, user, obj):
        if user.is_superuser:
            return True
        if not self.org_path:
            return False
        return access.can_admin_org(user, self.org_id(obj))

    def can_create(self, user, data):
        if user.is_superuser:
            return True
        if not self.org_path:
            return False
        head, _sep, rest = self.org_path.partition("__")
        value = data.get(head)
        for part in rest.split("__") if rest else ():
            value = getattr(value, part, None)
        return value is not None and access.can_admin_org(user, value.id)

    # -- rendering ----------------------------------------------------------------------------
    def url(self, obj):
        return "%s%s/%d/" % (API, self.endpoint, obj.pk)

    def common(self, obj, ctx, related=(), extra_related=None, summary=None):
        base = self.url(obj)
        rel = {name: base + name + "/" for name in related}
        sf = {}
        for who in ("created_by", "modified_by"):
            user = getattr(obj, who, None)
            if user is not None:
                rel[who] = "%susers/%d/" % (API, user.id)
                sf[who] = user_summary(user)
        named = None if ctx.listing else self.named_url(obj)
        if named:
            rel["named_url"] = named
        rel.update(extra_related or {})
        sf.update(summary or {})
        sf.setdefault("user_capabilities", self.capabilities(ctx, obj))
        return {
            "id": obj.pk, "type": self.type_name, "url": base, "related": rel,
            "summary_fields": sf,
            "created": ts(getattr(obj, "created", None)),
            "modified": ts(getattr(obj, "modified", None)),
        }

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"delete": can, "edit": can}

    def render(self, obj, ctx):
        raise NotImplementedError

    def render_many(self, objs, ctx):
        return [self.render(obj, ctx) for obj in objs]

    # -- writing ------------------------------------------------------------------------------
    def check_unique(self, data, instance):
        for fields, message in self.unique_together:
            lookup = {}
            for name in fields:
                value = data[name] if name in data else getattr(instance, name, None)
                lookup[name] = value
            qs = self.model.objects.filter(**lookup)
            if instance is not None:
                qs = qs.exclude(pk=instance.pk)
            if qs.exists():
                key = "__all__" if len(fields) > 1 and not message.startswith("!") else fields[0]
                raise bad_request({key: [message.lstrip("!")]})

    def validate(self, request, data, instance=None, partial=False):
        serializer = self.serializer_class(instance=instance, data=data, partial=partial,
                                           context={"request": request, "resource": self})
        if not serializer.is_valid():
            raise serializers.ValidationError(serializer.errors)
        validated = dict(serializer.validated_data)
        self.check_unique(validated, instance)
        self.extra_validation(request, validated, instance)
        return validated

    def extra_validation(self, request, data, instance):
        """Resource-specific checks after field validation (raise ApiError/ValidationError)."""

    def create(self, request, data, defaults=None):
        payload = dict(data.items()) if hasattr(data, "items") else {}
        payload.update(defaults or {})
        validated = self.validate(request, payload)
        if not self.can_create(request.user, validated):
            access.deny()
        return self.save_new(request, validated)

    def save_new(self, request, validated):
        m2m = {k: validated.pop(k) for k in list(validated)
               if self.model._meta.get_field(k).many_to_many}
        obj = self.model(**validated)
        if hasattr(obj, "created_by_id"):
            obj.created_by = request.user
            obj.modified_by = request.user
        self.before_save(request, obj, validated, created=True)
        obj.save()
        for name, values in m2m.items():
            getattr(obj, name).set(values)
        self.after_save(request, obj, validated, created=True)
        return obj

    def update(self, request, obj, data, partial):
        if not self.can_change(request.user, obj):
            access.deny()
        if not partial:
            data = dict(self.put_defaults(), **dict(data.items()))
        validated = self.validate(request, data, instance=obj, partial=partial)
        for name, value in validated.items():
            setattr(obj, name, value)
        if hasattr(obj, "modified_by_id"):
            obj.modified_by = request.user
        self.before_save(request, obj, validated, created=False)
        obj.save()
        self.after_save(request, obj, validated, created=False)
        return obj

    def put_defaults(self):
        """What a PUT resets the fields it does not name to (AWX: their defaults)."""
        defaults = {}
        meta = getattr(self.serializer_class, "Meta", None)
        for name in getattr(meta, "fields", ()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.many_to_many:
                continue
            if field.has_default():
                value = field.get_default()
                defaults[name] = value
            elif field.null:
                defaults[name] = None
        return defaults

    def before_save(self, request, obj, validated, created):
        pass

    def after_save(self, request, obj, validated, created):
        pass

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        obj.delete()
        return Response(status=self.delete_status)


def _path_value(obj, path):
    value = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def load_options(name):
    path = os.path.join(DATA_DIR, "options", name + ".json")
    if os.path.exists(path):
        with open(path) as handle:
            return json.load(handle)
    return None


class ResourceView(APIView):
    resource = None
    options_name = None

    def options(self, request, *args, **kwargs):
        body = load_options(self.options_name) if self.options_name else None
        if body is None:
            body = {"name": self.get_view_name(), "description": "",
                    "renders": ["application/json"], "parses": ["application/json"]}
        return Response(body)

    def ctx(self, request):
        return RenderContext(request)

    def render_list(self, request, objs):
        return self.resource.render_many(objs, RenderContext(request, listing=True))

    def created_response(self, request, resource, obj, extra=None):
        body = resource.render(obj, RenderContext(request, created=True))
        body.update(extra or {})
        return Response(body, status=201, headers={"Location": resource.url(obj)})


class ListView(ResourceView):
    def get(self, request):
        qs = apply_filters(self.resource.visible(request.user), request.query_params,
                           self.resource.search_fields)
        return page_response(request, qs, lambda objs: self.render_list(request, objs))

    def post(self, request):
        if not self.resource.writable:
            raise exceptions.MethodNotAllowed("POST")
        with transaction.atomic():
            obj = self.resource.create(request, request.data)
        obj = self.resource.base_queryset().get(pk=obj.pk)
        return self.created_response(request, self.resource, obj)


class DetailView(ResourceView):
    def get(self, request, key):
        obj = self.resource.get_object(request.user, key)
        return Response(self.resource.render(obj, self.ctx(request)))

    def _write(self, request, key, partial):
        obj = self.resource.get_object(request.user, key)
        with transaction.atomic():
            obj = self.resource.update(request, obj, request.data, partial)
        obj = self.resource.base_queryset().get(pk=obj.pk)
        return Response(self.resource.render(obj, self.ctx(request)))

    def put(self, request, key):
        return self._write(request, key, partial=False)

    def patch(self, request, key):
        return self._write(request, key, partial=True)

    def delete(self, request, key):
        obj = self.resource.get_object(request.user, key)
        with transaction.atomic():
            return self.resource.delete(request, obj)


class SubList:
    """A child list under a parent: ``/parents/<id>/<name>/``.

    ``filter`` builds the child queryset filter from the parent; ``m2m`` names the parent's
    many-to-many manager for ``{"id": n}`` association; ``defaults`` gives the fields a child
    created inline gets from the parent; ``on_associate`` may veto an association;
    ``on_disassociate`` runs after one (labels: an unused label goes away); ``find_existing``
    turns a create body naming an existing child into an association (labels by name).
    """

    def __init__(self, name, child, filter=None, m2m=None, defaults=None, on_associate=None,
                 creatable=True, parent_change_check=True, through=None, on_disassociate=None,
                 find_existing=None):
        self.name = name
        self.child = child
        self.through = through          # an ordered association: a model (parent, member, position)
        if through is not None:
            reverse = through._meta.get_field("member").remote_field.related_name
            filter = filter or (lambda parent: Q(**{reverse + "__parent": parent}))
            self.order_by = (reverse + "__position",)
            m2m = m2m or name
        else:
            self.order_by = None
        self.filter = filter
        self.m2m = m2m
        self.defaults = defaults
        self.on_associate = on_associate
        self.on_disassociate = on_disassociate
        self.find_existing = find_existing
        self.creatable = creatable
        self.parent_change_check = parent_change_check


class SubListView(ResourceView):
    parent = None
    sublist = None

    def get(self, request, key):
        parent = self.parent.get_object(request.user, key)
        child = self.sublist.child
        qs = child.visible(request.user).filter(self.sublist.filter(parent))
        if self.sublist.order_by:
            qs = qs.order_by(*self.sublist.order_by)
        qs = apply_filters(qs, request.query_params, child.search_fields)
        return page_response(request, qs, lambda objs: child.render_many(
            objs, RenderContext(request, listing=True)))

    def post(self, request, key):
        parent = self.parent.get_object(request.user, key)
        sub = self.sublist
        data = request.data
        if sub.m2m and "id" in data:
            if sub.parent_change_check and not self.parent.can_change(request.user, parent):
                access.deny()
            return self._associate(request, parent, data)
        if not sub.creatable or sub.defaults is None:
            raise bad_request({"id": ["This field is required."]} if sub.m2m
                              else {"detail": "Not allowed"})
        existing = sub.find_existing(parent, data) if sub.find_existing else None
        if existing is not None:
            if sub.parent_change_check and not self.parent.can_change(request.user, parent):
                access.deny()
            return self._associate(request, parent, {"id": existing.pk})
        with transaction.atomic():
            obj = sub.child.create(request, data, defaults=sub.defaults(parent))
            if sub.m2m:
                if sub.on_associate:
                    sub.on_associate(parent, obj)
                getattr(parent, sub.m2m).add(obj)
        obj = sub.child.base_queryset().get(pk=obj.pk)
        return self.created_response(request, sub.child, obj)

    def _associate(self, request, parent, data):
        sub = self.sublist
        raw_id = data.get("id")
        try:
            child_id = int(raw_id)
        except (TypeError, ValueError):
            raise bad_request({"detail": "%s matching query does not exist."
                                         % sub.child.model._meta.object_name})
        if data.get("disassociate"):
            if sub.through is not None:
                sub.through.objects.filter(parent=parent, member_id=child_id).delete()
            else:
                getattr(parent, sub.m2m).remove(*sub.child.model.objects.filter(pk=child_id))
            if sub.on_disassociate:
                sub.on_disassociate(parent, child_id)
            return Response(status=204)
        child = sub.child.model.objects.filter(pk=child_id).first()
        if child is None or not sub.child.can_read(request.user, child):
            raise bad_request({"detail": "%s matching query does not exist."
                                         % sub.child.model._meta.object_name})
        if sub.on_associate:
            sub.on_associate(parent, child)
        if sub.through is not None:
            add_ordered(sub.through, parent, child)
        else:
            getattr(parent, sub.m2m).add(child)
        return Response(status=204)


def add_ordered(through, parent, member):
    """Append a member to an ordered association (a member already there keeps its place)."""
    if through.objects.filter(parent=parent, member=member).exists():
        return
    last = through.objects.filter(parent=parent).aggregate(last=Max("position"))["last"]
    through.objects.create(parent=parent, member=member, position=(last or 0) + 1)


def check_active_jobs(qs, kind="job"):
    """409 body AWX sends when deleting something with running jobs (or project updates)."""
    active = list(qs.filter(status__in=ACTIVE).values_list("id", flat=True))
    if active:
        raise ApiError(409, {"active_jobs": [{"id": i, "type": kind} for i in active],
                             "error": "Resource is being used by running jobs."})
