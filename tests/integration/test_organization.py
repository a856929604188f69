"""gitops.awx.organization against the local AWX API server (real ansible-playbook runs)."""
import uuid

import pytest
import yaml

from ansible_collections.gitops.awx.plugins.modules import organization

pytestmark = pytest.mark.integration


def test_organization_playbook(run_playbook, awx_server):
    prefix = "itorg-%s" % uuid.uuid4().hex[:6]
    run = run_playbook("organization.yml", extravars={"prefix": prefix})
    assert run.rc == 0, run.stdout[-4000:]
    assert run.failures == 0
    created = run.result("Create (apply)")
    assert created["changed"] and created["organization"]["name"] == prefix + "-org"
    assert run.result("Wrong password")["failed"]
    assert run.result("Unknown default environment")["failed"]
    # The playbook deleted what it made, and the failed tasks made nothing.
    listing = awx_server.api("GET", "organizations/", params={"name__startswith": prefix}).json()
    assert listing["count"] == 0


def _first(awx_server, endpoint, name):
    found = awx_server.api("GET", endpoint, params={"name": name}).json()
    return found["results"][0] if found.get("count") else None


def test_associations_converge(run_playbook, awx_server):
    name = "itassoc-%s" % uuid.uuid4().hex[:6]
    task = {"name": "org with instance groups", "diff": True, "gitops.awx.organization": {
        "name": name, "instance_groups": ["default", "controlplane"]}}
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
    try:
        first = run_playbook(play)
        assert first.rc == 0, first.stdout[-4000:]
        result = first.result("org with instance groups")
        assert result["changed"]
        # A preference list: the order given is kept and shown.
        assert result["diff"]["after"]["instance_groups"] == ["default", "controlplane"]
        second = run_playbook(play)
        assert second.rc == 0 and second.changed == 0, second.stdout[-4000:]
        org = _first(awx_server, "organizations/", name)
        path = "organizations/%d/instance_groups/" % org["id"]
        # Reordering is a change: check mode predicts it and writes nothing, then it is applied.
        task["gitops.awx.organization"]["instance_groups"] = ["controlplane", "default"]
        check = run_playbook(play, check=True)
        assert check.result("org with instance groups")["changed"]
        assert [m["name"] for m in awx_server.api("GET", path).json()["results"]] == [
            "default", "controlplane"]
        reorder = run_playbook(play)
        result = reorder.result("org with instance groups")
        assert result["changed"] and result["changed_fields"] == ["instance_groups"]
        assert result["diff"] == {"before": {"name": name, "instance_groups": ["default", "controlplane"]},
                                  "after": {"name": name, "instance_groups": ["controlplane", "default"]}}
        assert [m["name"] for m in awx_server.api("GET", path).json()["results"]] == [
            "controlplane", "default"]
        assert run_playbook(play).changed == 0
        task["gitops.awx.organization"]["instance_groups"] = ["default"]
        third = run_playbook(play)
        assert third.result("org with instance groups")["diff"]["after"]["instance_groups"] == ["default"]
        assert [m["name"] for m in awx_server.api("GET", path).json()["results"]] == ["default"]
    finally:
        org = _first(awx_server, "organizations/", name)
        if org is not None:
            awx_server.api("DELETE", "organizations/%d/" % org["id"])


