"""Project updates: the resource, ``projects/<id>/update/``, cancel, stdout and events."""
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.response import Response

from awxsim.api import access
from awxsim.api.protocol import page_response
from awxsim.api.resource import API, Resource, ResourceView, ts
from awxsim.api.resources.job_output import STDOUT_RENDERERS, stdout_response
from awxsim.models import ProjectUpdate
from awxsim.runtime import scm

CONTROL_PLANE_EE = 2


def update_summary(update, finished=False):
    body = {"description": update.description, "failed": update.failed, "id": update.id,
            "name": update.name, "status": update.status}
    if finished:
        body["finished"] = ts(update.finished)
    return body


class ProjectUpdateResource(Resource):
    model = ProjectUpdate
    type_name = "project_update"
    endpoint = "project_updates"
    writable = False
    select_related = ("project", "organization", "created_by", "modified_by", "launched_by")
    search_fields = ("name", "description")

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"delete": can, "start": can}

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        if obj.status in scm.ACTIVE:
            access.deny("Cannot delete running job resource.")
        obj.delete()
        return Response(status=204)

    LIST_OMITS = ("event_processing_finished", "host_status_counts", "job_args", "job_cwd",
                  "job_env", "playbook_counts", "result_traceback")

    def render_many(self, objs, ctx):
        rendered = []
        for obj in objs:
            body = self.render(obj, ctx)
            for name in self.LIST_OMITS:
                body.pop(name, None)
            rendered.append(body)
        return rendered

    def render(self, obj, ctx, launch=False):
        project = obj.project
        extra = {"project": "%sprojects/%d/" % (API, project.id),
                 "unified_job_template": "%sprojects/%d/" % (API, project.id)}
        summary = {
            "project": {"allow_override": project.allow_override, "description": project.description,
                        "id": project.id, "name": project.name, "scm_type": project.scm_type,
                        "status": project.status},
            "unified_job_template": {"description": project.description, "id": project.id,
                                     "name": project.name, "unified_job_type": "project_update"},
        }
        if obj.organization_id:
            summary["organization"] = {"description": obj.organization.description,
                                       "id": obj.organization_id, "name": obj.organization.name}
        if obj.credential_id:
            extra["credential"] = "%scredentials/%d/" % (API, obj.credential_id)
        started = obj.status not in ("new", "pending")
        if started and not launch:
            extra["execution_environment"] = "%sexecution_environments/%d/" % (API, CONTROL_PLANE_EE)
            summary["execution_environment"] = {
                "description": "", "id": CONTROL_PLANE_EE, "image": "quay.io/ansible/awx-ee:24.6.1",
                "name": "Control Plane Execution Environment"}
            summary["instance_group"] = {"id": 1, "is_container_group": False, "name": "controlplane"}
        body = self.common(obj, ctx, related=(
            "cancel", "events", "notifications", "scm_inventory_updates", "stdout"),
            extra_related=extra, summary=summary)
        if not launch:
            body["related"].pop("modified_by", None)
            body["summary_fields"].pop("modified_by", None)
        for name in ("name", "description", "local_path", "scm_type", "scm_url", "scm_branch",
                     "scm_refspec", "scm_clean", "scm_track_submodules", "scm_delete_on_update",
                     "scm_revision", "timeout", "job_type", "job_tags", "launch_type", "status",
                     "failed", "elapsed", "job_explanation", "result_traceback",
                     "event_processing_finished", "job_args", "job_cwd", "execution_node"):
            body[name] = getattr(obj, name)
        launched_by = obj.launched_by
        body.update(
            project=project.id, unified_job_template=project.id, credential=obj.credential_id,
            execution_environment=CONTROL_PLANE_EE if started else None,
            started=ts(obj.started), finished=ts(obj.finished), canceled_on=ts(obj.canceled_on),
            job_env={}, work_unit_id=None,
            launched_by=({"id": launched_by.id, "name": launched_by.username, "type": "user",
                          "url": "%susers/%d/" % (API, launched_by.id)} if launched_by else {}))
        if not launch:
            body["playbook_counts"] = {"play_count": 0, "task_count": 0}
            body["host_status_counts"] = None
            if obj.status not in scm.ACTIVE and obj.status != "canceled":
                key = "failures" if obj.failed else ("changed" if "changed: [" in obj.stdout else "ok")
                body["host_status_counts"] = {key: 1}
        return body


PROJECT_UPDATES = ProjectUpdateResource()


def start_project_update(request, project, launch_type="manual"):
    """Create an update of the project and start it when the transaction commits."""
    update = scm.create_update(project, user=request.user if request else None,
                               launch_type=launch_type)
    scm.start_update(update.id)
    return update


class ProjectUpdateView(ResourceView):
    """``projects/<id>/update/``: GET whether it can be updated, POST starts an update."""
    options_name = "projects_update"

    def get(self, request, key):
        from awxsim.api.resources.projects import PROJECTS
        project = PROJECTS.get_object(request.user, key)
        return Response({"can_update": bool(project.scm_type)})

    def post(self, request, key):
        from awxsim.api.resources.projects import PROJECTS
        project = PROJECTS.get_object(request.user, key)
        if not PROJECTS.can_change(request.user, project):
            access.deny()
        if not project.scm_type:
            raise exceptions.MethodNotAllowed("POST")
        with transaction.atomic():
            update = start_project_update(request, project)
        update = PROJECT_UPDATES.base_queryset().get(pk=update.pk)
        body = PROJECT_UPDATES.render(update, self.ctx(request), launch=True)
        body["project_update"] = update.id
        return Response(body, status=202, headers={"Location": PROJECT_UPDATES.url(update)})


class ProjectUpdateCancelView(ResourceView):
    def get(self, request, key):
        update = PROJECT_UPDATES.get_object(request.user, key)
        return Response({"can_cancel": update.status in scm.ACTIVE})

    def post(self, request, key):
        update = PROJECT_UPDATES.get_object(request.user, key)
        if not PROJECT_UPDATES.can_change(request.user, update):
            access.deny()
        if update.status not in scm.ACTIVE:
            raise exceptions.MethodNotAllowed("POST")
        ProjectUpdate.objects.filter(pk=update.pk).update(cancel_flag=True)
        if not scm.cancel_update(update.id):
            now = timezone.now()
            ProjectUpdate.objects.filter(pk=update.pk, status__in=("new", "pending", "waiting")).update(
                status="canceled", failed=True, finished=now, canceled_on=now)
        return Response(status=202)


class ProjectUpdateStdoutView(ResourceView):
    renderer_classes = STDOUT_RENDERERS

    def get(self, request, key):
        update = PROJECT_UPDATES.get_object(request.user, key)
        return stdout_response(request, update.stdout)


class ProjectUpdateEventsView(ResourceView):
    """Events of an update: the simulator records the output as stdout only (an empty list)."""

    def get(self, request, key):
        PROJECT_UPDATES.get_object(request.user, key)
        return page_response(request, [], lambda objs: [])
