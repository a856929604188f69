"""A small in-memory AWX behind the ``responses`` HTTP seam.

It answers the way the recorded AWX 24.6.1 exchanges in ``tests/awxsim/recordings/awx-api`` do,
for the endpoints the resource modules use: list filters (exact, ``__in``,
related-field chains such as ``inventory__organization__name``), pagination,
details by id and by named URL, POST/PATCH/DELETE with AWX's status codes and
error bodies, association sub-endpoints (``{"id": n}`` /
``{"id": n, "disassociate": true}``, 204; members listed in association order,
as AWX keeps ordered lists such as instance groups), and ``inventories/<id>/copy/``
(POST ``{"name": ...}`` -> 201 with the new object, instance groups copied).  Every request is recorded, so tests
count requests and assert that no write was sent.
"""
import copy
import json
import re
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import responses

HOST = "https://awx.example"
API = "/api/v2/"
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")

# field -> collection it refers to
RELATED = {
    "organization": "organizations",
    "inventory": "inventories",
    "default_environment": "execution_environments",
    "credential_type": "credential_types",
    "project": "projects",
    "credential": "credentials",
    "target_credential": "credentials",
    "source_credential": "credentials",
}

DEFAULTS = {
    "organizations": {"description": "", "max_hosts": 0, "custom_virtualenv": None,
                      "default_environment": None},
    "inventories": {"description": "", "kind": "", "variables": "", "host_filter": None,
                    "prevent_instance_group_fallback": False, "pending_deletion": False},
    "hosts": {"description": "", "enabled": True, "variables": "", "instance_id": ""},
    "instance_groups": {},
    "credentials": {"description": "", "inputs": {}, "organization": None},
    "credential_types": {"description": "", "managed": False, "inputs": {}, "injectors": {}},
    "credential_input_sources": {"description": "", "metadata": {}},
    "labels": {},
    "teams": {},
    "execution_environments": {"description": "", "organization": None},
    "job_templates": {"description": "", "organization": None, "extra_vars": "",
                      "survey_enabled": False, "job_type": "run", "forks": 0, "limit": ""},
    "projects": {"description": "", "organization": None, "scm_type": "", "scm_url": "",
                 "scm_branch": "", "scm_revision": "", "local_path": "", "status": "ok"},
    "project_updates": {"status": "successful", "failed": False},
    "jobs": {"status": "successful", "failed": False},
    "users": {"email": ""},
    "notification_templates": {"description": "", "notification_type": "slack"},
}
REQUIRED = {
    "organizations": ("name",),
    "inventories": ("name", "organization"),
    "hosts": ("name", "inventory"),
}
UNIQUE = {
    "organizations": (("name",), lambda o: {"name": ["Organization with this Name already exists."]}),
    "inventories": (("name", "organization"),
                    lambda o: {"__all__": ["Inventory with this Name and Organization already exists."]}),
    "hosts": (("name", "inventory"),
              lambda o: {"__all__": ["Host with this Name and Inventory already exists."]}),
    "labels": (("name", "organization"),
               lambda o: {"__all__": ["Label with this Name and Organization already exists."]}),
    "credentials": (("organization", "name", "credential_type"),
                    lambda o: {"__all__": ["Credential with this Organization, Name and Credential type "
                                           "already exists."]}),
    "notification_templates": (
        ("name", "organization"),
        lambda o: {"__all__": ["Notification template with this Organization and Name already exists."]}),
}
TYPES = {"organizations": "organization", "inventories": "inventory", "hosts": "host",
         "instance_groups": "instance_group", "credentials": "credential",
         "credential_types": "credential_type", "execution_environments": "execution_environment",
         "job_templates": "job_template", "jobs": "job", "users": "user",
         "notification_templates": "notification_template", "projects": "project",
         "project_updates": "project_update", "labels": "label",
         "credential_input_sources": "credential_input_source", "teams": "team"}
