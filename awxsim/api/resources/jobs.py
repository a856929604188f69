"""Jobs: the resource, cancel and relaunch; handing a job to the runtime."""
import json

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.response import Response

from awxsim.api import access
from awxsim.api.protocol import bad_request
from awxsim.api.resource import API, Resource, ResourceView, ts, user_summary
from awxsim.api.resources.credentials import credential_summary
from awxsim.api.resources.execution_environments import ee_summary
from awxsim.api.resources.inventories import inventory_summary, inventory_totals
from awxsim.models import ACTIVE_JOB_STATUSES, InstanceGroup, Job, JobEvent


DEFAULT_INSTANCE_GROUP = 2


def masked_extra_vars(job):
    """The job's extra_vars with survey password answers as ``$encrypted$`` (as AWX shows them)."""
    try:
        data = json.loads(job.extra_vars or "{}")
    except ValueError:
        return job.extra_vars
    if not isinstance(data, dict):
        return job.extra_vars
    data.update({k: v for k, v in job.survey_passwords.items() if k in data})
    return json.dumps(data)


def run_scope_summaries(ctx, obj):
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
        summary.update(run_scope_summaries(ctx, obj))
        if obj.execution_environment_id and not launch:
            ee = obj.execution_environment
            summary["execution_environment"] = ee_summary(ee)
        if not launch:
            group = ctx.memo(("ig", obj.instance_group_id or DEFAULT_INSTANCE_GROUP),
                             lambda: InstanceGroup.objects.filter(
                                 pk=obj.instance_group_id or DEFAULT_INSTANCE_GROUP).first())
            if group is not None:
                summary["instance_group"] = {"id": group.id, "name": group.name,
                                             "is_container_group": group.is_container_group}
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
        if obj.survey_passwords:
            body["extra_vars"] = masked_extra_vars(obj)
        launched_by = obj.launched_by
        body.update(
            inventory=obj.inventory_id, project=obj.project_id, organization=obj.organization_id,
            job_template=obj.job_template_id, unified_job_template=jt_id,
            execution_environment=None if launch else obj.execution_environment_id,
            started=ts(obj.started), finished=ts(obj.finished), canceled_on=ts(obj.canceled_on),
            instance_group=None if launch else (obj.instance_group_id or DEFAULT_INSTANCE_GROUP),
            passwords_needed_to_start=[],
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


JOBS = JobResource()


def start(job_id):
    """Hand the job to the runner, if one is installed (otherwise it stays pending)."""
    try:
        from awxsim.runtime import playbooks as execution
    except ImportError:
        return
    execution.start_job(job_id)


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
            from awxsim.runtime import playbooks as execution
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
