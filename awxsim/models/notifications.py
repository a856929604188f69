"""Notification templates.
"""
from django.db import models

from awxsim.models.base import APP, Base


class NotificationTemplate(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey("Organization", on_delete=models.CASCADE,
                                     related_name="notification_templates")
    notification_type = models.CharField(max_length=32)
    notification_configuration = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(null=True, blank=True, default=None)

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("organization", "name"),)
