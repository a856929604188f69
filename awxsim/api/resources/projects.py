"""Projects (manual and SCM) and the playbooks found in them."""
import os

from django.utils import timezone
from rest_framework.response import Response

from awxsim import config
from awxsim.api import access
from awxsim.api.protocol import bad_request
from awxsim.api.resource import (API, InputSerializer, Resource, ResourceView, check_active_jobs,
                                 role_summary, ts)
from awxsim.api.resources.execution_environments import ee_summary, resolve_environment
from awxsim.models import Job, Project


PLAYBOOK_SUFFIXES = (".yml", ".yaml")


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


PROJECTS = ProjectResource()


class PlaybooksView(ResourceView):
    def get(self, request, key):
        project = PROJECTS.get_object(request.user, key)
        return Response(find_playbooks(project))
