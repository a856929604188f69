"""Execution environments (container images jobs run in).
"""
from django.db import models

from awxsim.models.base import APP, Base


class ExecutionEnvironment(Base):
    name = models.CharField(max_length=512, unique=True)
    description = models.TextField(blank=True, default="")
    image = models.CharField(max_length=1024)
    organization = models.ForeignKey("Organization", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    managed = models.BooleanField(default=False)
    pull = models.CharField(max_length=16, blank=True, default="")
    credential = models.ForeignKey("Credential", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = APP
        ordering = ("-created", "-id")      # AWX lists the newest execution environment first
