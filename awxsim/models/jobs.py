"""The simulator's data model: the AWX objects the collection manages, with AWX's field names.

Only what the API shows or filters on is stored. Relations use AWX's names so that filters such
as ``inventory__organization__name`` work unchanged. The job runner (``awxsim.execution``) reads
``Job``/``JobTemplate``/``Project`` and writes ``Job`` status fields, ``JobEvent`` and
``JobHostSummary`` rows.
"""
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone

APP = "awxsim"


class Base(models.Model):
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    modified_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        abstract = True
        app_label = APP

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.modified = timezone.now()
        super().save(*args, **kwargs)


class User(models.Model):
    username = models.CharField(max_length=150, unique=True)
    password = models.CharField(max_length=255, default="")
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    is_superuser = models.BooleanField(default=False)
    is_system_auditor = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(null=True, blank=True)
    last_login = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = APP
        ordering = ("username",)

    # What DRF and our permission checks expect of request.user.
    is_authenticated = True
    is_anonymous = False

    def set_password(self, raw):
        self.password = make_password(raw)

    def check_password(self, raw):
        return check_password(raw, self.password)

    def __str__(self):
        return self.username


class Organization(Base):
    name = models.CharField(max_length=512, unique=True)
    description = models.TextField(blank=True, default="")
    max_hosts = models.PositiveIntegerField(default=0)
    custom_virtualenv = models.CharField(max_length=100, null=True, blank=True, default=None)
    default_environment = models.ForeignKey("ExecutionEnvironment", null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    admins = models.ManyToManyField(User, related_name="admin_of_organizations", blank=True)
    users = models.ManyToManyField(User, related_name="organizations", blank=True)
    notification_templates_started = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_started")
    notification_templates_success = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_success")
    notification_templates_error = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_error")
    notification_templates_approvals = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_approvals")

    class Meta:
        app_label = APP
        ordering = ("name",)


class Team(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    users = models.ManyToManyField(User, related_name="teams", blank=True)

    class Meta:
        app_label = APP
        ordering = ("organization__name", "name")
        unique_together = (("organization", "name"),)


class Token(Base):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=128, unique=True)
    description = models.TextField(blank=True, default="")
    scope = models.CharField(max_length=32, default="write")
    expires = models.DateTimeField()

    class Meta:
        app_label = APP
        ordering = ("id",)


class ExecutionEnvironment(Base):
    name = models.CharField(max_length=512, unique=True)
    description = models.TextField(blank=True, default="")
    image = models.CharField(max_length=1024)
    organization = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="+")
    managed = models.BooleanField(default=False)
    pull = models.CharField(max_length=16, blank=True, default="")
    credential = models.ForeignKey("Credential", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        app_label = APP
        ordering = ("-created", "-id")      # AWX lists the newest execution environment first


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


class Inventory(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="inventories")
    variables = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=32, blank=True, default="")
    host_filter = models.TextField(null=True, blank=True, default=None)
    prevent_instance_group_fallback = models.BooleanField(default=False)
    pending_deletion = models.BooleanField(default=False)
    labels = models.ManyToManyField("Label", blank=True, related_name="inventories")

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "organization"),)


class Host(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="hosts")
    enabled = models.BooleanField(default=True)
    instance_id = models.CharField(max_length=1024, blank=True, default="")
    variables = models.TextField(blank=True, default="")
    last_job = models.ForeignKey("Job", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "inventory"),)


class Group(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="groups")
    variables = models.TextField(blank=True, default="")
    hosts = models.ManyToManyField(Host, related_name="groups", blank=True)
    parents = models.ManyToManyField("self", symmetrical=False, related_name="children",
                                     blank=True)

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "inventory"),)


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
    organization = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="credentials")
    credential_type = models.ForeignKey(CredentialType, on_delete=models.PROTECT,
                                        related_name="credentials")
    managed = models.BooleanField(default=False)
    # Stored as given (a simulator keeps no real secrets); never rendered for secret fields.
    inputs = models.JSONField(default=dict, blank=True)
    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")

    class Meta:
        app_label = APP
        ordering = ("name",)


class Label(Base):
    name = models.CharField(max_length=512)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="labels")

    class Meta:
        app_label = APP
        ordering = ("organization__name", "name")
        unique_together = (("name", "organization"),)


