"""Instance groups (where jobs run; read-only in the simulator).
"""
from django.db import models

from awxsim.models.base import APP, Base


class InstanceGroup(Base):
    name = models.CharField(max_length=250, unique=True)
    is_container_group = models.BooleanField(default=False)
    max_concurrent_jobs = models.IntegerField(default=0)
    max_forks = models.IntegerField(default=0)
    policy_instance_percentage = models.IntegerField(default=0)
    policy_instance_minimum = models.IntegerField(default=0)

    class Meta:
        app_label = APP
        ordering = ("id",)
