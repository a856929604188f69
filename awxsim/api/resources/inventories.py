"""Inventories, hosts and groups, their sub-lists, and the bulk host endpoints."""
from django.db import transaction
from django.db.models import Count, Q
from rest_framework import serializers
from rest_framework.response import Response

from awxsim.api import access
from awxsim.api.protocol import bad_request
from awxsim.api.resource import (API, InputSerializer, Resource, ResourceView, check_variables,
                                 role_summary)
from awxsim.models import Group, Host, Inventory

BULK_HOST_MAX_CREATE = 100
BULK_HOST_MAX_DELETE = 250


def inventory_totals(ctx, inventory_ids):
    """{inventory id: (total_hosts, total_groups)} for the ids, cached for the request."""
    totals = ctx.cache.setdefault("inventory_totals", {})
    missing = [i for i in inventory_ids if i not in totals]
    if missing:
        hosts = dict(Host.objects.filter(inventory__in=missing).values("inventory")
                     .annotate(n=Count("id")).values_list("inventory", "n"))
        groups = dict(Group.objects.filter(inventory__in=missing).values("inventory")
                      .annotate(n=Count("id")).values_list("inventory", "n"))
        for i in missing:
            totals[i] = (hosts.get(i, 0), groups.get(i, 0))
    return totals


def inventory_summary(ctx, inventory, with_description=True):
    if inventory is None:
        return None
    total_hosts, total_groups = inventory_totals(ctx, [inventory.id])[inventory.id]
    summary = {"has_active_failures": False, "has_inventory_sources": False,
               "hosts_with_active_failures": 0, "id": inventory.id,
               "inventory_sources_with_failures": 0, "kind": inventory.kind,
               "name": inventory.name, "organization_id": inventory.organization_id,
               "total_groups": total_groups, "total_hosts": total_hosts,
               "total_inventory_sources": 0}
    if with_description:
        summary["description"] = inventory.description
    return summary


class InventorySerializer(InputSerializer):
    # AWX accepts kind=null (awx.awx sends it) and stores ''.
    kind = serializers.ChoiceField(choices=["", "smart", "constructed"], allow_null=True,
                                   allow_blank=True, required=False)

    def validate_kind(self, value):
        return value or ""

    class Meta:
        model = Inventory
        fields = ("name", "description", "organization", "variables", "kind", "host_filter",
                  "prevent_instance_group_fallback")


class InventoryResource(Resource):
    model = Inventory
    type_name = "inventory"
    endpoint = "inventories"
    serializer_class = InventorySerializer
    select_related = ("organization", "created_by", "modified_by")
    prefetch_related = ("labels",)
    named_parts = ("name", "organization__name")
    unique_together = ((("name", "organization"),
                        "Inventory with this Name and Organization already exists."),)
    delete_status = 202

    def render_many(self, objs, ctx):
        inventory_totals(ctx, [o.id for o in objs])
        return [self.render(o, ctx) for o in objs]

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"adhoc": can, "copy": can, "delete": can, "edit": can}

    def render(self, obj, ctx):
        total_hosts, total_groups = inventory_totals(ctx, [obj.id])[obj.id]
        labels = list(obj.labels.all())
        summary = {
            "labels": {"count": len(labels),
                       "results": [{"id": lb.id, "name": lb.name} for lb in labels[:10]]},
            "object_roles": role_summary(obj.id, [
                ("admin_role", "Admin"), ("update_role", "Update"), ("adhoc_role", "Ad Hoc"),
                ("use_role", "Use"), ("read_role", "Read")]),
            "organization": {"description": obj.organization.description,
                             "id": obj.organization_id, "name": obj.organization.name},
        }
        body = self.common(obj, ctx, related=(
            "access_list", "activity_stream", "ad_hoc_commands", "copy", "groups", "hosts",
            "instance_groups", "inventory_sources", "job_templates", "labels", "object_roles",
            "root_groups", "script", "tree", "update_inventory_sources", "variable_data"),
            extra_related={"organization": "%sorganizations/%d/" % (API, obj.organization_id)},
            summary=summary)
        body.update(
            name=obj.name, description=obj.description, organization=obj.organization_id,
            kind=obj.kind, host_filter=obj.host_filter, variables=obj.variables,
            has_active_failures=False, total_hosts=total_hosts, hosts_with_active_failures=0,
            total_groups=total_groups, has_inventory_sources=False, total_inventory_sources=0,
            inventory_sources_with_failures=0, pending_deletion=obj.pending_deletion,
            prevent_instance_group_fallback=obj.prevent_instance_group_fallback)
        return body

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        # AWX deletes an inventory in the background and answers 202; ours is done at once.
        Group.parents.through.objects.filter(from_group__inventory=obj).delete()
        Group.hosts.through.objects.filter(group__inventory=obj).delete()
        obj.delete()
        return Response(status=202)


