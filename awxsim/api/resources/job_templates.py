"""Job templates: the resource, its survey and launching it."""
import json
import secrets

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from rest_framework import serializers
from rest_framework.response import Response

from awxsim.api import access
from awxsim.api.protocol import bad_request
from awxsim.api.resource import (API, InputSerializer, RenderContext, Resource, ResourceView,
                                 add_ordered, check_active_jobs, role_summary, ts)
from awxsim.api.resources import surveys
from awxsim.api.resources.credentials import credential_summary
from awxsim.api.resources.execution_environments import ee_summary, resolve_environment
from awxsim.api.resources.inventories import inventory_totals
from awxsim.api.resources.jobs import JOBS, run_scope_summaries, start
from awxsim.api.resources.projects import find_playbooks
from awxsim.models import (Credential, ExecutionEnvironment, Inventory, Job, JobTemplate,
                           JobTemplateInstanceGroup, Label)


ASK_FIELDS = ("credential", "diff_mode", "execution_environment", "forks", "instance_groups",
              "inventory", "job_slice_count", "job_type", "labels", "limit", "scm_branch",
              "skip_tags", "tags", "timeout", "variables", "verbosity")


# launch field name -> the ask_*_on_launch flag that allows it
PROMPTS = {"diff_mode": "diff_mode", "execution_environment": "execution_environment",
           "forks": "forks", "instance_groups": "instance_groups", "inventory": "inventory",
           "job_slice_count": "job_slice_count", "job_type": "job_type", "labels": "labels",
           "limit": "limit", "scm_branch": "scm_branch", "skip_tags": "skip_tags",
           "job_tags": "tags", "timeout": "timeout", "extra_vars": "variables",
           "verbosity": "verbosity", "credentials": "credential"}


def parse_vars(value):
    """A dict from extra_vars given as a dict, JSON or YAML string ('' -> {})."""
    if value in (None, ""):
        return {}
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise bad_request({"extra_vars": ["Must be a valid JSON or YAML dictionary."]})
    try:
        data = json.loads(value)
    except ValueError:
        try:
            data = yaml.safe_load(value)
        except yaml.YAMLError as exc:
            raise bad_request({"extra_vars": ["Cannot parse as JSON or YAML: %s" % exc]})
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise bad_request({"extra_vars": ["Must be a valid JSON or YAML dictionary."]})
    return data


class JobTemplateSerializer(InputSerializer):
    variables_fields = ("extra_vars",)

    class Meta:
        model = JobTemplate
        fields = ("name", "description", "job_type", "inventory", "project", "playbook",
                  "scm_branch", "forks", "limit", "verbosity", "extra_vars", "job_tags",
                  "skip_tags", "start_at_task", "timeout", "force_handlers", "use_fact_cache",
                  "host_config_key", "become_enabled", "diff_mode", "allow_simultaneous",
                  "job_slice_count", "execution_environment", "prevent_instance_group_fallback",
                  "webhook_service", "webhook_credential", "survey_enabled") + tuple(
                      "ask_%s_on_launch" % f for f in ASK_FIELDS)
        extra_kwargs = {"job_type": {"required": False}}

    def validate_webhook_service(self, value):
        if value not in ("", "github", "gitlab", "bitbucket_dc"):
            raise serializers.ValidationError('"%s" is not a valid choice.' % value)
        return value

    def validate_job_type(self, value):
        if value not in ("run", "check"):
            raise serializers.ValidationError('"%s" is not a valid choice.' % value)
        return value


