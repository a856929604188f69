"""The gitops.awx.awx inventory plugin against the local AWX API server:
``ansible-inventory --list`` / ``--graph`` as a subprocess, compared with what was declared."""
import json
import os
import subprocess
import sys
import uuid

import pytest
import yaml

from tests.conftest import COLLECTIONS_PATH

pytestmark = pytest.mark.integration

BIN = os.path.dirname(sys.executable)


def plain(data):
    """``ansible-inventory --export`` marks strings that are not templates (our default)
    as ``{"__ansible_unsafe": value}``; compare the values."""
    if isinstance(data, dict):
        if set(data) == {"__ansible_unsafe"}:
            return data["__ansible_unsafe"]
        return dict((key, plain(value)) for key, value in data.items())
    if isinstance(data, list):
        return [plain(value) for value in data]
    return data


def _created(response):
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.text else None


@pytest.fixture(scope="module")
def declared(awx_server):
    """hosts web1, web2, off (disabled) in web; db1 in db; lonely in no group;
    eu has children web and db; empty has nothing; variables on all levels."""
    prefix = "invp-%s" % uuid.uuid4().hex[:6]
    org = _created(awx_server.api("POST", "organizations/", json={"name": prefix + "-org"}))
    inv = _created(awx_server.api("POST", "inventories/", json={
        "name": prefix + "-inv", "organization": org["id"], "variables": json.dumps({"env": "staging"})}))
    hosts = {}
    for name, variables, enabled in [
            ("web1", '{"ansible_host": "10.0.0.1", "tier": "front"}', True),
            ("web2", "tier: front", True),
            ("db1", "role: db\ntier: back", True),
            ("lonely", "", True),
            ("off", "tier: front", False)]:
        hosts[name] = _created(awx_server.api("POST", "hosts/", json={
            "name": name, "inventory": inv["id"], "variables": variables, "enabled": enabled}))["id"]
    groups = {}
    for name, variables in [("web", "http_port: 80"), ("db", ""), ("eu", '{"region": "eu"}'), ("empty", "")]:
        groups[name] = _created(awx_server.api("POST", "groups/", json={
            "name": name, "inventory": inv["id"], "variables": variables}))["id"]
    for group, members in [("web", ["web1", "web2", "off"]), ("db", ["db1"])]:
        for host in members:
            _created(awx_server.api("POST", "groups/%d/hosts/" % groups[group], json={"id": hosts[host]}))
    for child in ("web", "db"):
        _created(awx_server.api("POST", "groups/%d/children/" % groups["eu"], json={"id": groups[child]}))
    yield {"organization": org["name"], "inventory": inv["name"], "inventory_id": inv["id"], "host_ids": hosts}
    awx_server.api("DELETE", "inventories/%d/" % inv["id"])
    awx_server.api("DELETE", "organizations/%d/" % org["id"])


@pytest.fixture
def ansible_inventory(awx_server, tmp_path):
    def run(config, *args):
        path = tmp_path / ("%s.awx.yml" % uuid.uuid4().hex[:6])
        path.write_text(yaml.safe_dump(dict({"plugin": "gitops.awx.awx"}, **config)))
        env = dict(os.environ)
        env.update(awx_server.env())
        env.update({"ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH, "ANSIBLE_NOCOLOR": "true",
                    "ANSIBLE_INVENTORY_UNPARSED_FAILED": "true",
                    "PATH": BIN + os.pathsep + env.get("PATH", "")})
        proc = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(path)] + list(args),
                              env=env, capture_output=True, text=True, timeout=120, check=False)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return proc.stdout

    return run


