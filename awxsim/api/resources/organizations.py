"""Organizations, users, teams and personal tokens."""
import datetime

from django.db.models import Count, Q
from django.utils import timezone
from rest_framework import serializers
from rest_framework.response import Response

from awxsim.api import access
from awxsim.api.auth import hash_token, new_token_string
from awxsim.api.protocol import bad_request, page_response
from awxsim.api.resource import (API, InputSerializer, ListView, Resource, ResourceView,
                                 role_summary, ts, user_summary)
from awxsim.models import (Host, Inventory, JobTemplate, Organization, Project, Team,
                           Token, User)

ORG_ROLES = [("admin_role", "Admin"), ("execute_role", "Execute"),
             ("project_admin_role", "Project Admin"), ("inventory_admin_role", "Inventory Admin"),
             ("credential_admin_role", "Credential Admin"),
             ("workflow_admin_role", "Workflow Admin"),
             ("notification_admin_role", "Notification Admin"),
             ("job_template_admin_role", "Job Template Admin"),
             ("execution_environment_admin_role", "Execution Environment Admin"),
             ("auditor_role", "Auditor"), ("member_role", "Member"), ("read_role", "Read"),
             ("approval_role", "Approve")]


class OrganizationSerializer(InputSerializer):
    class Meta:
        model = Organization
        fields = ("name", "description", "max_hosts", "custom_virtualenv", "default_environment")


class OrganizationResource(Resource):
    model = Organization
    type_name = "organization"
    endpoint = "organizations"
    serializer_class = OrganizationSerializer
    org_path = "self"
    select_related = ("created_by", "modified_by")
    named_parts = ("name",)
    unique_together = ((("name",), "!Organization with this Name already exists."),)

    def visible(self, user):
        qs = self.base_queryset()
        org_ids = access.readable_org_ids(user)
        return qs if org_ids is None else qs.filter(id__in=org_ids)

    def org_id(self, obj):
        return obj.id

    def can_create(self, user, data):
        return user.is_superuser

    def render_many(self, objs, ctx):
        ids = [o.id for o in objs]
        counts = {i: dict.fromkeys(("admins", "hosts", "inventories", "job_templates",
                                    "projects", "teams", "users"), 0) for i in ids}
        for row in (Host.objects.filter(inventory__organization__in=ids)
                    .values("inventory__organization").annotate(n=Count("id"))):
            counts[row["inventory__organization"]]["hosts"] = row["n"]
        for name, model in (("inventories", Inventory), ("job_templates", JobTemplate),
                            ("projects", Project), ("teams", Team)):
            for row in (model.objects.filter(organization__in=ids).values("organization")
                        .annotate(n=Count("id"))):
                counts[row["organization"]][name] = row["n"]
        for name in ("admins", "users"):
            through = getattr(Organization, name).through
            for row in (through.objects.filter(organization__in=ids).values("organization")
                        .annotate(n=Count("id"))):
                counts[row["organization"]][name] = row["n"]
        if ctx.listing or ctx.created:
            for value in counts.values():
                value.pop("hosts")      # AWX counts hosts only on the detail page
        ctx.cache["org_counts"] = counts
        return [self.render(o, ctx) for o in objs]

    def render(self, obj, ctx):
        counts = ctx.cache.get("org_counts", {}).get(obj.id)
        if counts is None:
            counts = self.render_many([obj], ctx) and ctx.cache["org_counts"][obj.id]
        body = self.common(obj, ctx, related=(
            "access_list", "activity_stream", "admins", "applications", "credentials",
            "execution_environments", "galaxy_credentials", "instance_groups", "inventories",
            "job_templates", "notification_templates", "notification_templates_approvals",
            "notification_templates_error", "notification_templates_started",
            "notification_templates_success", "object_roles", "projects", "teams", "users",
            "workflow_job_templates"), summary={
            "object_roles": role_summary(obj.id, ORG_ROLES),
            "related_field_counts": counts,
            "resource": {"ansible_id": "00000000-0000-4000-8000-%012d" % obj.id,
                         "resource_type": "shared.organization"},
        })
        if obj.default_environment_id:
            body["related"]["default_environment"] = "%sexecution_environments/%d/" % (
                API, obj.default_environment_id)
        body.update(name=obj.name, description=obj.description, max_hosts=obj.max_hosts,
                    custom_virtualenv=obj.custom_virtualenv,
                    default_environment=obj.default_environment_id)
        return body