class JobTemplateResource(Resource):
    model = JobTemplate
    type_name = "job_template"
    endpoint = "job_templates"
    serializer_class = JobTemplateSerializer
    select_related = ("organization", "inventory", "project", "created_by", "modified_by")
    prefetch_related = ("credentials__credential_type", "labels")
    named_parts = ("name", "organization__name")

    def extra_validation(self, request, data, instance):
        project = data.get("project", getattr(instance, "project", None))
        inventory = data.get("inventory", getattr(instance, "inventory", None))
        ask_inventory = data.get("ask_inventory_on_launch",
                                 getattr(instance, "ask_inventory_on_launch", False))
        if project is None and instance is None:
            raise bad_request({"project": ["This field is required."]})
        if instance is None and "playbook" not in data:
            raise bad_request({"playbook": ["This field is required."]})
        playbook = data.get("playbook", getattr(instance, "playbook", ""))
        if project is not None and ("playbook" in data or "project" in data):
            if playbook not in find_playbooks(project):
                raise bad_request({"playbook": ["Playbook not found for project."]})
        if inventory is None and not ask_inventory:
            raise bad_request({"inventory": [
                "You must either set a default value or ask to prompt on launch."]})
        organization = project.organization if project is not None else \
            getattr(instance, "organization", None)
        data["organization"] = organization
        name = data.get("name", getattr(instance, "name", None))
        taken = JobTemplate.objects.filter(name=name, organization=organization)
        if instance is not None:
            taken = taken.exclude(pk=instance.pk)
        if taken.exists():
            raise bad_request({"__all__": [
                "JobTemplate with this (name, organization) combination already exists."]})
        for ref in ("project", "inventory"):
            obj = data.get(ref)
            if obj is not None and not request.user.is_superuser and \
                    not access.can_read_org(request.user, obj.organization_id):
                raise bad_request({ref: ['Invalid pk "%d" - object does not exist.' % obj.id]})

    def can_create(self, user, data):
        org = data.get("organization")
        return user.is_superuser or (org is not None and access.can_admin_org(user, org.id))

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"copy": can, "delete": can, "edit": can, "schedule": can, "start": can}

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        check_active_jobs(obj.jobs.all())
        obj.delete()
        return Response(status=204)

    def render_many(self, objs, ctx):
        inventory_totals(ctx, {o.inventory_id for o in objs if o.inventory_id})
        ids = [o.id for o in objs]
        latest = (Job.objects.filter(job_template__in=ids).values("job_template")
                  .annotate(last=Max("id")).values_list("last", flat=True))
        jobs = {j.job_template_id: j for j in Job.objects.filter(id__in=list(latest))}
        for jt_id in ids:
            ctx.cache[("last_job", jt_id)] = jobs.get(jt_id)
        return [self.render(o, ctx) for o in objs]

    def render(self, obj, ctx):
        extra = {"launch": self.url(obj) + "launch/",
                 "webhook_receiver": (self.url(obj) + obj.webhook_service + "/") if obj.webhook_service else ""}
        if obj.webhook_credential_id:
            extra["webhook_credential"] = "%scredentials/%d/" % (API, obj.webhook_credential_id)
        labels = list(obj.labels.all())
        summary = {
            "credentials": [credential_summary(c) for c in obj.credentials.all()],
            "labels": {"count": len(labels),
                       "results": [{"id": lb.id, "name": lb.name} for lb in labels[:10]]},
            "object_roles": role_summary(obj.id, [("admin_role", "Admin"),
                                                  ("execute_role", "Execute"),
                                                  ("read_role", "Read")]),
            "recent_jobs": [],
        }
        for ref, endpoint in (("inventory", "inventories"), ("project", "projects"),
                              ("organization", "organizations"),
                              ("execution_environment", "execution_environments")):
            ref_id = getattr(obj, ref + "_id")
            if ref_id:
                extra[ref] = "%s%s/%d/" % (API, endpoint, ref_id)
        summary.update(run_scope_summaries(ctx, obj))
        ee = ctx.memo(("ee", obj.execution_environment_id, obj.project_id),
                      lambda: resolve_environment(
                          obj.execution_environment,
                          obj.project.default_environment if obj.project_id else None,
                          obj.organization.default_environment if obj.organization_id
                          else None))
        if ee is not None and not ctx.created:
            summary["resolved_environment"] = ee_summary(ee)
        spec = obj.survey_spec or {}
        if spec.get("spec"):
            summary["survey"] = {"description": spec.get("description", ""),
                                 "title": spec.get("name", "")}
        last = ctx.memo(("last_job", obj.id), lambda: obj.jobs.order_by("-id").first())
        if last is not None:
            extra["last_job"] = "%sjobs/%d/" % (API, last.id)
            summary["last_job"] = {"description": last.description, "failed": last.failed,
                                   "finished": ts(last.finished), "id": last.id,
                                   "name": last.name, "status": last.status}
            summary["last_update"] = {"description": last.description, "failed": last.failed,
                                      "id": last.id, "name": last.name,
                                      "status": last.status}
        body = self.common(obj, ctx, related=(
            "access_list", "activity_stream", "copy", "credentials", "instance_groups", "jobs",
            "labels", "notification_templates_error", "notification_templates_started",
            "notification_templates_success", "object_roles", "schedules",
            "slice_workflow_jobs", "survey_spec", "webhook_key"),
            extra_related=extra, summary=summary)
        for name in JobTemplateSerializer.Meta.fields:
            if name not in ("inventory", "project", "execution_environment", "webhook_credential"):
                body[name] = getattr(obj, name)
        body.update(inventory=obj.inventory_id, project=obj.project_id,
                    organization=obj.organization_id,
                    execution_environment=obj.execution_environment_id, custom_virtualenv=None,
                    webhook_credential=obj.webhook_credential_id, next_job_run=None,
                    last_job_run=ts(last.finished) if last else None,
                    last_job_failed=bool(last and last.failed),
                    status=last.status if last else "never updated")
        return body


