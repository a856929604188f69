"""Projects (manual and SCM) and the playbooks found in them."""
import os

import yaml

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from rest_framework.response import Response

from awxsim import config
from awxsim.api import access
from awxsim.api.protocol import bad_request
from awxsim.api.resource import (API, InputSerializer, RenderContext, Resource, ResourceView,
                                 check_active_jobs, role_summary, ts)
from awxsim.api.resources.execution_environments import ee_summary, resolve_environment
from awxsim.api.resources.project_updates import start_project_update, update_summary
from awxsim.models import Job, Project, ProjectUpdate


PLAYBOOK_SUFFIXES = (".yml", ".yaml")
INVENTORY_SUFFIXES = (".ini", ".yml", ".yaml", ".json", ".cfg", "")
SKIP_DIRS = ("roles", "group_vars", "host_vars", "collections")
# A change of one of these starts an update (as AWX's Project.save does).
SCM_FIELDS = ("scm_type", "scm_url", "scm_branch", "scm_refspec", "scm_clean",
              "scm_delete_on_update", "scm_track_submodules", "credential")


def scm_local_path(project):
    """AWX's directory name for an SCM project: ``_<id>__<slugified name>``."""
    return "_%d__%s" % (project.id, slugify(project.name).replace("-", "_"))


def project_updates_of(project):
    """(the active update or None, the last finished update or None)."""
    current = project.updates.filter(status__in=("new", "pending", "waiting", "running")) \
        .order_by("-id").first()
    last = project.updates.exclude(status__in=("new", "pending", "waiting", "running")) \
        .order_by("-id").first()
    return current, last


def project_dir(project):
    return os.path.join(config.projects_root(), project.local_path) if project.local_path else None


def _project_files(project, suffixes):
    """(relative path, first 64 KiB) of the project's files with one of the suffixes."""
    root = project_dir(project)
    if not root or not os.path.isdir(root):
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.startswith(".") or os.path.splitext(name)[1] not in suffixes:
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read(65536)
            except OSError:
                continue
            yield os.path.relpath(path, root), text


def _is_playbook(name, text):
    return name.endswith(PLAYBOOK_SUFFIXES) and ("hosts" in text or "import_playbook" in text)


def find_playbooks(project):
    """Relative paths of the playbook-looking YAML files in a project directory."""
    return sorted(name for name, text in _project_files(project, PLAYBOOK_SUFFIXES)
                  if _is_playbook(name, text))


def _is_inventory(name, text):
    if _is_playbook(name, text):
        return False
    if name.endswith((".yml", ".yaml", ".json")):
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            return False
        return isinstance(data, dict) and any(
            isinstance(v, dict) and set(v) & {"hosts", "children", "vars"} for v in data.values())
    if name.endswith(".cfg") or not text.strip() or "\0" in text:
        return False
    return True


def find_inventory_files(project):
    """Relative paths of the files in a project that look like inventories (AWX's
    ``inventories/`` list: INI files and YAML/JSON documents with groups)."""
    return sorted(name for name, text in _project_files(project, INVENTORY_SUFFIXES)
                  if _is_inventory(name, text) and os.path.basename(name) not in ("README", "LICENSE"))


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
                        "Project with this (name, organization) combination already exists."),)

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
            if created or self._changed_scm(obj, validated):
                obj.status = "pending"
        else:
            obj.status = "ok"
            obj.last_updated = obj.last_updated or now
            obj.last_job_run = obj.last_job_run or now

    def after_save(self, request, obj, validated, created):
        if obj.scm_type and not obj.local_path:
            obj.local_path = scm_local_path(obj)
            Project.objects.filter(pk=obj.pk).update(local_path=obj.local_path)
        if obj.scm_type and (created or self._changed_scm(obj, validated)):
            start_project_update(request, obj)

    def update(self, request, obj, data, partial):
        before = {name: getattr(obj, name) for name in SCM_FIELDS}
        obj._scm_before = before
        return super().update(request, obj, data, partial)

    @staticmethod
    def _changed_scm(obj, validated):
        before = getattr(obj, "_scm_before", None) or {}
        return any(name in validated and before.get(name) != getattr(obj, name)
                   for name in SCM_FIELDS)

    def capabilities(self, ctx, obj):
        can = self.can_change(ctx.user, obj)
        return {"copy": can, "delete": can, "edit": can, "schedule": can,
                "start": bool(obj.scm_type) and can}

    def delete(self, request, obj):
        if not self.can_change(request.user, obj):
            access.deny()
        check_active_jobs(Job.objects.filter(project=obj))
        check_active_jobs(ProjectUpdate.objects.filter(project=obj), kind="project_update")
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
        current, last = ctx.memo(("updates", obj.id), lambda: project_updates_of(obj))
        if current is not None:
            for name in ("current_job", "current_update"):
                extra[name] = "%sproject_updates/%d/" % (API, current.id)
                summary[name] = update_summary(current)
        if last is not None:
            for name in ("last_job", "last_update"):
                extra[name] = "%sproject_updates/%d/" % (API, last.id)
            summary["last_job"] = update_summary(last, finished=True)
            summary["last_update"] = update_summary(last)
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
                    scm_revision=obj.scm_revision, last_job_run=ts(obj.last_job_run),
                    last_job_failed=bool(last and last.failed), last_updated=ts(obj.last_updated),
                    last_update_failed=bool(last and last.failed),
                    next_job_run=None)
        return body


PROJECTS = ProjectResource()


class PlaybooksView(ResourceView):
    def get(self, request, key):
        project = PROJECTS.get_object(request.user, key)
        return Response(find_playbooks(project))


class InventoryFilesView(ResourceView):
    def get(self, request, key):
        project = PROJECTS.get_object(request.user, key)
        return Response(find_inventory_files(project))


class ProjectCopyView(ResourceView):
    """``projects/<id>/copy/``: AWX copies the fields (not the checkout) under a new name, which
    may be one already used; an SCM copy updates by itself."""

    def get(self, request, key):
        project = PROJECTS.get_object(request.user, key)
        return Response({"can_copy": PROJECTS.can_change(request.user, project)})

    def post(self, request, key):
        source = PROJECTS.get_object(request.user, key)
        if not PROJECTS.can_change(request.user, source):
            access.deny()
        name = request.data.get("name")
        if not name:
            raise bad_request({"name": ["This field is required."]})
        with transaction.atomic():
            copy = Project.objects.get(pk=source.pk)
            copy.pk = copy.id = None
            copy.name = str(name)
            copy.created_by = copy.modified_by = request.user
            copy.created = copy.modified = timezone.now()
            copy.last_updated = copy.last_job_run = None
            copy.scm_revision = ""
            if copy.scm_type:
                copy.local_path = ""
                copy.status = "pending"
            copy.save()
            if copy.scm_type:
                copy.local_path = scm_local_path(copy)
                Project.objects.filter(pk=copy.pk).update(local_path=copy.local_path)
                start_project_update(request, copy)
        copy = PROJECTS.base_queryset().get(pk=copy.pk)
        # A copy answers like a detail (with summary_fields.resolved_environment), as AWX does.
        body = PROJECTS.render(copy, RenderContext(request))
        return Response(body, status=201, headers={"Location": PROJECTS.url(copy)})
