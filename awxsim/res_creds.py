"""Credential types and credentials (secret inputs answered as ``$encrypted$``)."""
from rest_framework import serializers
from rest_framework.response import Response

from awxsim import access
from awxsim.models import Credential, CredentialType, Team, User
from awxsim.resource import API, InputSerializer, Resource, role_summary
from awxsim.views_base import bad_request

ENCRYPTED = "$encrypted$"


class CredentialTypeSerializer(InputSerializer):
    inputs = serializers.JSONField(required=False)
    injectors = serializers.JSONField(required=False)

    class Meta:
        model = CredentialType
        fields = ("name", "description", "kind", "inputs", "injectors")

    def validate_kind(self, value):
        if value not in ("cloud", "net"):
            raise serializers.ValidationError("Must be 'cloud' or 'net', not %s" % value)
        return value

    def validate_inputs(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Must be a JSON object.")
        fields = value.get("fields", [])
        if not isinstance(fields, list):
            raise serializers.ValidationError("'fields' must be a list.")
        for field in fields:
            if not isinstance(field, dict) or "id" not in field or "label" not in field:
                raise serializers.ValidationError("Each field needs an 'id' and a 'label'.")
        return value

    def validate_injectors(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Must be a JSON object.")
        return value


class CredentialTypeResource(Resource):
    model = CredentialType
    type_name = "credential_type"
    endpoint = "credential_types"
    serializer_class = CredentialTypeSerializer
    org_path = None
    select_related = ("created_by", "modified_by")
    named_parts = ("name+kind",)
    unique_together = ((("name", "kind"),
                        "Credential type with this Name and Kind already exists."),)

    def lookup_filter(self, key):
        from django.db.models import Q
        if str(key).isdigit():
            return Q(pk=int(key))
        name, sep, kind = str(key).rpartition("+")
        return Q(name=name, kind=kind) if sep else None

    def named_url(self, obj):
        return "%scredential_types/%s+%s/" % (API, obj.name, obj.kind)

    def update(self, request, obj, data, partial):
        if obj.managed:
            access.deny("Modifications not allowed for managed credential types")
        return super().update(request, obj, data, partial)

    def delete(self, request, obj):
        if obj.managed:
            access.deny("Deletion not allowed for managed credential types")
        if obj.credentials.exists():
            access.deny("Credential types that are in use cannot be deleted")
        return super().delete(request, obj)

    def render(self, obj, ctx):
        body = self.common(obj, ctx, related=("activity_stream", "credentials"))
        body["summary_fields"]["user_capabilities"] = {
            "delete": ctx.user.is_superuser, "edit": ctx.user.is_superuser}
        body.update(name=obj.name, description=obj.description, kind=obj.kind,
                    namespace=obj.namespace, managed=obj.managed, inputs=obj.inputs,
                    injectors=obj.injectors)
        return body


def input_fields(credential_type):
    return {f["id"]: f for f in (credential_type.inputs or {}).get("fields", [])}


def validate_inputs(credential_type, inputs, stored=None):
    """AWX's checks of ``inputs`` against the type's schema; ``$encrypted$`` keeps a secret."""
    if inputs is None:
        return {}
    if not isinstance(inputs, dict):
        raise bad_request({"inputs": ["Must be a valid JSON or YAML dictionary."]})
    fields = input_fields(credential_type)
    unknown = [k for k in inputs if k not in fields]
    if unknown:
        raise bad_request({"inputs": ["Additional properties are not allowed (%s %s unexpected)"
                                      % (", ".join("'%s'" % k for k in unknown),
                                         "was" if len(unknown) == 1 else "were")]})
    errors = {}
    result = {}
    for key, value in inputs.items():
        field = fields[key]
        if field.get("secret") and value == ENCRYPTED:
            if stored and key in stored:
                result[key] = stored[key]
            continue
        kind = field.get("type", "string")
        if kind == "boolean" and not isinstance(value, bool):
            errors[key] = ["%r is not of type 'boolean'" % (value,)]
            continue
        if kind == "string" and not isinstance(value, str):
            errors[key] = ["%r is not of type 'string'" % (value,)]
            continue
        if "choices" in field and value not in field["choices"]:
            errors[key] = ["'%s' is not one of %s" % (value, field["choices"])]
            continue
        result[key] = value
    if errors:
        raise bad_request({"inputs": errors})
    return result


class CredentialSerializer(InputSerializer):
    inputs = serializers.JSONField(required=False)
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False,
                                              allow_null=True, write_only=True)
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False,
                                              allow_null=True, write_only=True)

    class Meta:
        model = Credential
        fields = ("name", "description", "organization", "credential_type", "inputs", "user",
                  "team")