JOB_TEMPLATES = JobTemplateResource()


def survey_questions(jt):
    spec = jt.survey_spec or {}
    return spec.get("spec", []) if jt.survey_enabled else []


def launch_info(jt):
    asks = {"ask_%s_on_launch" % f: getattr(jt, "ask_%s_on_launch" % f) for f in ASK_FIELDS}
    defaults = {}
    if jt.ask_credential_on_launch:
        defaults["credentials"] = [credential_summary(c) for c in jt.credentials.all()]
    if jt.ask_labels_on_launch:
        defaults["labels"] = [{"id": lb.id, "name": lb.name} for lb in jt.labels.all()]
    required = [q["variable"] for q in survey_questions(jt)
                if q.get("required") and q.get("default") in (None, "")]
    inventory_needed = jt.inventory_id is None
    return dict(asks, **{
        "can_start_without_user_input": not any(asks.values()) and not required
        and not inventory_needed,
        "credential_needed_to_start": False,
        "defaults": {
            "diff_mode": jt.diff_mode, "execution_environment": (
                {"id": jt.execution_environment_id, "name": jt.execution_environment.name}
                if jt.execution_environment_id else {}),
            "extra_vars": jt.extra_vars, "forks": jt.forks, "instance_groups": [],
            "inventory": ({"id": jt.inventory_id, "name": jt.inventory.name}
                          if jt.inventory_id else {}),
            "job_slice_count": jt.job_slice_count, "job_tags": jt.job_tags,
            "job_type": jt.job_type, "limit": jt.limit, "scm_branch": jt.scm_branch,
            "skip_tags": jt.skip_tags, "timeout": jt.timeout, "verbosity": jt.verbosity,
            **defaults},
        "inventory_needed_to_start": inventory_needed,
        "job_template_data": {"description": jt.description, "id": jt.id, "name": jt.name},
        "passwords_needed_to_start": [],
        "survey_enabled": jt.survey_enabled,
        "variables_needed_to_start": required,
    })


class LaunchPromptSerializer(serializers.Serializer):
    inventory = serializers.PrimaryKeyRelatedField(queryset=Inventory.objects.all(),
                                                   required=False)
    credentials = serializers.PrimaryKeyRelatedField(queryset=Credential.objects.all(),
                                                     many=True, required=False)
    labels = serializers.PrimaryKeyRelatedField(queryset=Label.objects.all(), many=True,
                                                required=False)
    execution_environment = serializers.PrimaryKeyRelatedField(
        queryset=ExecutionEnvironment.objects.all(), required=False, allow_null=True)
    limit = serializers.CharField(required=False, allow_blank=True)
    job_tags = serializers.CharField(required=False, allow_blank=True)
    skip_tags = serializers.CharField(required=False, allow_blank=True)
    scm_branch = serializers.CharField(required=False, allow_blank=True)
    job_type = serializers.ChoiceField(choices=["run", "check"], required=False)
    verbosity = serializers.IntegerField(required=False, min_value=0, max_value=5)
    forks = serializers.IntegerField(required=False, min_value=0)
    timeout = serializers.IntegerField(required=False)
    job_slice_count = serializers.IntegerField(required=False, min_value=1)
    diff_mode = serializers.BooleanField(required=False)
    instance_groups = serializers.ListField(required=False)