def test_examples_run(run_playbook, awx_server):
    """The EXAMPLES of the module, as documented, run against the server."""
    if _first(awx_server, "instance_groups/", "default") is None:
        pytest.skip("the server has no 'default' instance group")
    made_galaxy = None
    if _first(awx_server, "credentials/", "Ansible Galaxy") is None:
        # AWX creates this credential (in no organization) at install; a server without it gets
        # one owned by the admin user: AWX refuses a credential with no organization, user or team.
        galaxy_type = awx_server.api("GET", "credential_types/",
                                     params={"kind": "galaxy"}).json()["results"][0]
        me = awx_server.api("GET", "me/").json()["results"][0]
        answer = awx_server.api("POST", "credentials/", json={
            "name": "Ansible Galaxy", "credential_type": galaxy_type["id"], "user": me["id"],
            "inputs": {"url": "https://galaxy.ansible.com/"}})
        assert answer.status_code == 201, answer.text
        made_galaxy = answer.json()["id"]
    # The notification example names a template of the team's; make one (in a
    # helper organization: the examples create and delete "Platform" themselves).
    helper = awx_server.api("POST", "organizations/", json={
        "name": "itexamples-%s" % uuid.uuid4().hex[:6]}).json()
    slack = _make_notification_template(awx_server, "Platform Slack", helper["id"])
    play = [{"name": "organization examples", "hosts": "localhost", "gather_facts": False,
             "tasks": yaml.safe_load(organization.EXAMPLES)}]
    try:
        run = run_playbook(play)
        assert run.rc == 0, run.stdout[-4000:]
        assert run.changed == len(play[0]["tasks"])
        renamed = _first(awx_server, "organizations/", "Platform Engineering")
        assert renamed is not None and renamed["max_hosts"] == 500
        assert _first(awx_server, "organizations/", "Sandbox") is None
    finally:
        for name in ("Platform", "Platform Engineering", "Sandbox"):
            obj = _first(awx_server, "organizations/", name)
            if obj is not None:
                awx_server.api("DELETE", "organizations/%d/" % obj["id"])
        if made_galaxy is not None:
            awx_server.api("DELETE", "credentials/%d/" % made_galaxy)
        awx_server.api("DELETE", "notification_templates/%d/" % slack)
        awx_server.api("DELETE", "organizations/%d/" % helper["id"])


def _make_notification_template(awx_server, name, organization_id):
    answer = awx_server.api("POST", "notification_templates/", json={
        "name": name, "organization": organization_id, "notification_type": "webhook",
        "notification_configuration": {"url": "https://hooks.example.com/awx", "headers": {},
                                       "http_method": "POST"}})
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


@pytest.fixture
def token_env(awx_server):
    """Connection through a personal token, so that request counts hold no token traffic."""
    answer = awx_server.api("POST", "tokens/", json={"scope": "write", "description": "it org"})
    assert answer.status_code == 201, answer.text
    token = answer.json()
    yield {"CONTROLLER_OAUTH_TOKEN": token["token"], "CONTROLLER_USERNAME": "",
           "CONTROLLER_PASSWORD": ""}
    awx_server.api("DELETE", "tokens/%d/" % token["id"])


def test_notification_templates_four_steps(run_playbook, awx_server, token_env):
    name = "itnotify-%s" % uuid.uuid4().hex[:6]
    other = awx_server.api("POST", "organizations/", json={"name": name + "-other"}).json()
    org = awx_server.api("POST", "organizations/", json={"name": name}).json()
    made = []
    try:
        # "hook" exists in both organizations: the one of the organization managed is meant.
        made.append(_make_notification_template(awx_server, "hook", org["id"]))
        made.append(_make_notification_template(awx_server, "hook", other["id"]))
        made.append(_make_notification_template(awx_server, name + "-mail", org["id"]))
        options = {"name": name,
                   "notification_templates_started": ["hook"],
                   "notification_templates_success": [],
                   "notification_templates_error": ["hook", name + "-mail"],
                   "notification_templates_approvals": [made[2]]}
        task = {"name": "notifications", "diff": True, "gitops.awx.organization": options}
        play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
        reads = {"GET /api/v2/organizations/": 1, "GET /api/v2/notification_templates/": 2}
        for kind in ("started", "success", "error", "approvals"):
            reads["GET /api/v2/organizations/%d/notification_templates_%s/" % (org["id"], kind)] = 1

        awx_server.reset_counts()
        check = run_playbook(play, check=True, env=token_env)
        assert check.rc == 0, check.stdout[-4000:]
        predicted = check.result("notifications")
        assert predicted["changed"]
        assert predicted["diff"]["after"]["notification_templates_error"] == sorted(
            ["hook", name + "-mail"])
        if awx_server.is_simulator:
            # find, one name__in and one id__in lookup for all four lists, four member lists
            assert awx_server.request_counts()["by_path"] == reads

        awx_server.reset_counts()
        apply = run_playbook(play, env=token_env)
        assert apply.rc == 0, apply.stdout[-4000:]
        assert apply.result("notifications")["diff"] == predicted["diff"]
        if awx_server.is_simulator:
            writes = {}
            for kind, count in (("started", 1), ("error", 2), ("approvals", 1)):
                writes["POST /api/v2/organizations/%d/notification_templates_%s/"
                       % (org["id"], kind)] = count
            assert awx_server.request_counts()["by_path"] == dict(reads, **writes)
        members = awx_server.api(
            "GET", "organizations/%d/notification_templates_error/" % org["id"]).json()["results"]
        assert sorted(m["id"] for m in members) == sorted([made[0], made[2]])
        started = awx_server.api(
            "GET", "organizations/%d/notification_templates_started/" % org["id"]).json()["results"]
        assert [m["id"] for m in started] == [made[0]]

        assert not run_playbook(play, check=True, env=token_env).result("notifications")["changed"]
        assert run_playbook(play, env=token_env).changed == 0
        options["notification_templates_error"] = []
        cleared = run_playbook(play, env=token_env).result("notifications")
        assert cleared["changed"] and cleared["changed_fields"] == ["notification_templates_error"]
        assert awx_server.api("GET", "organizations/%d/notification_templates_error/"
                              % org["id"]).json()["count"] == 0
    finally:
        for nt_id in made:
            awx_server.api("DELETE", "notification_templates/%d/" % nt_id)
        for obj in (org, other):
            awx_server.api("DELETE", "organizations/%d/" % obj["id"])