class CredentialResource(Resource):
    model = Credential
    type_name = "credential"
    endpoint = "credentials"
    serializer_class = CredentialSerializer
    select_related = ("organization", "credential_type", "created_by", "modified_by")
    named_parts = ("name", "credential_type__name+credential_type__kind", "organization__name")
    unique_together = ((("organization", "name", "credential_type"),
                        "Credential with this Organization, Name and Credential type already "
                        "exists."),)

    def visible(self, user):
        qs = self.base_queryset()
        org_ids = access.readable_org_ids(user)
        if org_ids is None:
            return qs
        from django.db.models import Q
        return qs.filter(Q(organization__in=org_ids) | Q(user=user))

    def can_read(self, user, obj):
        return super().can_read(user, obj) or obj.user_id == user.id

    def can_change(self, user, obj):
        owned = obj.organization_id is None and obj.user_id == user.id
        return super().can_change(user, obj) or owned

    def update(self, request, obj, data, partial):
        if obj.managed:
            access.deny("Modifications not allowed for managed credentials")
        return super().update(request, obj, data, partial)

    def can_create(self, user, data):
        if data.get("organization") is None:
            return user.is_superuser or data.get("user") in (None, user)
        return super().can_create(user, data)

    def extra_validation(self, request, data, instance):
        if instance is None and not any(data.get(owner) for owner in ("user", "team", "organization")):
            # AWX refuses a credential nobody owns (checked on AWX 24.6.1), before its inputs
            raise bad_request({"detail": ["Missing 'user', 'team', or 'organization'."]})
        ctype = data.get("credential_type") or getattr(instance, "credential_type", None)
        if "inputs" in data or instance is None:
            stored = instance.inputs if instance is not None else None
            data["inputs"] = validate_inputs(ctype, data.get("inputs"), stored)
        team = data.pop("team", None)
        user = data.pop("user", None)
        if data.get("organization") is None and instance is None:
            if team is not None:
                data["organization"] = team.organization
            elif user is not None:
                data["user"] = user

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"copy": can, "delete": can, "edit": can, "use": self.can_read(ctx.user, obj)}

    def render(self, obj, ctx):
        ctype = obj.credential_type
        secrets = ctype.secret_fields()
        inputs = {k: (ENCRYPTED if k in secrets and v not in ("", None) else v)
                  for k, v in (obj.inputs or {}).items()}
        org = obj.organization
        summary = {
            "credential_type": {"id": ctype.id, "name": ctype.name,
                                "description": ctype.description},
            "object_roles": role_summary(obj.id, [("admin_role", "Admin"), ("use_role", "Use"),
                                                  ("read_role", "Read")]),
            "owners": ([{"id": org.id, "name": org.name, "type": "organization",
                         "url": "%sorganizations/%d/" % (API, org.id)}] if org else []),
        }
        extra = {"credential_type": "%scredential_types/%d/" % (API, ctype.id)}
        if org is not None:
            summary["organization"] = {"id": org.id, "name": org.name,
                                       "description": org.description}
            extra["organization"] = "%sorganizations/%d/" % (API, org.id)
        body = self.common(obj, ctx, related=(
            "access_list", "activity_stream", "copy", "input_sources", "object_roles",
            "owner_teams", "owner_users"), extra_related=extra, summary=summary)
        body.update(name=obj.name, description=obj.description, organization=obj.organization_id,
                    credential_type=ctype.id, managed=obj.managed, inputs=inputs,
                    kind=ctype.namespace, cloud=ctype.kind == "cloud",
                    kubernetes=ctype.kind == "kubernetes")
        return body

    def delete(self, request, obj):
        if obj.managed:
            access.deny("Deletion not allowed for managed credentials")
        if not self.can_change(request.user, obj):
            access.deny()
        obj.delete()
        return Response(status=204)


def credential_summary(cred):
    ctype = cred.credential_type
    return {"cloud": ctype.kind == "cloud", "description": cred.description, "id": cred.id,
            "kind": ctype.namespace, "name": cred.name}


CREDENTIAL_TYPES = CredentialTypeResource()
CREDENTIALS = CredentialResource()


def check_galaxy(organization, credential):
    if credential.credential_type.kind != "galaxy":
        raise bad_request({"msg": "Credential must be a Galaxy credential, not %s."
                                  % credential.credential_type.name})