def _credential_hash(cred):
    """AWX's identity of a credential slot: the type, and for vault credentials the vault id."""
    vault_id = (cred.inputs or {}).get("vault_id") if cred.credential_type.kind == "vault" else None
    return (cred.credential_type_id, vault_id)


def _credential_slot_name(cred):
    vault_id = _credential_hash(cred)[1]
    return "%s (id=%s)" % (cred.credential_type.name, vault_id) if vault_id else cred.credential_type.name


def check_credential_prompt(jt, accepted):
    """Credentials given at launch replace the template's by slot; dropping one is an error."""
    if "credentials" not in accepted:
        return
    given = {_credential_hash(c) for c in accepted["credentials"]}
    for cred in jt.credentials.select_related("credential_type"):
        if _credential_hash(cred) not in given:
            raise bad_request({"credentials": [
                "Removing %s credential at launch time without replacement is not supported. "
                "Provided list lacked credential(s): %s-%d." % (_credential_slot_name(cred), cred.name, cred.id)]})


def check_credential_association(jt, cred):
    """A template holds at most one credential per slot (type, and vault id for vault)."""
    slot = _credential_hash(cred)
    for other in jt.credentials.select_related("credential_type"):
        if _credential_hash(other) == slot:
            raise bad_request({"error": "Cannot assign multiple %s credentials." % (
                _credential_slot_name(cred) if slot[1] else cred.credential_type.name)})


def first_instance_group(jt, inventory):
    """Where AWX runs the job: the template's first instance group, else the inventory's, else
    the organization's (None: the default group)."""
    from awxsim.models import InventoryInstanceGroup, OrganizationInstanceGroup
    for through, parent in ((JobTemplateInstanceGroup, jt), (InventoryInstanceGroup, inventory),
                            (OrganizationInstanceGroup, jt.organization)):
        if parent is None:
            continue
        member = through.objects.filter(parent=parent).order_by("position").values_list(
            "member_id", flat=True).first()
        if member is not None:
            return member
    return None


def launch_job(request, jt, data):
    """Validate prompts against ask_* flags and the survey, create the job; (job, ignored)."""
    if jt.project_id is None or (jt.inventory_id is None and "inventory" not in data):
        if jt.inventory_id is None:
            raise bad_request({"inventory": ["Job Template 'inventory' is missing or undefined."]})
        raise bad_request({"project": ["Job Template 'project' is missing or undefined."]})
    serializer = LaunchPromptSerializer(data={k: v for k, v in data.items()
                                              if k in LaunchPromptSerializer().fields})
    if not serializer.is_valid():
        raise serializers.ValidationError(serializer.errors)
    prompts = serializer.validated_data
    ignored, accepted = {}, {}
    for field, value in prompts.items():
        if getattr(jt, "ask_%s_on_launch" % PROMPTS[field]):
            accepted[field] = value
        else:
            ignored[field] = data[field]
    extra = parse_vars(data.get("extra_vars"))
    questions = survey_questions(jt)
    survey = {q["variable"] for q in questions}
    if jt.ask_variables_on_launch:
        given = dict(extra)
    else:
        given = {k: v for k, v in extra.items() if k in survey}
        rejected = {k: v for k, v in extra.items() if k not in survey}
        if rejected:
            ignored["extra_vars"] = rejected
    allowed_vars, errors, passwords = surveys.answers(questions, given)
    if errors:
        raise bad_request({"variables_needed_to_start": errors})
    check_credential_prompt(jt, accepted)
    inventory = accepted.get("inventory", jt.inventory)
    if inventory is None:
        raise bad_request({"inventory": ["Job Template 'inventory' is missing or undefined."]})
    if not request.user.is_superuser and \
            not access.can_read_org(request.user, inventory.organization_id):
        raise bad_request({"inventory": ['Invalid pk "%d" - object does not exist.'
                                         % inventory.id]})
    merged = parse_vars(jt.extra_vars)
    merged.update(allowed_vars)
    job = Job(
        name=jt.name, description=jt.description, job_template=jt,
        unified_job_template_id=jt.id, organization=jt.organization, inventory=inventory,
        project=jt.project, playbook=jt.playbook,
        job_type=accepted.get("job_type", jt.job_type),
        scm_branch=accepted.get("scm_branch", jt.scm_branch),
        forks=accepted.get("forks", jt.forks), limit=accepted.get("limit", jt.limit),
        verbosity=accepted.get("verbosity", jt.verbosity),
        extra_vars=json.dumps(merged),
        job_tags=accepted.get("job_tags", jt.job_tags),
        skip_tags=accepted.get("skip_tags", jt.skip_tags), start_at_task=jt.start_at_task,
        timeout=accepted.get("timeout", jt.timeout), force_handlers=jt.force_handlers,
        use_fact_cache=jt.use_fact_cache, become_enabled=jt.become_enabled,
        diff_mode=accepted.get("diff_mode", jt.diff_mode),
        allow_simultaneous=jt.allow_simultaneous,
        job_slice_count=accepted.get("job_slice_count", jt.job_slice_count),
        execution_environment=accepted.get("execution_environment") or resolve_environment(
            jt.execution_environment, jt.project.default_environment if jt.project_id else None,
            jt.organization.default_environment if jt.organization_id else None),
        launch_type="manual", launched_by=request.user, status="pending",
        instance_group_id=first_instance_group(jt, inventory),
        survey_passwords={name: surveys.ENCRYPTED for name in passwords},
        created_by=request.user)
    job.save()
    job.credentials.set(accepted.get("credentials", list(jt.credentials.all())))
    job.labels.set(accepted.get("labels", list(jt.labels.all())))
    return job, ignored


