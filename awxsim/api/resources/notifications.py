"""Notification templates (secret configuration keys answered ``$encrypted$``)."""
from rest_framework import serializers

from awxsim.api.protocol import bad_request
from awxsim.api.resource import API, InputSerializer, Resource
from awxsim.models import NotificationTemplate


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
