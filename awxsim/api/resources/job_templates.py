"""Projects, job templates (launch, survey), jobs (cancel, stdout, events, host summaries)."""
import json
import os

import yaml
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from rest_framework import exceptions, renderers, serializers
from rest_framework.response import Response

from awxsim import access, config
from awxsim.models import (ACTIVE_JOB_STATUSES, Credential, ExecutionEnvironment, Inventory,
                           Job, JobEvent, JobHostSummary, JobTemplate, Label, Project)
from awxsim.res_creds import credential_summary
from awxsim.res_inventory import inventory_summary, inventory_totals
from awxsim.resource import (API, InputSerializer, Resource, ResourceView, check_active_jobs,
                             role_summary, ts, user_summary)
from awxsim.views_base import bad_request

PLAYBOOK_SUFFIXES = (".yml", ".yaml")
DEFAULT_EE_ID = 1


def resolve_environment(*candidates):
    """The execution environment AWX would use: the first one set on the job template,
    project or organization, else the global default."""
    for candidate in candidates:
        if candidate is not None:
            return candidate
    return ExecutionEnvironment.objects.filter(pk=DEFAULT_EE_ID).first()


def ee_summary(ee):
    return {"description": ee.description, "id": ee.id, "image": ee.image, "name": ee.name}


def project_dir(project):
    return os.path.join(config.projects_root(), project.local_path) if project.local_path else None


def find_playbooks(project):
    """Relative paths of the playbook-looking YAML files in a project directory."""
    root = project_dir(project)
    if not root or not os.path.isdir(root):
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".")
                             and d not in ("roles", "group_vars", "host_vars", "collections"))
        for name in filenames:
            if not name.endswith(PLAYBOOK_SUFFIXES):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read(65536)
            except OSError:
                continue
            if "hosts" in text or "import_playbook" in text:
                found.append(os.path.relpath(path, root))
    return sorted(found)


class ProjectSerializer(InputSerializer):
    class Meta:
        model = Project
        fields = ("name", "description", "organization", "local_path", "scm_type", "scm_url",
                  "scm_branch", "scm_refspec", "scm_clean", "scm_track_submodules",
                  "scm_delete_on_update", "scm_update_on_launch", "scm_update_cache_timeout",
                  "allow_override", "timeout", "credential", "signature_validation_credential",
                  "default_environment")