class UserSerializer(InputSerializer):
    password = serializers.CharField(required=False, allow_blank=True, write_only=True)

    def validate_username(self, value):
        """Django's username characters, as AWX checks them."""
        from django.contrib.auth.validators import UnicodeUsernameValidator
        from django.core.exceptions import ValidationError as DjangoValidationError
        try:
            UnicodeUsernameValidator()(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages))
        return value

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "is_superuser",
                  "is_system_auditor", "password")


class UserResource(Resource):
    model = User
    type_name = "user"
    endpoint = "users"
    serializer_class = UserSerializer
    org_path = None
    search_fields = ("username", "first_name", "last_name", "email")
    named_parts = ("username",)
    unique_together = ((("username",), "!A user with that username already exists."),)

    def can_change(self, user, obj):
        return user.is_superuser or user.id == obj.id

    def can_create(self, user, data):
        return user.is_superuser

    def extra_validation(self, request, data, instance):
        if instance is None and not data.get("password"):
            raise bad_request({"password": ["Password required for new User."]})
        if "is_superuser" in data and not request.user.is_superuser:
            access.deny()

    def before_save(self, request, obj, validated, created):
        if validated.get("password"):
            obj.set_password(validated["password"])
        if not created:
            obj.modified = timezone.now()

    def delete(self, request, obj):
        if not request.user.is_superuser or obj.id == request.user.id:
            access.deny()
        obj.delete()
        return Response(status=204)

    def render(self, obj, ctx):
        body = self.common(obj, ctx, related=(
            "access_list", "activity_stream", "admin_of_organizations", "authorized_tokens",
            "credentials", "organizations", "personal_tokens", "projects", "roles", "teams",
            "tokens"), summary={
            "resource": {"ansible_id": "00000000-0000-4000-9000-%012d" % obj.id,
                         "resource_type": "shared.user"},
            "user_capabilities": {"delete": ctx.user.is_superuser and ctx.user.id != obj.id,
                                  "edit": self.can_change(ctx.user, obj)},
        })
        body.update(username=obj.username, first_name=obj.first_name, last_name=obj.last_name,
                    email=obj.email, is_superuser=obj.is_superuser,
                    is_system_auditor=obj.is_system_auditor, password="$encrypted$",
                    ldap_dn="", external_account=None, auth=[],
                    last_login=ts(obj.last_login), modified=ts(obj.modified))
        return body


class TeamSerializer(InputSerializer):
    class Meta:
        model = Team
        fields = ("name", "description", "organization")


class TeamResource(Resource):
    model = Team
    type_name = "team"
    endpoint = "teams"
    serializer_class = TeamSerializer
    select_related = ("organization", "created_by", "modified_by")
    named_parts = ("name", "organization__name")
    unique_together = ((("organization", "name"),
                        "Team with this Organization and Name already exists."),)

    def render(self, obj, ctx):
        body = self.common(obj, ctx, related=(
            "access_list", "activity_stream", "credentials", "object_roles", "projects",
            "roles", "users"), extra_related={
            "organization": "%sorganizations/%d/" % (API, obj.organization_id)}, summary={
            "organization": {"id": obj.organization_id, "name": obj.organization.name,
                             "description": obj.organization.description},
            "object_roles": role_summary(obj.id, [("admin_role", "Admin"),
                                                  ("member_role", "Member"),
                                                  ("read_role", "Read")]),
            "resource": {"ansible_id": "00000000-0000-4000-a000-%012d" % obj.id,
                         "resource_type": "shared.team"},
        })
        body.update(name=obj.name, description=obj.description,
                    organization=obj.organization_id)
        return body


