"""awxsim: a local AWX-compatible API server for tests, demos and CI (``python -m awxsim``)."""

AWX_VERSION = "24.6.1"