def test_list_matches_what_was_declared(awx_server, declared, ansible_inventory):
    script_status = awx_server.api("GET", "inventories/%d/script/" % declared["inventory_id"]).status_code
    if awx_server.is_simulator:
        awx_server.reset_counts()
    exported = json.loads(ansible_inventory({"inventory": declared["inventory"],
                                             "organization": declared["organization"]}, "--list", "--export"))
    assert exported["all"]["vars"] == {"env": {"__ansible_unsafe": "staging"}}  # data, not a template
    out = plain(exported)
    assert out["all"]["vars"] == {"env": "staging"}
    assert sorted(out["all"]["children"]) == ["empty", "eu", "ungrouped"]
    assert sorted(out["eu"]["children"]) == ["db", "web"] and out["eu"]["vars"] == {"region": "eu"}
    assert sorted(out["web"]["hosts"]) == ["web1", "web2"] and out["web"]["vars"] == {"http_port": 80}
    assert out["db"]["hosts"] == ["db1"] and "vars" not in out["db"]
    assert out["ungrouped"]["hosts"] == ["lonely"]
    assert out["_meta"]["hostvars"] == {
        "web1": {"ansible_host": "10.0.0.1", "tier": "front"}, "web2": {"tier": "front"},
        "db1": {"role": "db", "tier": "back"}}
    if not awx_server.is_simulator:
        return
    by_path = awx_server.request_counts()["by_path"]
    overhead = dict((k, v) for k, v in by_path.items() if k == "GET /api/" or "/tokens/" in k)
    reads = dict((k, v) for k, v in by_path.items() if k not in overhead)
    inv = "/api/v2/inventories/%d" % declared["inventory_id"]
    if script_status == 200:
        assert reads == {"GET /api/v2/inventories/": 1, "GET %s/script/" % inv: 1}
    else:
        # no script endpoint on this server: it answered 404 once, then pages
        assert reads == {"GET /api/v2/inventories/": 1, "GET %s/script/" % inv: 1, "GET %s/hosts/" % inv: 1,
                         "GET %s/groups/" % inv: 2, "GET /api/v2/groups/%d/children/" % _group_id(awx_server, declared, "eu"): 1}


def _group_id(awx_server, declared, name):
    return awx_server.api("GET", "groups/", params={"name": name, "inventory": declared["inventory_id"]}).json()["results"][0]["id"]


@pytest.mark.parametrize("read_method", ["pages", "auto"])
def test_disabled_hosts_awx_vars_and_constructed(declared, ansible_inventory, read_method):
    out = plain(json.loads(ansible_inventory({
        "inventory": "%s++%s" % (declared["inventory"], declared["organization"]),
        "read_method": read_method, "only_enabled": False, "awx_vars": True,
        "keyed_groups": [{"key": "tier", "prefix": "tier"}],
        "groups": {"disabled_in_awx": "not awx_host_enabled"},
        "compose": {"ansible_port": "2222"}}, "--list")))
    hostvars = out["_meta"]["hostvars"]
    assert sorted(hostvars) == ["db1", "lonely", "off", "web1", "web2"]
    assert hostvars["off"]["awx_host_enabled"] is False and hostvars["web1"]["awx_host_enabled"] is True
    assert hostvars["off"]["awx_host_id"] == declared["host_ids"]["off"]
    assert hostvars["web2"]["ansible_port"] == 2222
    assert out["disabled_in_awx"]["hosts"] == ["off"]
    assert sorted(out["tier_front"]["hosts"]) == ["off", "web1", "web2"] and out["tier_back"]["hosts"] == ["db1"]
    assert sorted(out["web"]["hosts"]) == ["off", "web1", "web2"]


def test_by_id_and_graph(declared, ansible_inventory):
    graph = ansible_inventory({"inventory": str(declared["inventory_id"])}, "--graph")
    assert graph.splitlines() == [
        "@all:",
        "  |--@ungrouped:",
        "  |  |--lonely",
        "  |--@empty:",
        "  |--@eu:",  # a group's children in the order they were added (web, then db), as AWX lists them
        "  |  |--@web:",
        "  |  |  |--web1",
        "  |  |  |--web2",
        "  |  |--@db:",
        "  |  |  |--db1",
    ]