class HostSerializer(InputSerializer):
    class Meta:
        model = Host
        fields = ("name", "description", "inventory", "enabled", "instance_id", "variables")


class HostResource(Resource):
    model = Host
    type_name = "host"
    endpoint = "hosts"
    serializer_class = HostSerializer
    org_path = "inventory__organization"
    select_related = ("inventory", "inventory__organization", "created_by", "modified_by")
    named_parts = ("name", "inventory__name", "inventory__organization__name")
    unique_together = ((("name", "inventory"),
                        "Host with this Name and Inventory already exists."),)

    def extra_validation(self, request, data, instance):
        name = data.get("name", getattr(instance, "name", None))
        inventory = data.get("inventory", getattr(instance, "inventory", None))
        if Group.objects.filter(name=name, inventory=inventory).exists():
            raise bad_request({"__all__": ["A Group with that name already exists."]})

    def render_many(self, objs, ctx):
        inventory_totals(ctx, {o.inventory_id for o in objs})
        groups = {}
        rows = (Group.hosts.through.objects.filter(host__in=[o.id for o in objs])
                .select_related("group").order_by("group__name"))
        for row in rows:
            groups.setdefault(row.host_id, []).append(row.group)
        ctx.cache["host_groups"] = groups
        return [self.render(o, ctx) for o in objs]

    def render(self, obj, ctx):
        groups = ctx.cache.get("host_groups", {}).get(obj.id)
        if groups is None and "host_groups" not in ctx.cache:
            groups = list(obj.groups.order_by("name"))
        groups = groups or []
        summary = {
            "inventory": inventory_summary(ctx, obj.inventory),
            "groups": {"count": len(groups),
                       "results": [{"id": g.id, "name": g.name} for g in groups[:5]]},
            "recent_jobs": [],
        }
        body = self.common(obj, ctx, related=(
            "activity_stream", "ad_hoc_command_events", "ad_hoc_commands", "all_groups",
            "ansible_facts", "groups", "inventory_sources", "job_events", "job_host_summaries",
            "smart_inventories", "variable_data"),
            extra_related={"inventory": "%sinventories/%d/" % (API, obj.inventory_id)},
            summary=summary)
        if obj.last_job_id:
            body["related"]["last_job"] = "%sjobs/%d/" % (API, obj.last_job_id)
        body.update(name=obj.name, description=obj.description, inventory=obj.inventory_id,
                    enabled=obj.enabled, instance_id=obj.instance_id, variables=obj.variables,
                    has_active_failures=False, has_inventory_sources=False,
                    last_job=obj.last_job_id, last_job_host_summary=None,
                    ansible_facts_modified=None)
        return body


class GroupSerializer(InputSerializer):
    class Meta:
        model = Group
        fields = ("name", "description", "inventory", "variables")


class GroupResource(Resource):
    model = Group
    type_name = "group"
    endpoint = "groups"
    serializer_class = GroupSerializer
    org_path = "inventory__organization"
    select_related = ("inventory", "inventory__organization", "created_by", "modified_by")
    named_parts = ("name", "inventory__name", "inventory__organization__name")
    unique_together = ((("name", "inventory"),
                        "Group with this Name and Inventory already exists."),)

    def extra_validation(self, request, data, instance):
        name = data.get("name", getattr(instance, "name", None))
        inventory = data.get("inventory", getattr(instance, "inventory", None))
        if Host.objects.filter(name=name, inventory=inventory).exists():
            raise bad_request({"__all__": ["A Host with that name already exists."]})

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"copy": can, "delete": can, "edit": can}

    def render_many(self, objs, ctx):
        inventory_totals(ctx, {o.inventory_id for o in objs})
        return [self.render(o, ctx) for o in objs]

    def render(self, obj, ctx):
        body = self.common(obj, ctx, related=(
            "activity_stream", "ad_hoc_commands", "all_hosts", "children", "hosts",
            "inventory_sources", "job_events", "job_host_summaries", "potential_children",
            "variable_data"),
            extra_related={"inventory": "%sinventories/%d/" % (API, obj.inventory_id)},
            summary={"inventory": inventory_summary(ctx, obj.inventory)})
        body.update(name=obj.name, description=obj.description, inventory=obj.inventory_id,
                    variables=obj.variables)
        return body

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        _delete_group_recursive(obj)
        return Response(status=204)