class ProjectResource(Resource):
    model = Project
    type_name = "project"
    endpoint = "projects"
    serializer_class = ProjectSerializer
    select_related = ("organization", "created_by", "modified_by")
    named_parts = ("name", "organization__name")
    unique_together = ((("name", "organization"),
                        "Project with this Name and Organization already exists."),)

    def extra_validation(self, request, data, instance):
        scm_type = data.get("scm_type", getattr(instance, "scm_type", ""))
        if scm_type not in ("", "git", "svn", "insights", "archive"):
            raise bad_request({"scm_type": ['"%s" is not a valid choice.' % scm_type]})
        if scm_type == "":
            local_path = data.get("local_path", getattr(instance, "local_path", ""))
            taken = Project.objects.filter(local_path=local_path, scm_type="")
            if instance is not None:
                taken = taken.exclude(pk=instance.pk)
            root = config.projects_root()
            path = os.path.realpath(os.path.join(root, local_path or ""))
            inside = path.startswith(os.path.realpath(root) + os.sep)
            if not local_path or taken.exists() or not inside or not os.path.isdir(path):
                raise bad_request({"local_path": [
                    "This path is already being used by another manual project."]})
        elif scm_type and not data.get("scm_url", getattr(instance, "scm_url", "")):
            raise bad_request({"scm_url": ["SCM URL is required."]})

    def before_save(self, request, obj, validated, created):
        now = timezone.now()
        if obj.scm_type:
            if not obj.local_path:
                obj.local_path = ""
            obj.status = "successful"
        else:
            obj.status = "ok"
        obj.last_updated = obj.last_updated or now
        obj.last_job_run = obj.last_job_run or now

    def after_save(self, request, obj, validated, created):
        if obj.scm_type and not obj.local_path:
            obj.local_path = "_%d__%s" % (obj.id, obj.name.replace(" ", "_").lower())
            Project.objects.filter(pk=obj.pk).update(local_path=obj.local_path)

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"copy": False, "delete": can, "edit": can, "schedule": False,
                "start": bool(obj.scm_type) and can}

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        check_active_jobs(Job.objects.filter(project=obj))
        obj.delete()
        return Response(status=204)

    def render(self, obj, ctx):
        extra = {}
        summary = {"object_roles": role_summary(obj.id, [("admin_role", "Admin"),
                                                         ("use_role", "Use"),
                                                         ("update_role", "Update"),
                                                         ("read_role", "Read")])}
        if obj.organization_id:
            extra["organization"] = "%sorganizations/%d/" % (API, obj.organization_id)
            summary["organization"] = {"id": obj.organization_id,
                                       "name": obj.organization.name,
                                       "description": obj.organization.description}
        if obj.credential_id:
            extra["credential"] = "%scredentials/%d/" % (API, obj.credential_id)
        ee = ctx.memo(("ee", obj.default_environment_id, obj.organization_id),
                      lambda: resolve_environment(
                          obj.default_environment,
                          obj.organization.default_environment if obj.organization_id else None))
        if ee is not None and not ctx.created:
            summary["resolved_environment"] = ee_summary(ee)
        body = self.common(obj, ctx, related=(
            "access_list", "activity_stream", "copy", "notification_templates_error",
            "notification_templates_started", "notification_templates_success",
            "object_roles", "playbooks", "project_updates", "schedules",
            "scm_inventory_sources", "teams", "update"), extra_related=extra, summary=summary)
        body["related"]["inventory_files"] = self.url(obj) + "inventories/"
        body.update({name: getattr(obj, name) for name in (
            "name", "description", "local_path", "scm_type", "scm_url", "scm_branch",
            "scm_refspec", "scm_clean", "scm_track_submodules", "scm_delete_on_update",
            "scm_update_on_launch", "scm_update_cache_timeout", "allow_override", "timeout",
            "status")})
        body.update(organization=obj.organization_id, credential=obj.credential_id,
                    signature_validation_credential=obj.signature_validation_credential_id,
                    default_environment=obj.default_environment_id, custom_virtualenv=None,
                    scm_revision="", last_job_run=ts(obj.last_job_run), last_job_failed=False,
                    last_updated=ts(obj.last_updated), last_update_failed=False,
                    next_job_run=None)
        return body


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


def _run_scope_summaries(ctx, obj):
    """summary_fields for the inventory, project and organization a template or job runs in
    (the same shape on both, as AWX answers)."""
    summary = {}
    if obj.inventory_id:
        summary["inventory"] = inventory_summary(ctx, obj.inventory)
    if obj.project_id:
        summary["project"] = {"allow_override": obj.project.allow_override,
                              "id": obj.project_id, "name": obj.project.name,
                              "scm_type": obj.project.scm_type,
                              "status": obj.project.status,
                              "description": obj.project.description}
    if obj.organization_id:
        summary["organization"] = {"id": obj.organization_id,
                                   "name": obj.organization.name,
                                   "description": obj.organization.description}
    return summary


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
                  "webhook_service", "survey_enabled") + tuple(
                      "ask_%s_on_launch" % f for f in ASK_FIELDS)
        extra_kwargs = {"job_type": {"required": False}}

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
        extra = {"launch": self.url(obj) + "launch/", "webhook_receiver": ""}
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
        summary.update(_run_scope_summaries(ctx, obj))
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
            if name not in ("inventory", "project", "execution_environment"):
                body[name] = getattr(obj, name)
        body.update(inventory=obj.inventory_id, project=obj.project_id,
                    organization=obj.organization_id,
                    execution_environment=obj.execution_environment_id, custom_virtualenv=None,
                    webhook_credential=None, next_job_run=None,
                    last_job_run=ts(last.finished) if last else None,
                    last_job_failed=bool(last and last.failed),
                    status=last.status if last else "never updated")
        return body


def _job_summary_job(job):
    return {"description": job.description, "elapsed": job.elapsed, "failed": job.failed,
            "id": job.id,
            "job_template_id": job.job_template_id, "job_template_name": job.name,
            "name": job.name, "status": job.status, "type": "job"}


