"""Programmatic Django configuration and database bootstrap (no project scaffolding)."""
import os
import threading
from urllib.parse import unquote, urlparse

# A process-wide lock that serialises database work when SQLite cannot do it for us
# (the shared-cache in-memory database answers "table is locked" instead of waiting).
DB_LOCK = threading.RLock()

STATE = {"projects_root": None, "memory": False}


def database_settings(db):
    """Django DATABASES['default'] for a file path, ':memory:' or a postgres:// URL."""
    if db and db.startswith(("postgres://", "postgresql://")):
        url = urlparse(db)
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(url.path.lstrip("/")) or "awx",
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "localhost",
            "PORT": str(url.port or 5432),
            "CONN_MAX_AGE": None,
        }
    if not db or db == ":memory:":
        STATE["memory"] = True
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": "file:awxsim_%d?mode=memory&cache=shared" % os.getpid(),
            "OPTIONS": {"uri": True},
            "CONN_MAX_AGE": None,
            "TEST": {"NAME": "file:awxsim_test?mode=memory&cache=shared"},
        }
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.abspath(db),
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        "CONN_MAX_AGE": None,
    }


def configure(db=":memory:", projects_root=None):
    """Configure Django for the simulator; safe to call once per process."""
    from django.conf import settings
    if settings.configured:
        return
    STATE["projects_root"] = os.path.abspath(projects_root or os.path.join(os.getcwd(), "projects"))
    settings.configure(
        DEBUG=False,
        SECRET_KEY="awxsim-not-secret",
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=["awxsim"],
        DATABASES={"default": database_settings(db)},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        ROOT_URLCONF="awxsim.api.urls",
        MIDDLEWARE=[],
        USE_TZ=True,
        TIME_ZONE="UTC",
        APPEND_SLASH=False,
        LOGGING_CONFIG=None,
        DATA_UPLOAD_MAX_MEMORY_SIZE=None,
        DATA_UPLOAD_MAX_NUMBER_FIELDS=None,
        REST_FRAMEWORK={
            "UNAUTHENTICATED_USER": None,
            "DEFAULT_AUTHENTICATION_CLASSES": ["awxsim.api.auth.TokenAuthentication",
                                               "awxsim.api.auth.BasicAuthentication"],
            "DEFAULT_PERMISSION_CLASSES": ["awxsim.api.auth.IsAuthenticatedWithScope"],
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_PARSER_CLASSES": ["awxsim.api.protocol.ObjectJSONParser"],
            "EXCEPTION_HANDLER": "awxsim.api.protocol.exception_handler",
            "DEFAULT_CONTENT_NEGOTIATION_CLASS": "awxsim.api.protocol.Negotiation",
            "UNICODE_JSON": True,
            "COMPACT_JSON": False,
        },
    )
    import django
    django.setup()


def create_schema():
    """Create every table straight from the models (faster than running migrations)."""
    from django.apps import apps
    from django.db import connection
    existing = set(connection.introspection.table_names())
    models = list(apps.get_app_config("awxsim").get_models())
    with connection.schema_editor() as editor:
        for model in models:
            if model._meta.db_table not in existing:
                editor.create_model(model)
                existing.add(model._meta.db_table)
        # auto-created M2M tables are created with their model by create_model


def projects_root():
    return STATE["projects_root"]
