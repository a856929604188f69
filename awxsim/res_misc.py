"""Labels, execution environments, instance groups and the read-only stubs."""
from rest_framework import serializers
from rest_framework.response import Response

from awxsim import access
from awxsim.models import ExecutionEnvironment, InstanceGroup, Label, NotificationTemplate
from awxsim.resource import API, InputSerializer, Resource, ResourceView, role_summary
from awxsim.views_base import bad_request, page_response


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
            from awxsim.views_base import bad_request
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


class InstanceGroupResource(Resource):
    model = InstanceGroup
    type_name = "instance_group"
    endpoint = "instance_groups"
    org_path = None
    writable = False
    named_parts = ("name",)
    search_fields = ("name",)

    def capabilities(self, ctx, obj):
        return {"delete": False, "edit": ctx.user.is_superuser}

    def render(self, obj, ctx):
        body = self.common(obj, ctx, related=("access_list", "instances", "jobs",
                                              "object_roles"),
                           summary={"object_roles": role_summary(obj.id, [
                               ("admin_role", "Admin"), ("use_role", "Use"),
                               ("read_role", "Read")])})
        body["related"].pop("named_url", None)
        body.update(name=obj.name, capacity=220, consumed_capacity=0, credential=None,
                    instances=1, is_container_group=obj.is_container_group, jobs_running=0,
                    jobs_total=0, max_concurrent_jobs=obj.max_concurrent_jobs,
                    max_forks=obj.max_forks, percent_capacity_remaining=100.0,
                    pod_spec_override="", policy_instance_list=[],
                    policy_instance_minimum=obj.policy_instance_minimum,
                    policy_instance_percentage=obj.policy_instance_percentage)
        return body


LABELS = LabelResource()
EXECUTION_ENVIRONMENTS = ExecutionEnvironmentResource()
INSTANCE_GROUPS = InstanceGroupResource()


class EmptyListView(ResourceView):
    """Endpoints the simulator lists but never fills (project/inventory updates, workflows)."""

    def get(self, request, key=None):
        return page_response(request, [], lambda objs: [])


class EmptyDetailView(ResourceView):
    label = "object"

    def get(self, request, key):
        from rest_framework.exceptions import NotFound
        raise NotFound("No %s matches the given query." % self.label)


class InstancesView(ResourceView):
    def get(self, request):
        return Response({"count": 1, "next": None, "previous": None, "results": [{
            "id": 1, "type": "instance", "url": API + "instances/1/", "hostname": "awxsim",
            "node_type": "hybrid", "node_state": "ready", "enabled": True, "managed": True,
            "capacity": 220, "version": "24.6.1", "related": {}, "summary_fields": {},
        }]})


NOTIFICATION_TYPES = ("awssns", "email", "grafana", "irc", "mattermost", "pagerduty",
                      "rocketchat", "slack", "twilio", "webhook")
# Configuration keys AWX stores encrypted and answers as $encrypted$.
NOTIFICATION_SECRETS = {"password", "token", "account_token", "service_key", "grafana_key",
                        "bot_token", "aws_secret_access_key", "irc_password"}


# Configuration keys a type needs (those without a default), in AWX's order, for the types the
# recordings show; other types are not checked.
NOTIFICATION_REQUIRED = {"slack": ("token", "channels"), "webhook": ("url", "headers")}


def check_notification_configuration(notification_type, config):
    missing = [key for key in NOTIFICATION_REQUIRED.get(notification_type, ()) if key not in config]
    if missing:
        raise bad_request({"__all__": ["Missing required fields for Notification Configuration: %s." % missing]})
    if notification_type == "webhook" and config.get("http_method", "POST") not in ("POST", "PUT"):
        raise bad_request({"__all__": ["HTTP method must be either 'POST' or 'PUT'."]})


class NotificationTemplateSerializer(InputSerializer):
    notification_configuration = serializers.JSONField(required=False)
    messages = serializers.JSONField(required=False, allow_null=True)

    class Meta:
        model = NotificationTemplate
        fields = ("name", "description", "organization", "notification_type",
                  "notification_configuration", "messages")

    def validate_notification_type(self, value):
        if value not in NOTIFICATION_TYPES:
            raise serializers.ValidationError('"%s" is not a valid choice.' % value)
        return value

    def validate_notification_configuration(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError("Must be a valid JSON object.")
        return value

    def validate_messages(self, value):
        if value is not None and not isinstance(value, dict):
            raise serializers.ValidationError("Expected dict for 'messages' field, found %s"
                                              % type(value).__name__)
        return value


class NotificationTemplateResource(Resource):
    model = NotificationTemplate
    type_name = "notification_template"
    endpoint = "notification_templates"
    serializer_class = NotificationTemplateSerializer
    select_related = ("organization", "created_by", "modified_by")
    named_parts = ("name", "organization__name")
    unique_together = ((("organization", "name"),
                        "Notification template with this Organization and Name already "
                        "exists."),)

    def extra_validation(self, request, data, instance):
        if "notification_configuration" in data and instance is not None:
            stored = instance.notification_configuration or {}
            data["notification_configuration"] = {
                k: (stored.get(k) if v == "$encrypted$" and k in NOTIFICATION_SECRETS else v)
                for k, v in data["notification_configuration"].items()}
        if "notification_configuration" in data or instance is None:
            kind = data.get("notification_type") or getattr(instance, "notification_type", None)
            check_notification_configuration(kind, data.get("notification_configuration") or {})

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"copy": can, "delete": can, "edit": can}

    def render(self, obj, ctx):
        body = self.common(obj, ctx, related=("copy", "notifications", "test"), extra_related={
            "organization": "%sorganizations/%d/" % (API, obj.organization_id)}, summary={
            "organization": {"description": obj.organization.description,
                             "id": obj.organization_id, "name": obj.organization.name},
            "recent_notifications": []})
        config = {k: ("$encrypted$" if k in NOTIFICATION_SECRETS and v not in ("", None) else v)
                  for k, v in (obj.notification_configuration or {}).items()}
        body.update(name=obj.name, description=obj.description,
                    organization=obj.organization_id, notification_type=obj.notification_type,
                    notification_configuration=config, messages=obj.messages)
        return body


NOTIFICATION_TEMPLATES = NotificationTemplateResource()