class JobResource(Resource):
    model = Job
    type_name = "job"
    endpoint = "jobs"
    serializer_class = None
    writable = False
    select_related = ("organization", "inventory", "project", "job_template", "created_by",
                      "modified_by", "launched_by", "execution_environment")
    prefetch_related = ("credentials__credential_type", "labels")

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"delete": can, "start": can}

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        if obj.status in ACTIVE_JOB_STATUSES:
            access.deny("Cannot delete running job resource.")
        obj.delete()
        return Response(status=204)

    LIST_OMITS = ("custom_virtualenv", "event_processing_finished", "host_status_counts",
                  "job_args", "job_cwd", "job_env", "playbook_counts", "result_traceback")

    def render_many(self, objs, ctx):
        """AWX's job list leaves out the heavy detail fields."""
        inventory_totals(ctx, {o.inventory_id for o in objs if o.inventory_id})
        rendered = []
        for obj in objs:
            body = self.render(obj, ctx)
            for name in self.LIST_OMITS:
                body.pop(name, None)
            rendered.append(body)
        return rendered

    def render(self, obj, ctx, launch=False):
        labels = list(obj.labels.all())
        jt_id = obj.unified_job_template_id or obj.job_template_id
        extra = {}
        summary = {
            "credentials": [credential_summary(c) for c in obj.credentials.all()],
            "labels": {"count": len(labels),
                       "results": [{"id": lb.id, "name": lb.name} for lb in labels[:10]]},
        }
        for ref, endpoint in (("inventory", "inventories"), ("project", "projects"),
                              ("organization", "organizations"),
                              ("job_template", "job_templates"),
                              ("execution_environment", "execution_environments")):
            ref_id = getattr(obj, ref + "_id")
            if ref_id and not (launch and ref == "execution_environment"):
                extra[ref] = "%s%s/%d/" % (API, endpoint, ref_id)
        if jt_id:
            extra["unified_job_template"] = "%sjob_templates/%d/" % (API, jt_id)
            summary["unified_job_template"] = {"description": obj.description, "id": jt_id,
                                               "name": obj.name, "unified_job_type": "job"}
            summary["job_template"] = {"id": jt_id, "name": obj.name,
                                       "description": obj.description}
        summary.update(_run_scope_summaries(ctx, obj))
        if obj.execution_environment_id and not launch:
            ee = obj.execution_environment
            summary["execution_environment"] = ee_summary(ee)
        if not launch:
            summary["instance_group"] = {"id": 2, "name": "default",
                                         "is_container_group": False}
        body = self.common(obj, ctx, related=(
            "activity_stream", "cancel", "create_schedule", "credentials", "job_events",
            "job_host_summaries", "labels", "notifications", "relaunch", "stdout"),
            extra_related=extra, summary=summary)
        # AWX shows who launched as modified_by only in the launch answer; the execution
        # environment appears once the dispatcher has resolved it (ours: at once).
        if launch and obj.launched_by_id:
            body["related"]["modified_by"] = "%susers/%d/" % (API, obj.launched_by_id)
            body["summary_fields"]["modified_by"] = user_summary(obj.launched_by)
        else:
            body["related"].pop("modified_by", None)
            body["summary_fields"].pop("modified_by", None)
        for name in ("name", "description", "job_type", "playbook", "scm_branch", "forks",
                     "limit", "verbosity", "extra_vars", "job_tags", "skip_tags",
                     "start_at_task", "timeout", "force_handlers", "use_fact_cache",
                     "diff_mode", "allow_simultaneous", "job_slice_count", "job_slice_number",
                     "launch_type", "status", "failed", "elapsed", "job_explanation",
                     "result_traceback", "event_processing_finished", "artifacts",
                     "scm_revision", "job_args", "job_cwd", "job_env", "controller_node",
                     "execution_node"):
            body[name] = getattr(obj, name)
        launched_by = obj.launched_by
        body.update(
            inventory=obj.inventory_id, project=obj.project_id, organization=obj.organization_id,
            job_template=obj.job_template_id, unified_job_template=jt_id,
            execution_environment=None if launch else obj.execution_environment_id,
            started=ts(obj.started), finished=ts(obj.finished), canceled_on=ts(obj.canceled_on),
            instance_group=None if launch else 2, passwords_needed_to_start=[],
            webhook_credential=None, webhook_guid="", webhook_service="", work_unit_id=None,
            launched_by=({"id": launched_by.id, "name": launched_by.username, "type": "user",
                          "url": "%susers/%d/" % (API, launched_by.id)} if launched_by else {}))
        if not launch:
            body.update(custom_virtualenv=None, host_status_counts=None,
                        playbook_counts=ctx.memo(("counts", obj.id),
                                                 lambda: _playbook_counts(obj)))
            if obj.status not in ACTIVE_JOB_STATUSES:
                body["host_status_counts"] = ctx.memo(("hsc", obj.id),
                                                      lambda: _host_status_counts(obj))
        return body


