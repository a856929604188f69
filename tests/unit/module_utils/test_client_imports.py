"""The client layer imports without `requests` (modules then fail with missing_required_lib)
and without AnsibleModule: it is usable from plugins and from plain Python."""
import os
import subprocess
import sys
import textwrap

from tests.conftest import COLLECTIONS_PATH, REPO_ROOT

MODULES = ["_client", "_transport", "_auth", "_retry", "_options"]


def run(code):
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                          env={"PYTHONPATH": COLLECTIONS_PATH}, check=False)


def test_importable_without_requests():
    result = run("""
        import sys
        sys.modules["requests"] = None      # import requests -> ImportError
        sys.modules["urllib3"] = None
        from ansible_collections.gitops.awx.plugins.module_utils import %s
        from ansible_collections.gitops.awx.plugins.module_utils._transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR
        from ansible_collections.gitops.awx.plugins.module_utils._client import Client
        from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options
        from ansible_collections.gitops.awx.plugins.module_utils._errors import ConfigurationError
        assert HAS_REQUESTS is False and "requests" in REQUESTS_IMPORT_ERROR
        try:
            Client(settings_from_options({"controller_host": "h"}))
        except ConfigurationError as exc:
            print("refused:", exc)
    """ % ", ".join(MODULES))
    assert result.returncode == 0, result.stderr
    assert "refused: the Python library 'requests' is required" in result.stdout


def test_no_ansible_module_in_the_client_layer():
    # env_fallback comes from ansible.module_utils.basic, which is fine; using AnsibleModule,
    # exit_json or fail_json here is not (the module adapter is the one error boundary).
    for name in MODULES:
        with open(os.path.join(REPO_ROOT, "plugins", "module_utils", name + ".py")) as handle:
            source = handle.read()
        for word in ("AnsibleModule", "exit_json", "fail_json", "os.environ"):
            assert word not in source, (name, word)
