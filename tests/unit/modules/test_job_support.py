"""A fake AWX for the job modules (launch, jobs, cancel, stdout) behind ``responses``.

Templates carry their launch info and survey; each job follows a script of statuses,
one per poll (the last one sticks), so a test decides exactly when a job ends.
``stdout/?format=txt`` answers 406 unless the client accepts any type, as AWX does.
The waiter gets a fake clock: no test sleeps.
"""
import json
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from ansible_collections.gitops.awx.plugins.module_utils import _module, _waiter
from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from ansible_collections.gitops.awx.plugins.module_utils._launch import PROMPTS
from tests.unit.fake_clock import FakeClock
from tests.unit.modules.fake_awx import HOST

API = "/api/v2/"
ASK_FLAGS = sorted(set(p.ask for p in PROMPTS))
TERMINAL = ("successful", "failed", "error", "canceled")


def _json(status, body):
    return status, {"Content-Type": "application/json"}, json.dumps(body)


class FakeJobsAWX:
    def __init__(self, rsps):
        self.templates = {}
        self.jobs = {}
        self.lists = {"inventories": [], "credentials": [], "labels": [],
                      "execution_environments": [], "instance_groups": []}
        self.calls = []
        self.next_job = 500
        self.job_script = ["pending", "running", "successful"]
        self.stdout = "PLAY [x]\nok: [web1]\nPLAY RECAP\n"
        self.cancel_hook = None   # replaces the cancel behaviour: hook(job) -> response
        rsps.add_callback(responses.GET, re.compile(re.escape(HOST) + r"/api/.*"), self._handle)
        rsps.add_callback(responses.POST, re.compile(re.escape(HOST) + r"/api/.*"), self._handle)

    # -- arranging -----------------------------------------------------------
    def add_template(self, id_, name, org="Default", survey=None, **launch):
        info = dict((flag, False) for flag in ASK_FLAGS)
        info.update(survey_enabled=survey is not None, variables_needed_to_start=[],
                    inventory_needed_to_start=False, credential_needed_to_start=False,
                    passwords_needed_to_start=[], defaults={},
                    job_template_data={"id": id_, "name": name})
        info.update(launch)
        if survey is not None:
            info["variables_needed_to_start"] = [
                q["variable"] for q in survey["spec"] if q.get("required") and not q.get("default")]
        self.templates[id_] = {"obj": {"id": id_, "name": name, "organization": 1,
                                       "type": "job_template",
                                       "url": API + "job_templates/%d/" % id_,
                                       "summary_fields": {"organization": {"id": 1, "name": org}}},
                               "launch": info, "survey": survey}

    def add_job(self, id_, script, name="deploy"):
        self.jobs[id_] = self._new_job(id_, name, list(script), {})

    def posts(self):
        return [c for c in self.calls if c[0] == "POST"]

    # -- serving -------------------------------------------------------------
    def _new_job(self, id_, name, script, body):
        base = API + "jobs/%d/" % id_
        return {"script": script, "body": body, "obj": {
            "id": id_, "type": "job", "name": name, "url": base, "status": script[0],
            "elapsed": 0.0, "started": None, "finished": None, "job_explanation": "",
            "artifacts": {}, "host_status_counts": None, "event_processing_finished": False,
            "related": {"stdout": base + "stdout/", "cancel": base + "cancel/",
                        "job_host_summaries": base + "job_host_summaries/"}}}

    def _handle(self, request):
        parts = urlsplit(request.url)
        path = parts.path[len(API):]
        query = dict(parse_qsl(parts.query))
        body = json.loads(request.body) if request.body else None
        self.calls.append((request.method, parts.path, query, body))
        if parts.path == "/api/":
            return _json(200, {"available_versions": {"v2": API}, "current_version": API})
        segments = [s for s in path.split("/") if s]
        if request.method == "POST":
            return self._post(segments, body)
        if segments[0] == "job_templates":
            return self._template_get(segments, query)
        if segments[0] == "jobs":
            return self._job_get(segments, request)
        return _json(200, self._page(self.lists[segments[0]], query))

    @staticmethod
    def _page(objects, query):
        if "name" in query:
            objects = [o for o in objects if o["name"] == query["name"]]
        if "name__in" in query:
            names = query["name__in"].split(",")
            objects = [o for o in objects if o["name"] in names]
        if "id__in" in query:
            ids = [int(i) for i in query["id__in"].split(",")]
            objects = [o for o in objects if o["id"] in ids]
        return {"count": len(objects), "next": None, "previous": None, "results": objects}

    def _template_get(self, segments, query):
        if len(segments) == 1:
            found = [t["obj"] for t in self.templates.values()]
            if "organization__name" in query:
                found = [o for o in found
                         if o["summary_fields"]["organization"]["name"] == query["organization__name"]]
            return _json(200, self._page(found, query))
        template = self.templates.get(int(segments[1]))
        if template is None:
            return _json(404, {"detail": "Not found."})
        if len(segments) == 2:
            return _json(200, template["obj"])
        if segments[2] == "launch":
            return _json(200, template["launch"])
        return _json(200, template["survey"] or {})

    def _job_get(self, segments, request):
        job = self.jobs.get(int(segments[1]))
        if job is None:
            return _json(404, {"detail": "Not found."})
        obj = job["obj"]
        if len(segments) == 2:
            if len(job["script"]) > 1:
                job["script"].pop(0)
            obj["status"] = job["script"][0]
            if obj["status"] in TERMINAL:
                obj.update(finished="2026-11-27T10:00:02Z", elapsed=2.0,
                           started="2026-11-27T10:00:00Z",
                           host_status_counts={"ok": 1} if obj["status"] == "successful"
                           else {"failures": 1},
                           artifacts={"greeted": "world"} if obj["status"] == "successful" else {})
            return _json(200, obj)
        if segments[2] == "stdout":
            if "*/*" not in request.headers.get("Accept", ""):
                return 406, {"Content-Type": "text/html"}, "<html>Not Acceptable</html>"
            return 200, {"Content-Type": "text/plain; charset=utf-8"}, self.stdout
        if segments[2] == "job_host_summaries":
            failed = obj["status"] != "successful"
            rows = [{"id": 1, "host_name": "web1", "ok": 1, "changed": 0,
                     "failures": int(failed), "dark": 0, "skipped": 0, "rescued": 0,
                     "ignored": 0, "failed": failed}]
            return _json(200, self._page(rows, {}))
        if segments[2] == "cancel":
            return _json(200, {"can_cancel": obj["status"] not in TERMINAL})
        return _json(404, {"detail": "Not found."})

    def _post(self, segments, body):
        if segments[0] == "job_templates" and segments[2] == "launch":
            template = self.templates[int(segments[1])]
            self.next_job += 1
            job = self._new_job(self.next_job, template["obj"]["name"], list(self.job_script),
                                body)
            self.jobs[self.next_job] = job
            answer = dict(job["obj"], job=self.next_job, ignored_fields={})
            return 201, {"Content-Type": "application/json",
                         "Location": job["obj"]["url"]}, json.dumps(answer)
        if segments[0] == "jobs" and segments[2] == "cancel":
            job = self.jobs[int(segments[1])]
            if job["obj"]["status"] in TERMINAL:
                return _json(405, {"detail": "Method \"POST\" not allowed."})
            if self.cancel_hook is not None:
                return self.cancel_hook(job)
            job["script"] = ["running", "canceled"]
            return 202, {}, ""
        return _json(404, {"detail": "Not found."})


@pytest.fixture
def fake_time(monkeypatch):
    fake = FakeClock(start=0.0)  # stands in for the waiter's ``time`` module
    monkeypatch.setattr(_waiter, "time", fake)
    return fake


@pytest.fixture
def jobs_awx(monkeypatch, fake_time):
    monkeypatch.setattr(_module, "Client",
                        lambda settings, **kw: Client(settings, sleep=lambda s: None, **kw))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeJobsAWX(rsps)
        fake.time = fake_time
        yield fake