def _playbook_counts(job):
    kinds = dict(JobEvent.objects.filter(
        job=job, event__in=("playbook_on_play_start", "playbook_on_task_start"))
        .values("event").annotate(n=Count("id")).values_list("event", "n"))
    return {"play_count": kinds.get("playbook_on_play_start", 0),
            "task_count": kinds.get("playbook_on_task_start", 0)}


def _event_level(event):
    """AWX's nesting level of an event: 0 playbook, 1 play, 2 task, 3 host result."""
    if event.startswith("runner_"):
        return 3
    if event in ("playbook_on_task_start", "playbook_on_handler_task_start",
                 "playbook_on_include", "playbook_on_no_hosts_matched",
                 "playbook_on_no_hosts_remaining", "playbook_on_setup"):
        return 2
    if event in ("playbook_on_play_start", "playbook_on_vars_prompt",
                 "playbook_on_import_for_host", "playbook_on_not_import_for_host"):
        return 1
    return 0


def _host_status_counts(job):
    counts = {}
    for summary in job.job_host_summaries.all():
        if summary.dark:
            key = "dark"
        elif summary.failures:
            key = "failures"
        elif summary.changed:
            key = "changed"
        elif summary.ok:
            key = "ok"
        else:
            key = "skipped"
        counts[key] = counts.get(key, 0) + 1
    return counts or None


class JobEventResource(Resource):
    model = JobEvent
    type_name = "job_event"
    endpoint = "job_events"
    org_path = "job__organization"
    writable = False
    select_related = ("job",)
    search_fields = ("stdout", "task", "play", "host_name")
    EVENT_DISPLAY = {"verbose": "Verbose", "playbook_on_start": "Playbook Started",
                     "playbook_on_play_start": "Play Started",
                     "playbook_on_task_start": "Task Started",
                     "runner_on_ok": "Host OK", "runner_on_failed": "Host Failed",
                     "runner_on_skipped": "Host Skipped",
                     "runner_on_unreachable": "Host Unreachable",
                     "playbook_on_stats": "Playbook Complete"}

    def render(self, obj, ctx):
        related = {"children": self.url(obj) + "children/",
                   "job": "%sjobs/%d/" % (API, obj.job_id)}
        summary = {"job": _job_summary_job(obj.job), "role": {}}
        if obj.host_id:
            related["host"] = "%shosts/%d/" % (API, obj.host_id)
            summary["host"] = {"description": "", "id": obj.host_id, "name": obj.host_name}
        return {
            "id": obj.id, "type": self.type_name, "url": self.url(obj),
            "related": related, "summary_fields": summary,
            "created": ts(obj.created), "modified": ts(obj.modified), "job": obj.job_id,
            "event": obj.event, "counter": obj.counter,
            "event_display": self.EVENT_DISPLAY.get(obj.event, obj.event),
            "event_data": obj.event_data, "event_level": _event_level(obj.event),
            "failed": obj.failed,
            "changed": obj.changed, "uuid": obj.uuid, "parent_uuid": obj.parent_uuid,
            "host": obj.host_id, "host_name": obj.host_name, "playbook": obj.playbook,
            "play": obj.play, "task": obj.task, "role": obj.role, "stdout": obj.stdout,
            "start_line": obj.start_line, "end_line": obj.end_line, "verbosity": obj.verbosity,
        }


class JobHostSummaryResource(Resource):
    model = JobHostSummary
    type_name = "job_host_summary"
    endpoint = "job_host_summaries"
    org_path = "job__organization"
    writable = False
    select_related = ("job", "host")
    search_fields = ("host_name",)

    def render(self, obj, ctx):
        related = {"job": "%sjobs/%d/" % (API, obj.job_id)}
        summary = {"job": _job_summary_job(obj.job)}
        if obj.host_id:
            related["host"] = "%shosts/%d/" % (API, obj.host_id)
            summary["host"] = {"description": "", "id": obj.host_id, "name": obj.host_name}
        body = {"id": obj.id, "type": self.type_name, "url": self.url(obj), "related": related,
                "summary_fields": summary, "created": ts(obj.created),
                "modified": ts(obj.modified), "job": obj.job_id, "host": obj.host_id,
                "constructed_host": None, "host_name": obj.host_name}
        for name in ("changed", "dark", "failures", "ok", "processed", "skipped", "failed",
                     "ignored", "rescued"):
            body[name] = getattr(obj, name)
        return body


