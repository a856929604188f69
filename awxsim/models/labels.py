"""Labels (organization-scoped tags of templates, jobs and inventories).
"""
from django.db import models

from awxsim.models.base import APP, Base


class Label(Base):
    name = models.CharField(max_length=512)
    organization = models.ForeignKey("Organization", on_delete=models.CASCADE,
                                     related_name="labels")

    class Meta:
        app_label = APP
        ordering = ("organization__name", "name")
        unique_together = (("name", "organization"),)
