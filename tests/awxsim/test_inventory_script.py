"""``inventories/<id>/script/``: the inventory-script format AWX serves to inventory plugins."""
import json

import pytest
import requests

DENIED = {"detail": "You do not have permission to perform this action."}


@pytest.fixture(scope="module")
def layout(api):
    """web (vars) > {web-a, web-b}; web-a: h1, h2 (disabled); web-b: h3; empty; ghost (vars
    only); h4 in no group; h5 disabled and in no group. Variables as JSON and as YAML."""
    org = api.create("organizations/", name="script-org")
    inv = api.create("inventories/", name="script-inv", organization=org["id"],
                     variables="env: test\nlist: [1, 2]\n")
    hosts = {}
    for name, enabled, variables in (
            ("h1", True, json.dumps({"ansible_host": "10.0.0.1", "nested": {"a": [1, 2]}})),
            ("h2", False, "port: 22\n"),
            ("h3", True, ""),
            ("h4", True, '{"solo": true}'),
            ("h5", False, "")):
        hosts[name] = api.create("hosts/", name=name, inventory=inv["id"], enabled=enabled,
                                 variables=variables)
    groups = {}
    for name, variables in (("web", '{"tier": "front"}'), ("web-a", ""), ("web-b", "x: 1"),
                            ("empty", ""), ("ghost", "only: vars")):
        groups[name] = api.create("groups/", name=name, inventory=inv["id"], variables=variables)
    for group, host in (("web-a", "h1"), ("web-a", "h2"), ("web-b", "h3")):
        response = api.post("groups/%d/hosts/" % groups[group]["id"],
                            json={"id": hosts[host]["id"]})
        assert response.status_code == 204, response.text
    for child in ("web-a", "web-b"):
        response = api.post("groups/%d/children/" % groups["web"]["id"],
                            json={"id": groups[child]["id"]})
        assert response.status_code == 204, response.text
    return {"org": org, "inv": inv, "hosts": hosts, "groups": groups}


def script(api, layout, **params):
    response = api.get("inventories/%d/script/" % layout["inv"]["id"], params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_list_shape_without_parameters(api, layout):
    assert script(api, layout) == {
        "all": {"hosts": ["h4"], "children": ["empty", "ghost", "web", "web-a", "web-b"],
                "vars": {"env": "test", "list": [1, 2]}},
        "web": {"children": ["web-a", "web-b"], "vars": {"tier": "front"}},
        "web-a": {"hosts": ["h1"]},
        "web-b": {"hosts": ["h3"], "vars": {"x": 1}},
        "ghost": {"vars": {"only": "vars"}},
    }


def test_all_includes_disabled_hosts(api, layout):
    data = script(api, layout, all="1")
    assert data["all"]["hosts"] == ["h4", "h5"]
    assert data["web-a"] == {"hosts": ["h1", "h2"]}
    assert "_meta" not in data


def test_hostvars_fill_meta_with_variables_as_data(api, layout):
    data = script(api, layout, hostvars="1")
    assert data["_meta"]["hostvars"] == {
        "h1": {"ansible_host": "10.0.0.1", "nested": {"a": [1, 2]}},
        "h3": {}, "h4": {"solo": True}}
    everything = script(api, layout, hostvars="1", all="1")["_meta"]["hostvars"]
    assert everything["h2"] == {"port": 22} and everything["h5"] == {}


def test_towervars_add_enabled_state_and_id(api, layout):
    data = script(api, layout, hostvars="1", towervars="1", all="1")
    hosts = layout["hosts"]
    assert data["_meta"]["hostvars"]["h2"] == {
        "port": 22, "remote_tower_enabled": "false", "remote_tower_id": hosts["h2"]["id"]}
    assert data["_meta"]["hostvars"]["h3"] == {
        "remote_tower_enabled": "true", "remote_tower_id": hosts["h3"]["id"]}
    # towervars alone (no hostvars) adds nothing, as AWX.
    assert "_meta" not in script(api, layout, towervars="1")


def test_host_parameter_answers_that_hosts_variables(api, layout):
    assert script(api, layout, host="h1") == {"ansible_host": "10.0.0.1",
                                              "nested": {"a": [1, 2]}}
    assert script(api, layout, host="h3") == {}
    assert script(api, layout, host="h2", all="1") == {"port": 22}
    path = "inventories/%d/script/" % layout["inv"]["id"]
    for params in ({"host": "h2"}, {"host": "nope"}):
        response = api.get(path, params=params)
        assert response.status_code == 404
        assert response.json() == {"detail": "No Host matches the given query."}


def test_slices(api, layout):
    first = script(api, layout, subset="slice1of2", hostvars="1")
    second = script(api, layout, subset="slice2of2", hostvars="1")
    assert sorted(first["_meta"]["hostvars"]) == ["h1", "h4"]
    assert sorted(second["_meta"]["hostvars"]) == ["h3"]
    path = "inventories/%d/script/" % layout["inv"]["id"]
    for subset, message in (("slice3of2", "Slice number must be less than total number of slices."),
                            ("slice0of2", "Slice number must be 1 or higher."),
                            ("sliceXofY", "Could not parse subset as slice specification."),
                            ("half", "Subset does not use any supported syntax.")):
        response = api.get(path, params={"subset": subset})
        assert response.status_code == 400
        assert response.json() == {"detail": message}


def test_empty_inventory_and_named_url(api, layout):
    inv = api.create("inventories/", name="script-empty", organization=layout["org"]["id"])
    response = api.get("inventories/script-empty++script-org/script/", params={"hostvars": 1})
    assert response.status_code == 200
    assert response.json() == {"all": {"hosts": []}, "_meta": {"hostvars": {}}}
    assert api.get("inventories/%d/" % inv["id"]).json()["related"]["script"] == \
        "/api/v2/inventories/%d/script/" % inv["id"]


def test_unknown_inventory_and_access(api, layout, sim):
    response = api.get("inventories/99999/script/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No Inventory matches the given query."}
    user = api.create("users/", username="script-outsider", password="pw-outsider-1")
    response = requests.get(sim.url + "/api/v2/inventories/%d/script/" % layout["inv"]["id"],
                            auth=("script-outsider", "pw-outsider-1"), timeout=30)
    assert response.status_code == 403 and response.json() == DENIED
    assert user["id"]


def test_children_in_the_order_they_were_added_as_awx(api, layout):
    """AWX 24.6.1: the script lists a group's children in the order they were added (checked:
    zeta, alpha, mid come back so), while groups/<id>/children/ and the top level are by name."""
    inv = layout["inv"]["id"]
    parent = api.create("groups/", name="order-parent", inventory=inv)
    for name in ("order-zeta", "order-alpha", "order-mid"):
        child = api.create("groups/", name=name, inventory=inv, variables="x: 1")
        response = api.post("groups/%d/children/" % parent["id"], json={"id": child["id"]})
        assert response.status_code == 204, response.text
    try:
        data = script(api, layout)
        assert data["order-parent"]["children"] == ["order-zeta", "order-alpha", "order-mid"]
        sublist = api.get("groups/%d/children/" % parent["id"]).json()["results"]
        assert [group["name"] for group in sublist] == ["order-alpha", "order-mid", "order-zeta"]
        assert data["all"]["children"] == sorted(data["all"]["children"])
        top = [key for key in data if key not in ("all", "_meta")]
        assert top == sorted(top)
    finally:
        for group in api.get("groups/?inventory=%d&name__startswith=order-" % inv).json()["results"]:
            api.delete("groups/%d/" % group["id"])
