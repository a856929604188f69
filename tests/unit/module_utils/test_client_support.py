"""Shared helpers for the client tests (responses as the HTTP seam, a fake clock); no tests here."""
from ansible_collections.gitops.awx.plugins.module_utils._auth import DEFAULT_SWITCH_AFTER
from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options
from tests.unit.fake_clock import FakeClock

HOST = "https://awx.example.com"
API = HOST + "/api/v2/"
AWX_ROOT = {"available_versions": {"v2": "/api/v2/"}, "current_version": "/api/v2/",
            "description": "AWX REST API", "oauth2": "/api/o/"}
PASSWORD = "S3cret-Passw0rd!"
TOKEN = "tok-9f8e7d6c5b4a"


def make_client(clock=None, api_prefix="/api/v2/", switch_after=DEFAULT_SWITCH_AFTER, **options):
    """A client with injected clock/sleep and no jitter randomness (random() == 1);
    ``api_prefix=None`` leaves the API root to the client (guessed, then confirmed or discovered)."""
    clock = clock or FakeClock()
    options.setdefault("controller_host", HOST)
    options["api_prefix"] = api_prefix
    settings = settings_from_options(options)
    return Client(settings, sleep=clock.sleep, clock=clock, random=lambda: 1.0, switch_after=switch_after)


def page(results, next_link=None, count=None):
    return {"count": len(results) if count is None else count, "next": next_link,
            "previous": None, "results": results}