# Fields AWX never answers in clear.
SECRETS = {"users": ("password",)}
SUBLISTS = {
    ("organizations", "instance_groups"): "instance_groups",
    ("organizations", "galaxy_credentials"): "credentials",
    ("inventories", "instance_groups"): "instance_groups",
    ("inventories", "input_inventories"): "inventories",
    ("organizations", "notification_templates_started"): "notification_templates",
    ("organizations", "notification_templates_success"): "notification_templates",
    ("organizations", "notification_templates_error"): "notification_templates",
    ("organizations", "notification_templates_approvals"): "notification_templates",
    ("job_templates", "credentials"): "credentials",
    ("job_templates", "labels"): "labels",
    ("job_templates", "instance_groups"): "instance_groups",
    ("job_templates", "notification_templates_started"): "notification_templates",
    ("job_templates", "notification_templates_success"): "notification_templates",
    ("job_templates", "notification_templates_error"): "notification_templates",
    ("projects", "notification_templates_started"): "notification_templates",
    ("projects", "notification_templates_success"): "notification_templates",
    ("projects", "notification_templates_error"): "notification_templates",
}
# Association lists a copy keeps (AWX's FIELDS_TO_PRESERVE_AT_COPY of Inventory).
COPIED_MEMBERS = {"inventories": ("instance_groups",)}
# Options whose change makes AWX update an SCM project.
SCM_OPTIONS = ("scm_type", "scm_url", "scm_branch", "scm_refspec", "credential")
READ_ONLY = ("id", "url", "type", "related", "summary_fields", "created", "modified",
             "custom_virtualenv", "pending_deletion")


