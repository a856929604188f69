"""Projects (where playbooks come from) and their SCM updates."""
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
    scm_revision = models.CharField(max_length=1024, blank=True, default="")
    last_job_run = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = APP
        ordering = ("name",)
        # No unique constraint: AWX checks (name, organization) on POST/PUT/PATCH only, and a
        # copy may reuse a name.


class ProjectUpdate(Base):
    """One run of an SCM update (``git`` clone/fetch/checkout into the project's directory)."""
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    project = models.ForeignKey("Project", on_delete=models.CASCADE, related_name="updates")
    organization = models.ForeignKey("Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    credential = models.ForeignKey("Credential", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    local_path = models.CharField(max_length=1024, blank=True, default="")
    scm_type = models.CharField(max_length=8, blank=True, default="")
    scm_url = models.CharField(max_length=1024, blank=True, default="")
    scm_branch = models.CharField(max_length=256, blank=True, default="")
    scm_refspec = models.CharField(max_length=1024, blank=True, default="")
    scm_clean = models.BooleanField(default=False)
    scm_track_submodules = models.BooleanField(default=False)
    scm_delete_on_update = models.BooleanField(default=False)
    scm_revision = models.CharField(max_length=1024, blank=True, default="")
    timeout = models.IntegerField(default=0)
    job_type = models.CharField(max_length=64, default="check")
    job_tags = models.CharField(max_length=1024, blank=True,
                                default="update_git,install_roles,install_collections")
    launch_type = models.CharField(max_length=20, default="manual")
    launched_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    status = models.CharField(max_length=20, default="pending")
    failed = models.BooleanField(default=False)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    canceled_on = models.DateTimeField(null=True, blank=True)
    elapsed = models.FloatField(default=0.0)
    job_explanation = models.TextField(blank=True, default="")
    result_traceback = models.TextField(blank=True, default="")
    event_processing_finished = models.BooleanField(default=False)
    stdout = models.TextField(blank=True, default="")
    cancel_flag = models.BooleanField(default=False)
    job_args = models.TextField(blank=True, default="")
    job_cwd = models.CharField(max_length=1024, blank=True, default="")
    execution_node = models.CharField(max_length=512, blank=True, default="")

    class Meta:
        app_label = APP
        ordering = ("id",)