class Project(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey(Organization, null=True, blank=True,
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
    credential = models.ForeignKey(Credential, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    signature_validation_credential = models.ForeignKey(
        Credential, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    default_environment = models.ForeignKey(ExecutionEnvironment, null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=32, default="ok")
    last_job_run = models.DateTimeField(null=True, blank=True)
    last_updated = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "organization"),)


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
    execution_environment = models.ForeignKey(ExecutionEnvironment, null=True, blank=True,
                                              on_delete=models.SET_NULL, related_name="+")

    class Meta:
        abstract = True
        app_label = APP


class JobTemplate(JobOptions):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="job_templates")
    inventory = models.ForeignKey(Inventory, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="job_templates")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="job_templates")
    host_config_key = models.CharField(max_length=1024, blank=True, default="")
    custom_virtualenv = models.CharField(max_length=100, null=True, blank=True, default=None)
    prevent_instance_group_fallback = models.BooleanField(default=False)
    webhook_service = models.CharField(max_length=16, blank=True, default="")
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
    credentials = models.ManyToManyField(Credential, blank=True, related_name="job_templates")
    labels = models.ManyToManyField(Label, blank=True, related_name="job_templates")

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "organization"),)


ACTIVE_JOB_STATUSES = ("new", "pending", "waiting", "running")
FINISHED_JOB_STATUSES = ("successful", "failed", "error", "canceled")


class Job(JobOptions):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    job_template = models.ForeignKey(JobTemplate, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="jobs")
    # AWX's unified_job_template id (the JT the job came from), kept when the JT goes away.
    unified_job_template_id = models.IntegerField(null=True, blank=True)
    organization = models.ForeignKey(Organization, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    inventory = models.ForeignKey(Inventory, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="jobs")
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="jobs")
    scm_revision = models.CharField(max_length=1024, blank=True, default="")
    job_slice_number = models.PositiveIntegerField(default=0)
    launch_type = models.CharField(max_length=20, default="manual")
    launched_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL,
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
    job_args = models.TextField(blank=True, default="")
    job_cwd = models.CharField(max_length=1024, blank=True, default="")
    job_env = models.JSONField(default=dict, blank=True)
    controller_node = models.CharField(max_length=512, blank=True, default="")
    execution_node = models.CharField(max_length=512, blank=True, default="")
    credentials = models.ManyToManyField(Credential, blank=True, related_name="jobs")
    labels = models.ManyToManyField(Label, blank=True, related_name="jobs")

    class Meta:
        app_label = APP
        ordering = ("id",)

    @property
    def is_active(self):
        return self.status in ACTIVE_JOB_STATUSES


class JobEvent(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="job_events")
    counter = models.PositiveIntegerField(default=0)
    event = models.CharField(max_length=100)
    event_data = models.JSONField(default=dict, blank=True)
    uuid = models.CharField(max_length=1024, blank=True, default="")
    parent_uuid = models.CharField(max_length=1024, blank=True, default="")
    host = models.ForeignKey(Host, null=True, blank=True, on_delete=models.SET_NULL,
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
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="job_host_summaries")
    host = models.ForeignKey(Host, null=True, blank=True, on_delete=models.SET_NULL,
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


class NotificationTemplate(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE,
                                     related_name="notification_templates")
    notification_type = models.CharField(max_length=32)
    notification_configuration = models.JSONField(default=dict, blank=True)
    messages = models.JSONField(null=True, blank=True, default=None)

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("organization", "name"),)


# Ordered associations (AWX keeps instance groups and constructed-inventory inputs in the order
# they were associated): one row per member with its position.  Each subclass names its
# ``parent`` and ``member`` foreign keys; the position and ordering live here once.
class OrderedMembership(models.Model):
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        app_label = APP
        ordering = ("position",)
        unique_together = (("parent", "member"),)


class OrganizationInstanceGroup(OrderedMembership):
    parent = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(InstanceGroup, on_delete=models.CASCADE,
                               related_name="organization_memberships")


class InventoryInstanceGroup(OrderedMembership):
    parent = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(InstanceGroup, on_delete=models.CASCADE,
                               related_name="inventory_memberships")


class JobTemplateInstanceGroup(OrderedMembership):
    parent = models.ForeignKey(JobTemplate, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(InstanceGroup, on_delete=models.CASCADE,
                               related_name="job_template_memberships")


class OrganizationGalaxyCredential(OrderedMembership):
    parent = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Credential, on_delete=models.CASCADE,
                               related_name="galaxy_memberships")


class InventoryInput(OrderedMembership):
    """An input inventory of a constructed inventory."""
    parent = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Inventory, on_delete=models.CASCADE,
                               related_name="input_memberships")


class Setting(models.Model):
    """One AWX setting (``settings/system/`` and friends), value stored as JSON."""
    key = models.CharField(max_length=255, unique=True)
    value = models.JSONField(null=True)

    class Meta:
        app_label = APP
