"""Fixed endpoints: API roots, ping, config and settings."""
import json
import os
import uuid

from rest_framework.response import Response
from rest_framework.views import APIView

from awxsim import AWX_VERSION, access
from awxsim.auth import AllowAny
from awxsim.models import Setting
from awxsim.resource import DATA_DIR, ts

with open(os.path.join(DATA_DIR, "static.json")) as _handle:
    STATIC = json.load(_handle)

INSTALL_UUID = str(uuid.uuid4())
SETTING_CATEGORIES = ("all", "system", "jobs", "ui", "authentication", "logging", "bulk")
BULK_DEFAULTS = {"BULK_HOST_MAX_CREATE": 100, "BULK_HOST_MAX_DELETE": 250,
                 "BULK_JOB_MAX_LAUNCH": 100}


class ApiRootView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        return Response(STATIC["api_root"])


class V2RootView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response(STATIC["v2_root"])


class PingView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        from django.utils import timezone
        groups = [{"capacity": 220, "instances": ["awxsim"], "name": name}
                  for name in ("controlplane", "default")]
        return Response({
            "active_node": "awxsim", "ha": False, "install_uuid": INSTALL_UUID,
            "instance_groups": groups,
            "instances": [{"capacity": 220, "heartbeat": ts(timezone.now()), "node": "awxsim",
                           "node_type": "hybrid", "uuid": INSTALL_UUID,
                           "version": AWX_VERSION}],
            "version": AWX_VERSION,
        })


class ConfigView(APIView):
    def get(self, request):
        from awxsim.config import projects_root
        body = dict(STATIC["config"])
        root = projects_root()
        body["project_base_dir"] = root.rstrip("/") + "/"
        used = set()
        from awxsim.models import Project
        used = set(Project.objects.exclude(local_path="").values_list("local_path", flat=True))
        try:
            entries = sorted(e for e in os.listdir(root)
                             if os.path.isdir(os.path.join(root, e)) and not e.startswith("."))
        except OSError:
            entries = []
        body["project_local_paths"] = [e for e in entries if e not in used]
        return Response(body)


def _defaults(category):
    if category == "system":
        values = dict(STATIC["settings_system"])
        values["INSTALL_UUID"] = INSTALL_UUID
        return values
    if category == "bulk":
        return dict(BULK_DEFAULTS)
    return {}


def current_settings(category):
    values = _defaults(category)
    if category == "all":
        values.update(_defaults("system"))
        values.update(_defaults("bulk"))
    stored = dict(Setting.objects.values_list("key", "value"))
    for key in list(values):
        if key in stored:
            values[key] = stored[key]
    if category == "all":
        for key, value in stored.items():
            values.setdefault(key, value)
    return values


# Settings AWX stores encrypted: answered as "$encrypted$" once set, kept when sent back so.
SECRET_SETTINGS = ("REDHAT_PASSWORD", "SUBSCRIPTIONS_PASSWORD")
ENCRYPTED = "$encrypted$"


def masked(values):
    return dict((key, ENCRYPTED if key in SECRET_SETTINGS and value else value)
                for key, value in values.items())


def setting(key, default=None):
    row = Setting.objects.filter(key=key).first()
    if row is not None:
        return row.value
    for category in ("system", "bulk"):
        values = _defaults(category)
        if key in values:
            return values[key]
    return default


class SettingsListView(APIView):
    def get(self, request):
        results = [{"url": "/api/v2/settings/%s/" % c, "slug": c, "name": c.title()}
                   for c in SETTING_CATEGORIES]
        return Response({"count": len(results), "next": None, "previous": None,
                         "results": results})


class SettingsView(APIView):
    def options(self, request, *args, **kwargs):
        from awxsim.resource import load_options
        return Response(load_options("settings_system") or {})

    def _category(self, category):
        from rest_framework.exceptions import NotFound
        if category not in SETTING_CATEGORIES:
            raise NotFound("Not found.")
        return category

    def get(self, request, category):
        access.require_superuser(request.user)
        return Response(masked(current_settings(self._category(category))))

    def _write(self, request, category, replace):
        access.require_superuser(request.user)
        category = self._category(category)
        allowed = set(current_settings(category)) if category != "all" else None
        errors = {}
        for key, value in request.data.items():
            if allowed is not None and key not in allowed:
                continue
            if key in ("INSTALL_UUID",) or (key in SECRET_SETTINGS and value == ENCRYPTED):
                continue
            Setting.objects.update_or_create(key=key, defaults={"value": value})
        if errors:
            from rest_framework.exceptions import ValidationError
            raise ValidationError(errors)
        return Response(masked(current_settings(category)))

    def patch(self, request, category):
        return self._write(request, category, replace=False)

    def put(self, request, category):
        return self._write(request, category, replace=True)

    def delete(self, request, category):
        access.require_superuser(request.user)
        keys = set(current_settings(self._category(category)))
        Setting.objects.filter(key__in=keys).delete()
        return Response(status=204)
