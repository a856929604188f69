"""Job templates and jobs with their events and host summaries.

The job runner (``awxsim.runtime.playbooks``) reads ``Job``/``JobTemplate``/``Project`` and writes
``Job`` status fields, ``JobEvent`` and ``JobHostSummary`` rows.
"""
from django.db import models
from django.utils import timezone

from awxsim.models.base import APP, Base, OrderedMembership


class JobOptions(Base):
    """The run options a job template and the jobs launched from it both carry."""
    job_type = models.CharField(max_length=64, default="run")
    playbook = models.CharField(max_length=1024, blank=True, default="")
    scm_branch = models.CharField(max_length=1024, blank=True, default="")
    forks = models.PositiveIntegerField(default=0)
    limit = models.TextField(blank=True, default="")
    verbosity = models.PositiveIntegerField(default=0)
    extra_vars = models.TextField(blank=True, default="")
    job_tags = models.TextField(blank=True, default="")
    skip_tags = models.TextField(blank=True, default="")
    start_at_task = models.CharField(max_length=1024, blank=True, default="")
    timeout = models.IntegerField(default=0)
    force_handlers = models.BooleanField(default=False)
    use_fact_cache = models.BooleanField(default=False)
    become_enabled = models.BooleanField(default=False)
    diff_mode = models.BooleanField(default=False)
    allow_simultaneous = models.BooleanField(default=False)
    job_slice_count = models.PositiveIntegerField(default=1)
    execution_environment = models.ForeignKey("ExecutionEnvironment", null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True
        app_label = APP


class JobTemplate(JobOptions):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey("Organization", null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="job_templates")
    inventory = models.ForeignKey("Inventory", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="job_templates")
    project = models.ForeignKey("Project", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="job_templates")
    host_config_key = models.CharField(max_length=1024, blank=True, default="")
    custom_virtualenv = models.CharField(max_length=100, null=True, blank=True, default=None)
    prevent_instance_group_fallback = models.BooleanField(default=False)
    webhook_service = models.CharField(max_length=16, blank=True, default="")
    webhook_key = models.CharField(max_length=64, blank=True, default="")
    webhook_credential = models.ForeignKey("Credential", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    survey_enabled = models.BooleanField(default=False)
    survey_spec = models.JSONField(default=dict, blank=True)
    ask_credential_on_launch = models.BooleanField(default=False)
    ask_diff_mode_on_launch = models.BooleanField(default=False)
    ask_execution_environment_on_launch = models.BooleanField(default=False)
    ask_forks_on_launch = models.BooleanField(default=False)
    ask_instance_groups_on_launch = models.BooleanField(default=False)
    ask_inventory_on_launch = models.BooleanField(default=False)
    ask_job_slice_count_on_launch = models.BooleanField(default=False)
    ask_job_type_on_launch = models.BooleanField(default=False)
    ask_labels_on_launch = models.BooleanField(default=False)
    ask_limit_on_launch = models.BooleanField(default=False)
    ask_scm_branch_on_launch = models.BooleanField(default=False)
    ask_skip_tags_on_launch = models.BooleanField(default=False)
    ask_tags_on_launch = models.BooleanField(default=False)
    ask_timeout_on_launch = models.BooleanField(default=False)
    ask_variables_on_launch = models.BooleanField(default=False)
    ask_verbosity_on_launch = models.BooleanField(default=False)
    credentials = models.ManyToManyField("Credential", blank=True, related_name="job_templates")
    labels = models.ManyToManyField("Label", blank=True, related_name="job_templates")

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "organization"),)


class JobTemplateInstanceGroup(OrderedMembership):
    parent = models.ForeignKey("JobTemplate", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("InstanceGroup", on_delete=models.CASCADE,
                               related_name="job_template_memberships")


ACTIVE_JOB_STATUSES = ("new", "pending", "waiting", "running")


FINISHED_JOB_STATUSES = ("successful", "failed", "error", "canceled")


class Job(JobOptions):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    job_template = models.ForeignKey("JobTemplate", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="jobs")
    # AWX's unified_job_template id (the JT the job came from), kept when the JT goes away.
    unified_job_template_id = models.IntegerField(null=True, blank=True)
    organization = models.ForeignKey("Organization", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    inventory = models.ForeignKey("Inventory", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="jobs")
    project = models.ForeignKey("Project", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="jobs")
    scm_revision = models.CharField(max_length=1024, blank=True, default="")
    job_slice_number = models.PositiveIntegerField(default=0)
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
    artifacts = models.JSONField(default=dict, blank=True)
    stdout = models.TextField(blank=True, default="")
    cancel_flag = models.BooleanField(default=False)
    # The instance group the job ran on (AWX: the template's first, else the inventory's, else
    # the organization's, else ``default``).
    instance_group_id = models.IntegerField(null=True, blank=True)
    # Survey password answers: rendered as $encrypted$ in extra_vars (AWX's survey_passwords).
    survey_passwords = models.JSONField(default=dict, blank=True)
    job_args = models.TextField(blank=True, default="")
    job_cwd = models.CharField(max_length=1024, blank=True, default="")
    job_env = models.JSONField(default=dict, blank=True)
    controller_node = models.CharField(max_length=512, blank=True, default="")
    execution_node = models.CharField(max_length=512, blank=True, default="")
    credentials = models.ManyToManyField("Credential", blank=True, related_name="jobs")
    labels = models.ManyToManyField("Label", blank=True, related_name="jobs")

    class Meta:
        app_label = APP
        ordering = ("id",)

    @property
    def is_active(self):
        return self.status in ACTIVE_JOB_STATUSES


class JobEvent(models.Model):
    job = models.ForeignKey("Job", on_delete=models.CASCADE, related_name="job_events")
    counter = models.PositiveIntegerField(default=0)
    event = models.CharField(max_length=100)
    event_data = models.JSONField(default=dict, blank=True)
    uuid = models.CharField(max_length=1024, blank=True, default="")
    parent_uuid = models.CharField(max_length=1024, blank=True, default="")
    host = models.ForeignKey("Host", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="job_events")
    host_name = models.CharField(max_length=1024, blank=True, default="")
    playbook = models.CharField(max_length=1024, blank=True, default="")
    play = models.CharField(max_length=1024, blank=True, default="")
    role = models.CharField(max_length=1024, blank=True, default="")
    task = models.CharField(max_length=1024, blank=True, default="")
    stdout = models.TextField(blank=True, default="")
    start_line = models.PositiveIntegerField(default=0)
    end_line = models.PositiveIntegerField(default=0)
    verbosity = models.PositiveIntegerField(default=0)
    failed = models.BooleanField(default=False)
    changed = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = APP
        ordering = ("counter",)


class JobHostSummary(models.Model):
    job = models.ForeignKey("Job", on_delete=models.CASCADE, related_name="job_host_summaries")
    host = models.ForeignKey("Host", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="job_host_summaries")
    host_name = models.CharField(max_length=1024, blank=True, default="")
    ok = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    dark = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    rescued = models.PositiveIntegerField(default=0)
    ignored = models.PositiveIntegerField(default=0)
    failed = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = APP
        ordering = ("-id",)                # AWX: newest first
