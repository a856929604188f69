"""AWX settings (``settings/<category>/``).
"""
from django.db import models

from awxsim.models.base import APP


class Setting(models.Model):
    """One AWX setting (``settings/system/`` and friends), value stored as JSON."""
    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField(null=True)

    class Meta:
        app_label = APP