class TokenSerializer(serializers.Serializer):
    description = serializers.CharField(required=False, allow_blank=True, default="")
    scope = serializers.CharField(required=False, default="write")
    application = serializers.IntegerField(required=False, allow_null=True)

    def validate_scope(self, value):
        if value not in ("read", "write"):
            raise serializers.ValidationError(
                "Must be a simple space-separated string with allowed scopes ['read', 'write'].")
        return value


class TokenResource(Resource):
    model = Token
    type_name = "o_auth2_access_token"
    endpoint = "tokens"
    serializer_class = TokenSerializer
    org_path = None
    select_related = ("user",)
    search_fields = ("description",)

    def visible(self, user):
        qs = self.base_queryset()
        return qs if user.is_superuser else qs.filter(user=user)

    def can_read(self, user, obj):
        return user.is_superuser or obj.user_id == user.id

    def can_change(self, user, obj):
        return self.can_read(user, obj)

    def create_for(self, request, user, data):
        if request.user.id != user.id and not request.user.is_superuser:
            access.deny()
        serializer = TokenSerializer(data=data)
        if not serializer.is_valid():
            raise serializers.ValidationError(serializer.errors)
        raw = new_token_string()
        token = Token.objects.create(
            user=user, token_hash=hash_token(raw),
            description=serializer.validated_data.get("description") or "",
            scope=serializer.validated_data.get("scope") or "write",
            expires=timezone.now() + datetime.timedelta(days=365 * 1000),
            created_by=request.user, modified_by=request.user)
        return token, raw

    def update(self, request, obj, data, partial):
        if not self.can_change(request.user, obj):
            access.deny()
        serializer = TokenSerializer(data=data, partial=True)
        if not serializer.is_valid():
            raise serializers.ValidationError(serializer.errors)
        for name in ("description", "scope"):
            if name in data:
                setattr(obj, name, serializer.validated_data[name])
        obj.save()
        return obj

    def render(self, obj, ctx, raw=None):
        return {
            "id": obj.id, "type": self.type_name, "url": self.url(obj),
            "related": {"activity_stream": self.url(obj) + "activity_stream/",
                        "user": "%susers/%d/" % (API, obj.user_id)},
            "summary_fields": {"user": user_summary(obj.user)},
            "created": ts(obj.created), "modified": ts(obj.modified),
            "description": obj.description, "user": obj.user_id, "token": raw or "************",
            "refresh_token": None, "application": None, "expires": ts(obj.expires),
            "scope": obj.scope,
        }


ORGANIZATIONS = OrganizationResource()
USERS = UserResource()
TEAMS = TeamResource()
TOKENS = TokenResource()


class TokenListView(ListView):
    resource = TOKENS
    options_name = "tokens"

    def post(self, request, key=None):
        user = request.user if key is None else USERS.get_object(request.user, key)
        token, raw = TOKENS.create_for(request, user, request.data)
        return Response(TOKENS.render(token, self.ctx(request), raw=raw), status=201,
                        headers={"Location": TOKENS.url(token)})


class PersonalTokensView(TokenListView):
    def get(self, request, key):
        user = USERS.get_object(request.user, key)
        qs = TOKENS.visible(request.user).filter(user=user)
        return page_response(request, qs, lambda objs: self.render_list(request, objs))


class MeView(ResourceView):
    resource = USERS

    def get(self, request):
        qs = User.objects.filter(pk=request.user.pk)
        return page_response(request, qs, lambda objs: self.render_list(request, objs))


def org_member_filter(name):
    return lambda org: Q(**{("admin_of_organizations" if name == "admins" else "organizations"):
                            org})
