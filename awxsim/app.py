"""Build the WSGI application (Django + our product headers) for a configured process."""
import os

from awxsim import config


def setup(db=":memory:", projects_root=None, admin_username="admin", admin_password="password",
          demo_data=True):
    """Configure Django, create the schema and first-start data; returns the WSGI app."""
    config.configure(db=db, projects_root=projects_root)
    os.makedirs(config.projects_root(), exist_ok=True)
    config.create_schema()
    from awxsim.bootstrap import seed
    seed(admin_username, admin_password, demo_data=demo_data)
    from django.core.handlers.wsgi import WSGIHandler
    from awxsim.server import product_headers
    app = product_headers(WSGIHandler())
    if config.STATE["memory"]:
        return _serialised(app)
    return app


def _serialised(app):
    """The shared-cache in-memory SQLite database cannot wait for locks: one request at a time."""

    def wrapped(environ, start_response):
        with config.DB_LOCK:
            return list(app(environ, start_response))

    return wrapped