class FakeAWX:
    def __init__(self, rsps, host=HOST):
        self.host = host
        self.data = dict((name, {}) for name in TYPES)
        self.members = {}
        self.calls = []
        # [(method, path_prefix, status | exception | action, after_applying)], consumed in order;
        # after_applying is None for an action of before_next.
        self.faults = []
        self.next_id = 100
        self.routes = {}          # extra GET answers: {"/api/v2/x/1/launch/": body}
        pattern = re.compile(re.escape(host) + r"/api/.*")
        for method in ("GET", "POST", "PATCH", "PUT", "DELETE"):
            rsps.add_callback(getattr(responses, method), pattern, callback=self._handle)

    # -- arranging state ---------------------------------------------------

    def add(self, collection, **fields):
        obj = dict(DEFAULTS[collection])
        obj.update(fields)
        obj["id"] = obj.get("id") or self._new_id()
        self.data[collection][obj["id"]] = obj
        return obj["id"]

    def associate(self, collection, obj_id, sub, member_ids):
        self.members.setdefault((collection, obj_id, sub), []).extend(member_ids)

    def member_ids(self, collection, obj_id, sub):
        return list(self.members.get((collection, obj_id, sub), []))

    def get(self, collection, obj_id):
        return self.data[collection].get(obj_id)

    def find(self, collection, **fields):
        return [o for o in self.data[collection].values()
                if all(o.get(k) == v for k, v in fields.items())]

    def fail_next(self, method, path_prefix, status, after_applying=False):
        """Answer the next matching request with ``status``; with ``after_applying``
        the request is processed first (a proxy 502 after AWX already wrote).
        ``status`` may be an exception instead (a ``requests`` ConnectionError or
        ReadTimeout): it is raised, as when the answer never arrives."""
        self.faults.append((method, path_prefix, status, after_applying))

    def before_next(self, method, path_prefix, action):
        """Run ``action()`` just before the next matching request is served: another
        client's change landing between our read and our write."""
        self.faults.append((method, path_prefix, action, None))

    # -- observing ---------------------------------------------------------

    @property
    def writes(self):
        return [c for c in self.calls if c[0] in WRITE_METHODS]

    def count(self, method=None):
        return len([c for c in self.calls if method is None or c[0] == method])

    # -- serving -----------------------------------------------------------

    def _new_id(self):
        self.next_id += 1
        return self.next_id

    def _handle(self, request):
        parts = urlsplit(request.url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        body = json.loads(request.body) if request.body else None
        self.calls.append((request.method, parts.path, dict(query), body))
        for index, (method, prefix, status, after_applying) in enumerate(self.faults):
            if method == request.method and parts.path.startswith(prefix):
                del self.faults[index]
                if after_applying is None:
                    status()
                    break
                if after_applying:
                    self._serve(request, parts, query, body)
                if isinstance(status, Exception):
                    raise status
                return status, {}, "<html><body>%d Bad Gateway</body></html>" % status
        return self._serve(request, parts, query, body)

    def _serve(self, request, parts, query, body):
        if request.method == "GET" and parts.path in self.routes:
            return self._json(200, self.routes[parts.path])
        if parts.path == "/api/":
            return self._json(200, {"available_versions": {"v2": API}, "current_version": API})
        if not parts.path.startswith(API):
            return self._json(404, {"detail": "Not found."})
        segments = [unquote(s) for s in parts.path[len(API):].strip("/").split("/")]
        collection = segments[0]
        if collection not in self.data:
            return self._json(404, {"detail": "The requested resource could not be found."})
        if len(segments) == 1:
            if request.method == "GET":
                return self._list(collection, list(self.data[collection].values()), query,
                                  parts.path)
            if request.method == "POST":
                return self._create(collection, body or {})
            return self._json(405, {"detail": 'Method "%s" not allowed.' % request.method})
        obj = self._detail(collection, segments[1])
        if obj is None:
            return self._json(404, {"detail": "No %s matches the given query."
                                    % TYPES[collection].replace("_", " ").title()})
        if len(segments) == 3 and segments[2] == "copy":
            return self._copy(collection, obj, request.method, body or {})
        if len(segments) == 3 and segments[2] == "survey_spec":
            return self._survey(obj, request.method, body)
        if len(segments) == 3 and segments[2] == "update" and collection == "projects":
            update = self._start_update(obj)
            return self._json(202, dict(self._render("project_updates", update),
                                        project_update=update["id"]))
        if len(segments) == 3 and segments[2] == "stdout":
            return 200, {"Content-Type": "text/plain"}, obj.get("_stdout", "")
        if len(segments) == 3:
            return self._sublist(collection, obj, segments[2], request.method, body, query,
                                 parts.path)
        if request.method == "GET":
            return self._json(200, self._render(collection, obj))
        if request.method == "PATCH":
            return self._update(collection, obj, body or {})
        if request.method == "DELETE":
            if collection == "labels":
                return self._json(405, {"detail": 'Method "DELETE" not allowed.'})
            busy = obj.pop("_busy_job", None)
            if busy is not None:
                # AWX refuses to delete an object whose jobs run (exchange 13).
                return self._json(409, {"active_jobs": [busy],
                                        "error": "Resource is being used by running jobs."})
            del self.data[collection][obj["id"]]
            return (202 if collection == "inventories" else 204), {}, ""
        return self._json(405, {"detail": 'Method "%s" not allowed.' % request.method})

    @staticmethod
    def _json(status, body):
        return status, {"Content-Type": "application/json"}, json.dumps(body)

    def _named_url(self, collection, obj):
        if collection == "hosts":
            inv = self.data["inventories"].get(obj["inventory"]) or {}
            org = self.data["organizations"].get(inv.get("organization")) or {}
            return "%s++%s++%s" % (obj["name"], inv.get("name"), org.get("name"))
        if collection == "inventories":
            org = self.data["organizations"].get(obj["organization"]) or {}
            return "%s++%s" % (obj["name"], org.get("name"))
        return obj.get("name")

    def _detail(self, collection, key):
        if key.isdigit():
            return self.data[collection].get(int(key))
        for obj in self.data[collection].values():
            if self._named_url(collection, obj) == key or obj.get("username") == key:
                return obj
        return None

    def _secret_inputs(self, credential):
        ctype = self.data["credential_types"].get(credential.get("credential_type")) or {}
        return set(f["id"] for f in (ctype.get("inputs") or {}).get("fields", []) if f.get("secret"))

    def _render(self, collection, obj):
        out = dict((k, copy.deepcopy(v)) for k, v in obj.items() if not k.startswith("_"))
        for field in SECRETS.get(collection, ()):
            if out.get(field):
                out[field] = "$encrypted$"
        if collection == "credentials":
            # AWX answers secret inputs as $encrypted$ (recorded: 08-credentials).
            secret = self._secret_inputs(obj)
            out["inputs"] = dict((k, "$encrypted$" if k in secret and v not in ("", None) else v)
                                 for k, v in (obj.get("inputs") or {}).items())
        out["type"] = TYPES[collection]
        out["url"] = "%s%s/%d/" % (API, collection, obj["id"])
        summary = {}
        for field, target in RELATED.items():
            if obj.get(field) is not None and obj[field] in self.data.get(target, {}):
                related = self.data[target][obj[field]]
                summary[field] = {"id": related["id"], "name": related.get("name")}
                if "organization" in related and target != "projects":
                    # (AWX's project summary has no organization_id; an inventory's has.)
                    summary[field]["organization_id"] = related["organization"]
        out["summary_fields"] = summary
        out["related"] = {"named_url": "%s%s/%s/" % (API, collection,
                                                     quote(self._named_url(collection, obj) or "", safe="+"))}
        update = self.data["project_updates"].get(obj.get("_current_update"))
        if update is not None and collection == "projects":
            summary["current_update"] = {"id": update["id"], "status": "pending"}
            out["related"]["current_update"] = "%sproject_updates/%d/" % (API, update["id"])
        if collection == "project_updates":
            out["related"]["stdout"] = "%sproject_updates/%d/stdout/" % (API, obj["id"])
        return out

    def _value(self, obj, path):
        """Follow ``inventory__organization__name`` through related objects."""
        value = obj
        collection = None
        for part in path:
            if value is None:
                return None
            value = value.get(part)
            collection = RELATED.get(part)
            if collection is not None and value is not None and part != path[-1]:
                value = self.data[collection].get(value)
        return value

    def _matches(self, obj, key, raw):
        if key in ("page", "page_size", "order_by"):
            return True
        parts = key.split("__")
        lookup = "exact"
        if parts[-1] in ("in", "exact", "iexact"):
            lookup = parts.pop()
        value = self._value(obj, parts)
        if lookup == "in":
            return str(value) in raw.split(",")
        if isinstance(value, bool):
            return str(value).lower() == raw.lower()
        if lookup == "iexact":
            return str(value).lower() == raw.lower()
        return "" if value is None and raw == "" else str(value) == raw

    def _list(self, collection, objects, query, path):
        params = dict(query)
        matched = [o for o in objects if all(self._matches(o, k, v) for k, v in params.items())]
        matched.sort(key=lambda o: (str(o.get("name")), o["id"]))
        page_size = min(int(params.get("page_size") or 25), 200)
        page = int(params.get("page") or 1)
        start = (page - 1) * page_size
        results = matched[start:start + page_size]
        next_link = None
        if start + page_size < len(matched):
            rest = dict(params)
            rest["page"] = str(page + 1)
            next_link = path + "?" + "&".join("%s=%s" % (k, v) for k, v in sorted(rest.items()))
        return self._json(200, {"count": len(matched), "next": next_link, "previous": None,
                                "results": [self._render(collection, o) for o in results]})

    def _check(self, collection, obj, current_id=None):
        errors = {}
        for field in REQUIRED.get(collection, ()):
            if obj.get(field) in (None, ""):
                errors[field] = ["This field is required."]
        if "variables" in obj and not isinstance(obj["variables"], str):
            errors["variables"] = ["Not a valid string."]
        for field, target in RELATED.items():
            value = obj.get(field)
            if value is not None and field in obj and value not in self.data.get(target, {}):
                errors[field] = ['Invalid pk "%s" - object does not exist.' % value]
        if errors:
            return errors
        if collection in UNIQUE:
            keys, message = UNIQUE[collection]
            for other in self.data[collection].values():
                if other["id"] != current_id and all(other.get(k) == obj.get(k) for k in keys):
                    return message(obj)
        return None

    def _create(self, collection, body):
        obj = dict(DEFAULTS.get(collection, {}))
        obj.update(dict((k, v) for k, v in body.items() if k not in READ_ONLY))
        if collection == "job_templates" and obj.get("project") in self.data["projects"]:
            # AWX takes a job template's organization from its project.
            obj["organization"] = self.data["projects"][obj["project"]].get("organization")
        errors = self._check(collection, obj)
        if errors:
            return self._json(400, errors)
        obj["id"] = self._new_id()
        self.data[collection][obj["id"]] = obj
        if collection == "projects" and obj.get("scm_type"):
            self._start_update(obj)
        return self._json(201, self._render(collection, obj))

    def _update(self, collection, obj, body):
        if collection == "credential_types" and obj.get("managed"):
            return self._json(403, {"detail": "Modifications not allowed for managed credential types"})
        if collection == "credentials" and isinstance(body.get("inputs"), dict):
            # inputs is replaced as a whole; a secret sent back as $encrypted$ is kept.
            stored = obj.get("inputs") or {}
            body = dict(body, inputs=dict(
                (k, stored.get(k) if v == "$encrypted$" else v) for k, v in body["inputs"].items()
                if v != "$encrypted$" or k in stored))
        merged = dict(obj)
        merged.update(dict((k, v) for k, v in body.items() if k not in READ_ONLY))
        errors = self._check(collection, merged, current_id=obj["id"])
        if errors:
            return self._json(400, errors)
        scm_changed = any(k in body and body[k] != obj.get(k) for k in SCM_OPTIONS)
        obj.update(merged)
        if collection == "projects" and obj.get("scm_type") and scm_changed:
            self._start_update(obj)
        return self._json(200, self._render(collection, obj))

    def _start_update(self, project):
        """A project update, finished at once: failed for a URL containing "missing"."""
        failed = "missing" in (project.get("scm_url") or "")
        update = {"id": self._new_id(), "project": project["id"], "name": project["name"],
                  "status": "failed" if failed else "successful", "failed": failed,
                  "scm_revision": "" if failed else "rev-%d" % (self.next_id),
                  "_stdout": "fatal: repository not found\n" if failed else "ok\n"}
        self.data["project_updates"][update["id"]] = update
        project["_current_update"] = update["id"]
        if not failed:
            project["scm_revision"] = update["scm_revision"]
        return update

    def _survey(self, obj, method, body):
        if method == "GET":
            survey = copy.deepcopy(obj.get("_survey") or {})
            for question in survey.get("spec") or []:
                if question.get("type") == "password" and question.get("default"):
                    question["default"] = "$encrypted$"
            return self._json(200, survey)
        if method == "POST":
            obj["_survey"] = copy.deepcopy(body)
            return 200, {}, ""
        if method == "DELETE":
            obj["_survey"] = {}
            return 200, {}, ""
        return self._json(405, {"detail": 'Method "%s" not allowed.' % method})

    def _sublist(self, collection, obj, sub, method, body, query, path):
        target = SUBLISTS.get((collection, sub))
        if target is None:
            return self._json(404, {"detail": "Not found."})
        key = (collection, obj["id"], sub)
        ids = self.members.setdefault(key, [])
        if method == "GET":
            objects = [self.data[target][i] for i in ids if i in self.data[target]]
            params = dict(query)
            page_size = min(int(params.get("page_size") or 25), 200)
            return self._json(200, {"count": len(objects), "next": None, "previous": None,
                                    "results": [self._render(target, o) for o in objects[:page_size]]})
        if method != "POST":
            return self._json(405, {"detail": 'Method "%s" not allowed.' % method})
        if "id" not in (body or {}) and "name" in (body or {}) and target == "labels":
            # AWX creates the label posted by name (201), or associates the existing one (204).
            existing = [o for o in self.data["labels"].values()
                        if o["name"] == body["name"] and o.get("organization") == body.get("organization")]
            if existing:
                if existing[0]["id"] not in ids:
                    ids.append(existing[0]["id"])
                return 204, {}, ""
            label = {"id": self._new_id(), "name": body["name"], "organization": body.get("organization")}
            self.data["labels"][label["id"]] = label
            ids.append(label["id"])
            return self._json(201, self._render("labels", label))
        member = (body or {}).get("id")
        if member not in self.data[target]:
            return self._json(400, {"detail": "%s matching query does not exist."
                                    % TYPES[target].replace("_", " ").title()})
        if (body or {}).get("disassociate"):
            if member in ids:
                ids.remove(member)
        elif member not in ids:
            ids.append(member)
        return 204, {}, ""

    def _copy(self, collection, obj, method, body):
        if method == "GET":
            return self._json(200, {"can_copy": True, "can_copy_without_user_input": True,
                                    "templates_unable_to_copy": [],
                                    "credentials_unable_to_copy": [],
                                    "inventories_unable_to_copy": []})
        if method != "POST":
            return self._json(405, {"detail": 'Method "%s" not allowed.' % method})
        if not body.get("name"):
            return self._json(400, {"name": ["This field is required."]})
        new = dict(DEFAULTS[collection])
        new.update((k, v) for k, v in obj.items() if k not in READ_ONLY)
        new["name"] = body["name"]
        errors = self._check(collection, new)
        if errors:
            return self._json(400, errors)
        new["id"] = self._new_id()
        self.data[collection][new["id"]] = new
        for sub in COPIED_MEMBERS.get(collection, ()):
            members = self.members.get((collection, obj["id"], sub), [])
            self.members[(collection, new["id"], sub)] = list(members)
        return self._json(201, self._render(collection, new))
