"""Credential input sources: an input of a credential looked up through an external one."""
from rest_framework import serializers

from awxsim.api.protocol import bad_request
from awxsim.api.resource import API, InputSerializer, Resource
from awxsim.models import CredentialInputSource


class CredentialInputSourceSerializer(InputSerializer):
    metadata = serializers.JSONField(required=False)

    class Meta:
        model = CredentialInputSource
        fields = ("description", "input_field_name", "metadata", "target_credential",
                  "source_credential")


def _field_ids(inputs, section="fields"):
    return [f.get("id") for f in (inputs or {}).get(section, []) if isinstance(f, dict)]


class CredentialInputSourceResource(Resource):
    model = CredentialInputSource
    type_name = "credential_input_source"
    endpoint = "credential_input_sources"
    serializer_class = CredentialInputSourceSerializer
    org_path = "target_credential__organization"
    search_fields = ("description", "input_field_name")
    select_related = ("target_credential__credential_type", "source_credential__credential_type",
                      "created_by", "modified_by")
    unique_together = ((("target_credential", "input_field_name"),
                        "Credential input source with this Target credential and Input field "
                        "name already exists."),)

    def extra_validation(self, request, data, instance):
        source = data.get("source_credential") or getattr(instance, "source_credential", None)
        target = data.get("target_credential") or getattr(instance, "target_credential", None)
        if source is not None and source.credential_type.kind != "external":
            raise bad_request({"source_credential": ["Source must be an external credential"]})
        if target is not None and target.credential_type.kind == "external":
            raise bad_request({"target_credential": ["Target must be a non-external credential"]})
        field = data.get("input_field_name", getattr(instance, "input_field_name", None))
        if target is not None:
            fields = _field_ids(target.credential_type.inputs)
            if field not in fields:
                raise bad_request({"input_field_name": [
                    "Input field must be defined on target credential (options are %s)."
                    % ", ".join(sorted(f for f in fields if f))]})
        if source is not None and ("metadata" in data or instance is None):
            metadata = data.get("metadata") or {}
            if not isinstance(metadata, dict):
                raise bad_request({"metadata": ["Must be an object."]})
            spec = [f for f in (source.credential_type.inputs or {}).get("metadata", [])
                    if isinstance(f, dict)]
            known = {f.get("id") for f in spec}
            unknown = sorted(set(metadata) - known)
            if unknown:
                raise bad_request({"metadata": ["Additional properties are not allowed (%s %s "
                                                "unexpected)" % (", ".join(repr(u) for u in unknown),
                                                                 "was" if len(unknown) == 1 else "were")]})
            required = (source.credential_type.inputs or {}).get("required", [])
            missing = [f.get("id") for f in spec if f.get("id") in required
                       and metadata.get(f.get("id")) in (None, "")]
            if missing:
                raise bad_request({"metadata": {name: ["required for %s" % source.credential_type.name]
                                                for name in missing}})
            data["metadata"] = metadata

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"delete": can, "edit": can}

    def render(self, obj, ctx):
        summary, related = {}, {}
        for role in ("source_credential", "target_credential"):
            cred = getattr(obj, role)
            related[role] = "%scredentials/%d/" % (API, cred.id)
            summary[role] = {"cloud": cred.credential_type.kind == "cloud",
                             "credential_type_id": cred.credential_type_id,
                             "description": cred.description, "id": cred.id, "name": cred.name}
        body = self.common(obj, ctx, extra_related=related, summary=summary)
        body.update(description=obj.description, input_field_name=obj.input_field_name,
                    metadata=obj.metadata, target_credential=obj.target_credential_id,
                    source_credential=obj.source_credential_id)
        return body


CREDENTIAL_INPUT_SOURCES = CredentialInputSourceResource()