PROJECTS = ProjectResource()
JOB_TEMPLATES = JobTemplateResource()
JOBS = JobResource()
JOB_EVENTS = JobEventResource()
JOB_HOST_SUMMARIES = JobHostSummaryResource()


class PlaybooksView(ResourceView):
    def get(self, request, key):
        project = PROJECTS.get_object(request.user, key)
        return Response(find_playbooks(project))


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


def _check_survey_answer(question, value):
    kind = question.get("type", "text")
    name = question["variable"]
    if kind in ("text", "textarea", "password") and isinstance(value, str):
        low, high = question.get("min"), question.get("max")
        if low not in (None, "") and len(value) < int(low):
            return "'%s' value %s is too small (length is %d must be at least %s)." % (
                name, value, len(value), low)
        if high not in (None, "") and len(value) > int(high):
            return "'%s' value %s is too large (must be no more than %s)." % (name, value, high)
    if kind == "integer" and not isinstance(value, int):
        return "Value %s for '%s' expected to be an integer." % (value, name)
    if kind == "multiplechoice":
        choices = question.get("choices") or []
        if isinstance(choices, str):
            choices = choices.split("\n")
        if value not in choices:
            return "Value %s for '%s' expected to be one of %s." % (value, name, choices)
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
    survey = {q["variable"]: q for q in survey_questions(jt)}
    if jt.ask_variables_on_launch:
        allowed_vars = dict(extra)
    else:
        allowed_vars = {k: v for k, v in extra.items() if k in survey}
        rejected = {k: v for k, v in extra.items() if k not in survey}
        if rejected:
            ignored["extra_vars"] = rejected
    missing, errors = [], []
    for name, question in survey.items():
        if name in allowed_vars:
            message = _check_survey_answer(question, allowed_vars[name])
            if message:
                errors.append(message)
        elif question.get("required"):
            if question.get("default") not in (None, ""):
                allowed_vars[name] = question["default"]
            else:
                missing.append("'%s' value missing" % name)
        elif question.get("default") not in (None, ""):
            allowed_vars[name] = question["default"]
    if missing or errors:
        raise bad_request({"variables_needed_to_start": missing + errors})
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
        created_by=request.user)
    job.save()
    job.credentials.set(accepted.get("credentials", list(jt.credentials.all())))
    job.labels.set(accepted.get("labels", list(jt.labels.all())))
    return job, ignored


