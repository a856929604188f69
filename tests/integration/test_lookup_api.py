"""gitops.awx.api lookup against the local AWX API server (real ansible-playbook runs)."""
import json
import uuid

import pytest

pytestmark = pytest.mark.integration

HOSTS = 1000


def _created(response):
    assert response.status_code in (200, 201, 204), response.text
    return response.json() if response.text else None


@pytest.fixture(scope="module")
def big_inventory(awx_server):
    """An organization and an inventory with 1,000 hosts (bulk-created, 100 a request)."""
    prefix = "lk-%s" % uuid.uuid4().hex[:6]
    org = _created(awx_server.api("POST", "organizations/", json={"name": prefix + "-org"}))
    inv = _created(awx_server.api("POST", "inventories/", json={"name": prefix + "-inv", "organization": org["id"]}))
    for start in range(0, HOSTS, 100):
        hosts = [{"name": "lk-host-%04d" % i, "variables": json.dumps({"n": i})} for i in range(start, start + 100)]
        _created(awx_server.api("POST", "bulk/host_create/", json={"inventory": inv["id"], "hosts": hosts}))
    yield {"organization": org["name"], "inventory": inv["name"], "inventory_id": inv["id"]}
    awx_server.api("DELETE", "inventories/%d/" % inv["id"])
    awx_server.api("DELETE", "organizations/%d/" % org["id"])


def test_lookup_returns_all_1000_hosts_in_5_list_requests(run_playbook, awx_server, big_inventory):
    if awx_server.is_simulator:
        awx_server.reset_counts()
    run = run_playbook("lookup_all_hosts.yml", extravars={"inventory_name": big_inventory["inventory"]})
    assert run.rc == 0, run.stdout[-3000:]
    names = run.result("All hosts")["ansible_facts"]["found_names"]
    assert names == ["lk-host-%04d" % i for i in range(HOSTS)]
    if not awx_server.is_simulator:
        return
    by_path = awx_server.request_counts()["by_path"]
    # What was counted: every request the server saw during the playbook run.  The
    # lookup itself costs 5 (GET /api/v2/hosts/ pages of 200); the rest is the client's
    # API discovery (GET /api/) and its session token for username/password
    # (POST /api/v2/tokens/, DELETE /api/v2/tokens/<id>/).
    assert by_path.pop("GET /api/v2/hosts/") == 5
    overhead = dict((key, value) for key, value in by_path.items()
                    if key == "GET /api/" or "/tokens/" in key)
    assert by_path == overhead, "unexpected requests: %s" % sorted(set(by_path) - set(overhead))
    assert sum(overhead.values()) <= 3


def test_filters_named_url_and_guards(run_playbook, big_inventory):
    run = run_playbook("lookup_filters.yml", extravars={
        "inventory_name": big_inventory["inventory"], "organization_name": big_inventory["organization"],
        "host_a": "lk-host-0001", "host_b": "lk-host-0002"})
    assert run.result("Or filter")["ansible_facts"]["either"] == ["lk-host-0002", "lk-host-0001"]
    other_ids = run.result("Not filter and ids")["ansible_facts"]["other_ids"]
    assert len(other_ids) == 9 and all(isinstance(i, int) for i in other_ids)
    assert run.result("Named URL")["ansible_facts"]["inventory_object"] == {
        "id": big_inventory["inventory_id"], "name": big_inventory["inventory"]}
    one = run.result("Exactly one")["ansible_facts"]["one_host"]
    assert one["name"] == "lk-host-0001" and one["variables"] == '{"n": 1}'

    assert run.rc == 0, run.stdout[-3000:]

    def error(task, fact):
        return run.result(task + " error")["ansible_facts"][fact]

    query = "hosts/?inventory__name=%s&name=no-such-host" % big_inventory["inventory"]
    assert "expected exactly one object from %s, found 0" % query in error("Expect one on no match", "none_error")
    two = error("Expect one on two matches", "two_error")
    assert "found 2" in two and "or__name=lk-host-0001&or__name=lk-host-0002" in two
    assert "matches 1000 objects, more than max_objects=10" in error("Max objects guard", "too_many_error")
    bad = error("Server error text", "bad_field_error")
    assert "GET /api/v2/hosts/" in bad and "400" in bad and "nosuchfield" in bad


def test_lookup_rides_over_502_and_503_answers(run_playbook, awx_server, big_inventory):
    if not awx_server.is_simulator:
        pytest.skip("faults are injected by the local server")
    awx_server.set_faults(error_rate=0.4, statuses=[502, 503], seed=7, path_prefix="/api/v2/hosts/")
    try:
        awx_server.reset_counts()
        run = run_playbook("lookup_all_hosts.yml", extravars={"inventory_name": big_inventory["inventory"]})
        counts = awx_server.request_counts()
    finally:
        awx_server.clear_faults()
    assert run.rc == 0, run.stdout[-3000:]
    assert run.result("All hosts")["ansible_facts"]["found_names"] == ["lk-host-%04d" % i for i in range(HOSTS)]
    # the 5 pages were asked more than 5 times: some answers were faults, and were retried
    assert counts["by_path"]["GET /api/v2/hosts/"] > 5
