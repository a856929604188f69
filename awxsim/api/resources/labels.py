"""Labels (organization-scoped; AWX has no DELETE for them)."""
from awxsim.api import access
from awxsim.api.resource import API, InputSerializer, Resource
from awxsim.models import Label


class LabelSerializer(InputSerializer):
    class Meta:
        model = Label
        fields = ("name", "organization")


class LabelResource(Resource):
    model = Label
    type_name = "label"
    endpoint = "labels"
    serializer_class = LabelSerializer
    select_related = ("organization", "created_by", "modified_by")
    named_parts = ("name", "organization__name")
    search_fields = ("name",)
    unique_together = ((("name", "organization"),
                        "Label with this Name and Organization already exists."),)

    def can_create(self, user, data):
        org = data.get("organization")
        return org is not None and access.can_read_org(user, org.id)

    def render(self, obj, ctx):
        body = self.common(obj, ctx, extra_related={
            "organization": "%sorganizations/%d/" % (API, obj.organization_id)}, summary={
            "organization": {"description": obj.organization.description,
                             "id": obj.organization_id, "name": obj.organization.name}})
        body["summary_fields"].pop("user_capabilities", None)
        body.update(name=obj.name, organization=obj.organization_id)
        return body


LABELS = LabelResource()


def existing_label(parent, data):
    """A label named in a sub-list create body that already exists in that organization."""
    name, org = data.get("name"), data.get("organization")
    if not isinstance(name, str) or org in (None, ""):
        return None
    try:
        return Label.objects.filter(name=name, organization_id=int(org)).first()
    except (TypeError, ValueError):
        return None


def delete_if_unused(parent, label_id):
    """AWX deletes a label at once when its last template, job or inventory drops it."""
    Label.objects.filter(pk=label_id, job_templates__isnull=True, jobs__isnull=True,
                         inventories__isnull=True).delete()
