"""What a job leaves behind: its events, host summaries and standard output."""
import json
import re

from rest_framework import renderers
from rest_framework.response import Response

from awxsim.api.resource import API, Resource, ResourceView, ts
from awxsim.api.resources.jobs import JOBS
from awxsim.models import JobEvent, JobHostSummary


def _job_summary_job(job):
    return {"description": job.description, "elapsed": job.elapsed, "failed": job.failed,
            "id": job.id,
            "job_template_id": job.job_template_id, "job_template_name": job.name,
            "name": job.name, "status": job.status, "type": "job"}


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


JOB_EVENTS = JobEventResource()


JOB_HOST_SUMMARIES = JobHostSummaryResource()


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


ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text):
    return ANSI_RE.sub("", text)


STDOUT_RENDERERS = [renderers.JSONRenderer, PlainTextRenderer, AnsiRenderer, TxtDownloadRenderer,
                    AnsiDownloadRenderer]


def stdout_response(request, text):
    """A unified job's output in the format asked for (``?format=txt|ansi|json|..._download``)."""
    fmt = request.accepted_renderer.format
    if fmt in ("ansi", "ansi_download"):
        return Response(text)
    plain = strip_ansi(text)
    if fmt in ("txt", "txt_download"):
        return Response(plain)
    lines = plain.count("\n")
    return Response({"range": {"start": 0, "end": lines, "absolute_end": lines},
                     "content": text})


class StdoutView(ResourceView):
    renderer_classes = STDOUT_RENDERERS

    def get(self, request, key):
        job = JOBS.get_object(request.user, key)
        text = job.stdout
        if not text:
            lines = JobEvent.objects.filter(job=job).order_by("counter").values_list(
                "stdout", flat=True)
            text = "\n".join(line for line in lines if line)
        return stdout_response(request, text)