def _delete_group_recursive(group):
    """AWX removes a group with the hosts and child groups that belong to nothing else."""
    for host in list(group.hosts.all()):
        if not host.groups.exclude(pk=group.pk).exists():
            host.delete()
    for child in list(group.children.all()):
        if not child.parents.exclude(pk=group.pk).exists():
            _delete_group_recursive(child)
    group.delete()


def descendant_ids(group_ids):
    """All groups below the given ones (not including them), following children links."""
    seen, frontier = set(), set(group_ids)
    links = Group.parents.through.objects
    while frontier:
        below = set(links.filter(to_group__in=frontier).values_list("from_group", flat=True))
        frontier = below - seen - set(group_ids)
        seen |= frontier
    return seen


def ancestor_ids(group_ids):
    seen, frontier = set(), set(group_ids)
    links = Group.parents.through.objects
    while frontier:
        above = set(links.filter(from_group__in=frontier).values_list("to_group", flat=True))
        frontier = above - seen
        seen |= frontier
    return seen


def check_child(parent, child):
    if child.pk == parent.pk or child.pk in ancestor_ids([parent.pk]):
        raise bad_request({"error": "Cyclical Group association."})
    if child.inventory_id != parent.inventory_id:
        raise bad_request({"error": "Cannot associate a group from another inventory."})


def check_host(group, host):
    if host.inventory_id != group.inventory_id:
        raise bad_request({"error": "Cannot associate a host from another inventory."})


def all_hosts_filter(group):
    ids = {group.pk} | descendant_ids([group.pk])
    return Q(groups__in=ids)


def all_groups_filter(host):
    direct = set(host.groups.values_list("id", flat=True))
    return Q(id__in=direct | ancestor_ids(direct))


def root_groups_filter(inventory):
    return Q(inventory=inventory, parents__isnull=True)


INVENTORIES = InventoryResource()
HOSTS = HostResource()
GROUPS = GroupResource()


class BulkHostSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=512)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    enabled = serializers.BooleanField(required=False, default=True)
    instance_id = serializers.CharField(required=False, allow_blank=True, default="")
    variables = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_variables(self, value):
        message = check_variables(value)
        if message:
            raise serializers.ValidationError(message)
        return value


class BulkHostCreateSerializer(serializers.Serializer):
    inventory = serializers.PrimaryKeyRelatedField(queryset=Inventory.objects.all())
    hosts = BulkHostSerializer(many=True, allow_empty=False)


class BulkHostCreateView(ResourceView):
    options_name = "bulk_host_create"

    def get(self, request):
        return Response({"hosts": [], "inventory": None})

    def post(self, request):
        hosts = request.data.get("hosts")
        if hosts == []:
            raise bad_request({"hosts": ["This list may not be empty."]})
        if isinstance(hosts, list) and len(hosts) > BULK_HOST_MAX_CREATE:
            raise bad_request({"__all__": ["Number of hosts exceeds system setting "
                                           "BULK_HOST_MAX_CREATE"]})
        serializer = BulkHostCreateSerializer(data=request.data)
        if not serializer.is_valid():
            raise serializers.ValidationError(serializer.errors)
        inventory = serializer.validated_data["inventory"]
        if not access.can_admin_org(request.user, inventory.organization_id):
            access.deny()
        entries = serializer.validated_data["hosts"]
        names = [e["name"] for e in entries]
        existing = set(Host.objects.filter(inventory=inventory, name__in=names)
                       .values_list("name", flat=True))
        duplicates = [n for n in names if n in existing or names.count(n) > 1]
        if duplicates:
            raise bad_request({"__all__": ["Hostnames must be unique in an inventory. "
                                           "Duplicates found: %s" % duplicates]})
        with transaction.atomic():
            Host.objects.bulk_create([
                Host(inventory=inventory, **e)
                for e in entries])
        created = Host.objects.filter(inventory=inventory, name__in=names).order_by("id")
        return Response({
            "url": "%sinventories/%d/hosts/" % (API, inventory.id),
            "hosts": [{"name": h.name, "enabled": h.enabled, "instance_id": h.instance_id,
                       "description": h.description, "variables": h.variables, "id": h.id,
                       "url": "%shosts/%d/" % (API, h.id),
                       "inventory": "%sinventories/%d/" % (API, inventory.id)}
                      for h in created],
        }, status=201)