class LaunchView(ResourceView):
    options_name = "job_templates_launch"

    def get(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        return Response(launch_info(jt))

    def post(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, jt):
            access.deny()       # organization members read; admins (and superusers) run
        with transaction.atomic():
            job, ignored = launch_job(request, jt, request.data)
        job = JOBS.base_queryset().get(pk=job.pk)
        body = JOBS.render(job, self.ctx(request), launch=True)
        body.update(job=job.id, ignored_fields=ignored)
        response = Response(body, status=201, headers={"Location": JOBS.url(job)})
        start(job.id)
        return response


class SurveySpecView(ResourceView):
    options_name = "job_templates_survey_spec"

    def get(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        return Response(surveys.render_spec(jt.survey_spec))

    def post(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, jt):
            access.deny()
        jt.survey_spec = surveys.validate_spec(request.data, jt.survey_spec)
        jt.save()
        return Response(status=200)

    def delete(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, jt):
            access.deny()
        jt.survey_spec = {}
        jt.save()
        return Response(status=200)


class WebhookKeyView(ResourceView):
    """``job_templates/<id>/webhook_key/``: GET the key ('' without a service), POST a new one."""

    def get(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, jt):
            access.deny()
        return Response({"webhook_key": jt.webhook_key if jt.webhook_service else ""})

    def post(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, jt):
            access.deny()
        jt.webhook_key = secrets.token_urlsafe(38)[:50]
        jt.save()
        return Response({"webhook_key": jt.webhook_key}, status=201)


class JobTemplateCopyView(ResourceView):
    """``job_templates/<id>/copy/``: the fields, survey, credentials, labels and instance groups
    under a new name."""

    def get(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        return Response({"can_copy": JOB_TEMPLATES.can_change(request.user, jt)})

    def post(self, request, key):
        source = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, source):
            access.deny()
        name = request.data.get("name")
        if not name:
            raise bad_request({"name": ["This field is required."]})
        with transaction.atomic():
            copy = JobTemplate.objects.get(pk=source.pk)
            copy.pk = copy.id = None
            copy.name = str(name)
            copy.webhook_key = ""
            copy.created_by = copy.modified_by = request.user
            copy.created = copy.modified = timezone.now()
            copy.save()
            copy.credentials.set(source.credentials.all())
            copy.labels.set(source.labels.all())
            for membership in JobTemplateInstanceGroup.objects.filter(parent=source).order_by("position"):
                add_ordered(JobTemplateInstanceGroup, copy, membership.member)
        copy = JOB_TEMPLATES.base_queryset().get(pk=copy.pk)
        # A copy answers like a detail (with summary_fields.resolved_environment), as AWX does.
        body = JOB_TEMPLATES.render(copy, RenderContext(request))
        return Response(body, status=201, headers={"Location": JOB_TEMPLATES.url(copy)})
