"""Projects: where playbooks come from.
"""
from django.db import models

from awxsim.models.base import APP, Base


class Project(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey("Organization", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="projects")
    local_path = models.CharField(max_length=1024, blank=True, default="")
    scm_type = models.CharField(max_length=8, blank=True, default="")
    scm_url = models.CharField(max_length=1024, blank=True, default="")
    scm_branch = models.CharField(max_length=256, blank=True, default="")
    scm_refspec = models.CharField(max_length=1024, blank=True, default="")
    scm_clean = models.BooleanField(default=False)
    scm_track_submodules = models.BooleanField(default=False)
    scm_delete_on_update = models.BooleanField(default=False)
    scm_update_on_launch = models.BooleanField(default=False)
    scm_update_cache_timeout = models.PositiveIntegerField(default=0)
    allow_override = models.BooleanField(default=False)
    timeout = models.IntegerField(default=0)
    credential = models.ForeignKey("Credential", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    signature_validation_credential = models.ForeignKey(
        "Credential", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    default_environment = models.ForeignKey("ExecutionEnvironment", null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=32, default="ok")
    last_job_run = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "organization"),)
