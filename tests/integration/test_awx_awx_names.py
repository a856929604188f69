"""An awx.awx playbook with its prefix replaced runs unchanged: the `controller` action group for
module_defaults and the `controller_api` lookup are awx.awx's names, routed by meta/runtime.yml."""
import uuid

import pytest

pytestmark = pytest.mark.integration


def test_controller_group_and_controller_api_lookup(awx_server, run_playbook):
    name = "awxnames-%s" % uuid.uuid4().hex[:8]
    env = awx_server.env()
    play = [{
        "hosts": "localhost", "gather_facts": False,
        # Connection options only through the group, as awx.awx users write it.
        "module_defaults": {"group/gitops.awx.controller": {
            "controller_host": env["CONTROLLER_HOST"], "controller_username": env["CONTROLLER_USERNAME"],
            "controller_password": env["CONTROLLER_PASSWORD"], "validate_certs": False}},
        "tasks": [
            {"name": "organization", "gitops.awx.organization": {"name": name}},
            # Lookups take no module_defaults: awx.awx users pass the connection to them.
            {"name": "read back", "ansible.builtin.set_fact": {
                "found": "{{ query('gitops.awx.controller_api', 'organizations', query_params={'name': '%s'},"
                         " host='%s', username='%s', password='%s', verify_ssl=false) }}"
                         % (name, env["CONTROLLER_HOST"], env["CONTROLLER_USERNAME"], env["CONTROLLER_PASSWORD"])}},
        ],
    }]
    # Without the environment, only module_defaults can supply the connection.
    blank = dict((key, "") for key in env)
    run = run_playbook(play, env=blank)
    assert run.rc == 0, run.stdout[-3000:]
    assert run.result("organization")["changed"] is True
    found = run.result("read back")["ansible_facts"]["found"]
    assert [org["name"] for org in found] == [name]
    again = run_playbook(play, env=blank)
    assert again.rc == 0 and again.changed == 0, again.stdout[-3000:]