def start(job_id):
    """Hand the job to the runner, if one is installed (otherwise it stays pending)."""
    try:
        from awxsim import execution
    except ImportError:
        return
    execution.start_job(job_id)


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
    def get(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        return Response(jt.survey_spec or {})

    def post(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, jt):
            access.deny()
        spec = request.data
        for field in ("name", "description", "spec"):
            if field not in spec:
                raise bad_request({"error": "Field '%s' is missing from survey spec." % field})
        if not isinstance(spec["spec"], list):
            raise bad_request({"error": "'spec' must be a list of items."})
        seen = set()
        for index, question in enumerate(spec["spec"]):
            if not isinstance(question, dict):
                raise bad_request({"error": "Survey question %d is not a json object." % index})
            for field in ("type", "question_name", "variable", "required"):
                if field not in question:
                    raise bad_request({"error": "'%s' missing from survey question %d."
                                                % (field, index)})
            if question["variable"] in seen:
                raise bad_request({"error": "'variable' '%s' duplicated in survey question %d."
                                            % (question["variable"], index)})
            seen.add(question["variable"])
        jt.survey_spec = dict(spec)
        jt.save()
        return Response(status=200)

    def delete(self, request, key):
        jt = JOB_TEMPLATES.get_object(request.user, key)
        if not JOB_TEMPLATES.can_change(request.user, jt):
            access.deny()
        jt.survey_spec = {}
        jt.save()
        return Response(status=200)


class CancelView(ResourceView):
    def get(self, request, key):
        job = JOBS.get_object(request.user, key)
        return Response({"can_cancel": job.status in ACTIVE_JOB_STATUSES})

    def post(self, request, key):
        job = JOBS.get_object(request.user, key)
        if not JOBS.can_change(request.user, job):
            access.deny()
        if job.status not in ACTIVE_JOB_STATUSES:
            raise exceptions.MethodNotAllowed("POST")
        Job.objects.filter(pk=job.pk).update(cancel_flag=True)
        cancelled = False
        try:
            from awxsim import execution
        except ImportError:
            execution = None
        if execution is not None:
            cancelled = execution.cancel_job(job.id)
        if not cancelled:
            # No runner owns it (never started): cancel it here.
            Job.objects.filter(pk=job.pk, status__in=("new", "pending", "waiting")).update(
                status="canceled", failed=True, finished=timezone.now(),
                canceled_on=timezone.now())
        return Response(status=202)


class RelaunchView(ResourceView):
    def get(self, request, key):
        job = JOBS.get_object(request.user, key)
        total = job.job_host_summaries.count()
        failed = job.job_host_summaries.filter(failed=True).count()
        return Response({"passwords_needed_to_start": [],
                         "retry_counts": {"all": total, "failed": failed}})

    def post(self, request, key):
        old = JOBS.get_object(request.user, key)
        if old.job_template_id is None:
            raise bad_request({"detail": "Job Template is missing."})
        hosts = request.data.get("hosts", "all")
        if hosts not in ("all", "failed"):
            raise bad_request({"hosts": ['"%s" is not a valid choice.' % hosts]})
        with transaction.atomic():
            job = Job.objects.get(pk=old.pk)
            credentials, labels = list(job.credentials.all()), list(job.labels.all())
            job.pk = None
            job.id = None
            for name in ("status", "failed", "started", "finished", "canceled_on", "elapsed",
                         "job_explanation", "result_traceback", "event_processing_finished",
                         "artifacts", "stdout", "cancel_flag", "job_args", "job_cwd",
                         "job_env", "controller_node", "execution_node"):
                setattr(job, name, Job._meta.get_field(name).get_default())
            job.status = "pending"
            job.launch_type = "relaunch"
            job.launched_by = request.user
            job.created_by = request.user
            job.created = job.modified = timezone.now()
            if hosts == "failed":
                names = list(old.job_host_summaries.filter(failed=True).order_by("host_name")
                             .values_list("host_name", flat=True))
                if names:
                    job.limit = ",".join(names)
            job.save()
            job.credentials.set(credentials)
            job.labels.set(labels)
        job = JOBS.base_queryset().get(pk=job.pk)
        body = JOBS.render(job, self.ctx(request), launch=True)
        body.update(job=job.id)
        response = Response(body, status=201, headers={"Location": JOBS.url(job)})
        start(job.id)
        return response


class PlainTextRenderer(renderers.BaseRenderer):
    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "detail" in data:
            return str(data["detail"]).encode("utf-8")
        return (data or "").encode("utf-8") if isinstance(data, str) else \
            json.dumps(data).encode("utf-8")


class AnsiRenderer(PlainTextRenderer):
    format = "ansi"


class TxtDownloadRenderer(PlainTextRenderer):
    format = "txt_download"


class AnsiDownloadRenderer(PlainTextRenderer):
    format = "ansi_download"


ANSI_RE = None


def strip_ansi(text):
    global ANSI_RE
    if ANSI_RE is None:
        import re
        ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
    return ANSI_RE.sub("", text)


class StdoutView(ResourceView):
    renderer_classes = [renderers.JSONRenderer, PlainTextRenderer, AnsiRenderer,
                        TxtDownloadRenderer, AnsiDownloadRenderer]

    def get(self, request, key):
        job = JOBS.get_object(request.user, key)
        text = job.stdout
        if not text:
            lines = JobEvent.objects.filter(job=job).order_by("counter").values_list(
                "stdout", flat=True)
            text = "\n".join(line for line in lines if line)
        fmt = request.accepted_renderer.format
        if fmt in ("ansi", "ansi_download"):
            return Response(text)
        plain = strip_ansi(text)
        if fmt in ("txt", "txt_download"):
            return Response(plain)
        lines = plain.count("\n")
        return Response({"range": {"start": 0, "end": lines, "absolute_end": lines},
                         "content": text})