def test_controller_config_file(run_playbook, awx_server, tmp_path):
    """Connection settings from a tower-cli config file; the environment still wins over it."""
    name = "itcfg-%s" % uuid.uuid4().hex[:6]
    config = tmp_path / "tower_cli.cfg"
    config.write_text("[general]\nhost = %s\nusername = %s\npassword = %s\nverify_ssl = false\n"
                      % (awx_server.url, awx_server.username, awx_server.password))
    blank = {"CONTROLLER_HOST": "", "CONTROLLER_USERNAME": "", "CONTROLLER_PASSWORD": ""}
    task = {"name": "from the file", "gitops.awx.organization": {
        "name": name, "controller_config_file": str(config)}}
    play = [{"hosts": "localhost", "gather_facts": False, "tasks": [task]}]
    try:
        run = run_playbook(play, env=blank)
        assert run.rc == 0, run.stdout[-4000:]
        assert run.result("from the file")["changed"]
        assert awx_server.password not in run.stdout
        # Credentials in the environment beat the file's (which are then not used at all).
        wrong = run_playbook(play, env=dict(blank, CONTROLLER_USERNAME=awx_server.username,
                                            CONTROLLER_PASSWORD="wrong-password"))
        result = wrong.result("from the file")
        assert result["failed"] and result["status"] == 401, result
        half = run_playbook(play, env=dict(blank, CONTROLLER_PASSWORD="wrong-password"))
        assert half.result("from the file")["msg"].startswith(
            "controller_username is required when controller_password is set")
        # The file named by CONTROLLER_CONFIG_FILE, no option in the task.
        task["gitops.awx.organization"] = {"name": name, "state": "absent"}
        gone = run_playbook(play, env=dict(blank, CONTROLLER_CONFIG_FILE=str(config)))
        assert gone.rc == 0 and gone.result("from the file")["changed"], gone.stdout[-4000:]
        bad = tmp_path / "bad.cfg"
        bad.write_text("[general]\npassword\n%s\n[" % awx_server.password)
        task["gitops.awx.organization"] = {"name": name, "controller_config_file": str(bad)}
        broken = run_playbook(play, env=blank)
        message = broken.result("from the file")["msg"]
        assert message.startswith("controller_config_file %s: " % bad)
        assert awx_server.password not in broken.stdout
    finally:
        org = _first(awx_server, "organizations/", name)
        if org is not None:
            awx_server.api("DELETE", "organizations/%d/" % org["id"])
