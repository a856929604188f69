"""Credential types and credentials.
"""
from django.db import models

from awxsim.models.base import APP, Base


class CredentialType(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=32)
    namespace = models.CharField(max_length=1024, null=True, blank=True, default=None)
    managed = models.BooleanField(default=False)
    inputs = models.JSONField(default=dict, blank=True)
    injectors = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = APP
        ordering = ("kind", "name")
        unique_together = (("name", "kind"),)

    def secret_fields(self):
        return {f["id"] for f in (self.inputs or {}).get("fields", []) if f.get("secret")}


class Credential(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey("Organization", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="credentials")
    credential_type = models.ForeignKey("CredentialType", on_delete=models.PROTECT,
                                        related_name="credentials")
    managed = models.BooleanField(default=False)
    # Stored as given (a simulator keeps no real secrets); never rendered for secret fields.
    inputs = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey("User", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")

    class Meta:
        app_label = APP
        ordering = ("name",)


class CredentialInputSource(Base):
    """An input of ``target_credential`` looked up through an external ``source_credential``."""
    description = models.TextField(blank=True, default="")
    target_credential = models.ForeignKey("Credential", on_delete=models.CASCADE,
                                          related_name="input_sources")
    source_credential = models.ForeignKey("Credential", on_delete=models.CASCADE,
                                          related_name="target_input_sources")
    input_field_name = models.CharField(max_length=1024)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = APP
        ordering = ("id",)
        unique_together = (("target_credential", "input_field_name"),)
