"""Execution environments (organization-scoped or global) and the one a job resolves to."""
from awxsim.api import access
from awxsim.api.protocol import bad_request
from awxsim.api.resource import API, InputSerializer, Resource
from awxsim.models import ExecutionEnvironment


DEFAULT_EE_ID = 1


def resolve_environment(*candidates):
    """The execution environment AWX would use: the first one set on the job template,
    project or organization, else the global default."""
    for candidate in candidates:
        if candidate is not None:
            return candidate
    return ExecutionEnvironment.objects.filter(pk=DEFAULT_EE_ID).first()


def ee_summary(ee):
    return {"description": ee.description, "id": ee.id, "image": ee.image, "name": ee.name}


class ExecutionEnvironmentSerializer(InputSerializer):
    class Meta:
        model = ExecutionEnvironment
        fields = ("name", "description", "image", "organization", "pull", "credential")


class ExecutionEnvironmentResource(Resource):
    model = ExecutionEnvironment
    type_name = "execution_environment"
    endpoint = "execution_environments"
    serializer_class = ExecutionEnvironmentSerializer
    org_path = None
    select_related = ("organization", "created_by", "modified_by")
    named_parts = ("name",)
    unique_together = ((("name",), "!Execution environment with this Name already exists."),)

    def can_create(self, user, data):
        org = data.get("organization")
        return user.is_superuser or (org is not None and access.can_admin_org(user, org.id))

    def can_change(self, user, obj):
        return user.is_superuser or (obj.organization_id is not None
                                     and access.can_admin_org(user, obj.organization_id))

    def extra_validation(self, request, data, instance):
        pull = data.get("pull")
        if pull not in (None, "", "always", "missing", "never"):
            raise bad_request({"pull": ['"%s" is not a valid choice.' % pull]})

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"copy": can, "delete": can and not obj.managed, "edit": can}

    def delete(self, request, obj):
        if obj.managed:
            access.deny()
        return super().delete(request, obj)

    def render(self, obj, ctx):
        extra = {}
        summary = {}
        if obj.organization_id:
            extra["organization"] = "%sorganizations/%d/" % (API, obj.organization_id)
            summary["organization"] = {"id": obj.organization_id,
                                       "name": obj.organization.name,
                                       "description": obj.organization.description}
        body = self.common(obj, ctx, related=("activity_stream", "copy",
                                              "unified_job_templates"),
                           extra_related=extra, summary=summary)
        body["related"].pop("named_url", None)
        body.update(name=obj.name, description=obj.description, image=obj.image,
                    organization=obj.organization_id, managed=obj.managed, pull=obj.pull,
                    credential=obj.credential_id)
        return body


EXECUTION_ENVIRONMENTS = ExecutionEnvironmentResource()