class BulkHostDeleteView(ResourceView):
    options_name = "bulk_host_delete"

    def get(self, request):
        return Response({"hosts": []})

    def post(self, request):
        hosts = request.data.get("hosts")
        if not isinstance(hosts, list):
            raise bad_request({"hosts": ["This field is required."] if hosts is None
                               else ['Expected a list of items but got type "%s".'
                                     % type(hosts).__name__]})
        if not hosts:
            raise bad_request({"hosts": ["This list may not be empty."]})
        if len(hosts) > BULK_HOST_MAX_DELETE:
            raise bad_request({"__all__": ["Number of hosts exceeds system setting "
                                           "BULK_HOST_MAX_DELETE"]})
        try:
            ids = [int(h) for h in hosts]
        except (TypeError, ValueError):
            raise bad_request({"hosts": ["A valid integer is required."]})
        found = {h.id: h for h in HOSTS.visible(request.user).filter(id__in=ids)}
        missing = [i for i in ids if i not in found or
                   not HOSTS.can_change(request.user, found[i])]
        if missing:
            raise bad_request({"hosts": {str(i): "Hosts do not exist or you lack permission to "
                                                 "delete it" for i in missing}})
        with transaction.atomic():
            result = {str(i): "The host %s was deleted" % found[i].name for i in ids}
            Host.objects.filter(id__in=ids).delete()
        return Response({"hosts": result}, status=201)


class BulkRootView(ResourceView):
    def get(self, request):
        return Response({"host_create": API + "bulk/host_create/",
                         "host_delete": API + "bulk/host_delete/",
                         "job_launch": API + "bulk/job_launch/"})


class InventoryCopyView(ResourceView):
    """``inventories/<id>/copy/``: GET says whether a copy is possible, POST makes it."""

    def get(self, request, key):
        INVENTORIES.get_object(request.user, key)
        return Response({"can_copy": True, "can_copy_without_user_input": True,
                         "templates_unable_to_copy": [], "credentials_unable_to_copy": [],
                         "inventories_unable_to_copy": []})

    def post(self, request, key):
        source = INVENTORIES.get_object(request.user, key)
        if not INVENTORIES.can_change(request.user, source):
            access.deny()
        name = request.data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_request({"name": ["This field is required."]})
        if Inventory.objects.filter(name=name, organization=source.organization_id).exists():
            raise bad_request({"__all__": [
                "Inventory with this Name and Organization already exists."]})
        with transaction.atomic():
            copy = copy_inventory(request, source, name)
        copy = INVENTORIES.base_queryset().get(pk=copy.pk)
        return self.created_response(request, INVENTORIES, copy)


def copy_inventory(request, source, name):
    from awxsim.models import InventoryInput, InventoryInstanceGroup
    copy = Inventory.objects.create(
        name=name, description=source.description, organization=source.organization,
        variables=source.variables, kind=source.kind, host_filter=source.host_filter,
        prevent_instance_group_fallback=source.prevent_instance_group_fallback,
        created_by=request.user, modified_by=request.user)
    copy.labels.set(source.labels.all())
    for through in (InventoryInstanceGroup, InventoryInput):
        through.objects.bulk_create([
            through(parent=copy, member_id=row.member_id, position=row.position)
            for row in through.objects.filter(parent=source)])
    hosts = {}
    for host in source.hosts.all():
        hosts[host.id] = Host.objects.create(
            name=host.name, description=host.description, inventory=copy, enabled=host.enabled,
            instance_id=host.instance_id, variables=host.variables, created_by=request.user,
            modified_by=request.user)
    groups = {}
    for group in source.groups.all():
        groups[group.id] = Group.objects.create(
            name=group.name, description=group.description, inventory=copy,
            variables=group.variables, created_by=request.user, modified_by=request.user)
    host_links = Group.hosts.through.objects.filter(group__inventory=source)
    Group.hosts.through.objects.bulk_create([
        Group.hosts.through(group_id=groups[link.group_id].id, host_id=hosts[link.host_id].id)
        for link in host_links])
    child_links = Group.parents.through.objects.filter(from_group__inventory=source)
    Group.parents.through.objects.bulk_create([
        Group.parents.through(from_group_id=groups[link.from_group_id].id,
                              to_group_id=groups[link.to_group_id].id)
        for link in child_links])
    return copy


def check_input_inventory(parent, child):
    if child.pk == parent.pk:
        raise bad_request({"error": "An inventory cannot be an input of itself."})
    if child.kind == "constructed":
        raise bad_request({"error": "A constructed inventory cannot be an input inventory."})
