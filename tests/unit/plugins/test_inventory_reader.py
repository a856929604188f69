"""Reading a whole AWX inventory (script and page-based ways) against a fake client."""
import pytest

from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    ConfigurationError, NotFound, ResourceError, ValidationError)
from ansible_collections.gitops.awx.plugins.plugin_utils._inventory_reader import (
    parse_variables,
    read_inventory,
    resolve_inventory,
)

INVENTORY = {"id": 7, "name": "prod", "organization": 1, "kind": "", "variables": "env: prod"}

# What AWX's inventories/7/script/?hostvars=1 answers for: web1, web2 in "web";
# db1 in "db"; "web" and "db" children of "eu"; lonely ungrouped; off disabled in "web".
SCRIPT_ENABLED = {
    "all": {"hosts": ["lonely"], "children": ["db", "empty", "eu", "web"], "vars": {"env": "prod"}},
    "web": {"hosts": ["web1", "web2"], "vars": {"http_port": 80}},
    "db": {"hosts": ["db1"]},
    "eu": {"children": ["db", "web"], "vars": {"region": "eu"}},
    "_meta": {"hostvars": {"web1": {"ansible_host": "10.0.0.1"}, "web2": {}, "db1": {"role": "db"}, "lonely": {}}},
}


def _group_ref(group_id, name):
    return {"id": group_id, "name": name}


def _host(host_id, name, variables="", enabled=True, groups=None, summary=True):
    host = {"id": host_id, "name": name, "variables": variables, "enabled": enabled, "summary_fields": {}}
    if summary:
        groups = groups or []
        host["summary_fields"]["groups"] = {"count": len(groups), "results": groups}
    return host


WEB, DB, EU, EMPTY = _group_ref(11, "web"), _group_ref(12, "db"), _group_ref(13, "eu"), _group_ref(14, "empty")
HOSTS = [
    _host(1, "db1", "role: db", groups=[DB]),
    _host(2, "lonely"),
    _host(3, "off", enabled=False, groups=[WEB]),
    _host(4, "web1", '{"ansible_host": "10.0.0.1"}', groups=[WEB]),
    _host(5, "web2", groups=[WEB]),
]
GROUPS = [
    {"id": 11, "name": "web", "variables": "http_port: 80"},
    {"id": 12, "name": "db", "variables": ""},
    {"id": 13, "name": "eu", "variables": '{"region": "eu"}'},
    {"id": 14, "name": "empty", "variables": ""},
]


def _filtered_hosts(hosts):
    def answer(params):
        if params.get("enabled") == "true":
            return [h for h in hosts if h["enabled"]]
        return hosts
    return answer


def _groups_answer(params):
    if params.get("children__isnull") == "false":
        return [GROUPS[2]]
    return GROUPS


def pages_client(fake_client, hosts=None, **extra_lists):
    hosts = HOSTS if hosts is None else hosts
    lists = {
        "inventories/": [dict(INVENTORY, summary_fields={"organization": {"name": "Default"}})],
        "inventories/7/hosts/": _filtered_hosts(hosts),
        "inventories/7/groups/": _groups_answer,
        "groups/13/children/": [GROUPS[1], GROUPS[0]],
    }
    lists.update(extra_lists)
    return fake_client(lists=lists, details={"inventories/7/": INVENTORY},
                       errors={"inventories/7/script/": (404, {"detail": "Not found."})})


EXPECTED_GROUPS = {
    "web": {"vars": {"http_port": 80}, "hosts": ["web1", "web2"], "children": []},
    "db": {"vars": {}, "hosts": ["db1"], "children": []},
    "eu": {"vars": {"region": "eu"}, "hosts": [], "children": ["db", "web"]},
    "empty": {"vars": {}, "hosts": [], "children": []},
}


def _shape(data):
    hosts = dict((name, host["vars"]) for name, host in data["hosts"].items())
    groups = dict((name, {"vars": g["vars"], "hosts": sorted(g["hosts"]), "children": sorted(g["children"])})
                  for name, g in data["groups"].items())
    return data["vars"], hosts, groups


def test_script_read_is_two_requests(fake_client):
    client = fake_client(lists={"inventories/": [INVENTORY]},
                         details={"inventories/7/script/": SCRIPT_ENABLED})
    data = read_inventory(client, "prod", organization="Default")
    assert data["source"] == "script"
    inv_vars, hosts, groups = _shape(data)
    assert inv_vars == {"env": "prod"}
    assert hosts == {"web1": {"ansible_host": "10.0.0.1"}, "web2": {}, "db1": {"role": "db"}, "lonely": {}}
    assert groups == EXPECTED_GROUPS
    assert client.requests == [
        ("inventories/", {"name": "prod", "organization__name": "Default", "page_size": "200"}),
        ("inventories/7/script/", {"hostvars": "1"}),
    ]


def test_script_asks_for_disabled_hosts_and_awx_vars_when_told(fake_client):
    script = {"all": {"hosts": ["off"]},
              "_meta": {"hostvars": {"off": {"a": 1, "remote_tower_enabled": "false", "remote_tower_id": 3}}}}
    client = fake_client(details={"inventories/7/": INVENTORY, "inventories/7/script/": script})
    data = read_inventory(client, 7, only_enabled=False, awx_vars=True)
    assert client.requests[-1] == ("inventories/7/script/", {"hostvars": "1", "all": "1", "towervars": "1"})
    assert data["hosts"]["off"] == {"vars": {"a": 1}, "id": 3, "enabled": False}


def test_script_keeps_user_variables_named_like_towervars_without_awx_vars(fake_client):
    script = {"all": {"hosts": ["h"]}, "_meta": {"hostvars": {"h": {"remote_tower_id": "mine"}}}}
    client = fake_client(details={"inventories/7/": INVENTORY, "inventories/7/script/": script})
    assert read_inventory(client, "7")["hosts"]["h"]["vars"] == {"remote_tower_id": "mine"}


def test_pages_read_matches_the_script_read(fake_client):
    client = pages_client(fake_client)
    data = read_inventory(client, "prod", read_method="pages")
    assert data["source"] == "pages"
    inv_vars, hosts, groups = _shape(data)
    assert inv_vars == {"env": "prod"}
    assert hosts == {"web1": {"ansible_host": "10.0.0.1"}, "web2": {}, "db1": {"role": "db"}, "lonely": {}}
    assert groups == EXPECTED_GROUPS
    paths = [path for path, _params in client.requests]
    # resolve, hosts, groups, groups with children, children of eu: nothing per host or per leaf group
    assert paths == ["inventories/", "inventories/7/hosts/", "inventories/7/groups/",
                     "inventories/7/groups/", "groups/13/children/"]
    assert client.requests[1][1] == {"page_size": "200", "enabled": "true"}


def test_pages_include_disabled_hosts_when_only_enabled_is_false(fake_client):
    data = read_inventory(pages_client(fake_client), "prod", only_enabled=False, read_method="pages")
    assert "off" in data["hosts"] and data["hosts"]["off"]["enabled"] is False
    assert sorted(data["groups"]["web"]["hosts"]) == ["off", "web1", "web2"]


def test_auto_falls_back_to_pages_when_the_script_endpoint_is_missing(fake_client):
    client = pages_client(fake_client)
    data = read_inventory(client, "prod")
    assert data["source"] == "pages"
    assert _shape(data)[2] == EXPECTED_GROUPS


def test_script_method_does_not_fall_back(fake_client):
    with pytest.raises(NotFound):
        read_inventory(pages_client(fake_client), "prod", read_method="script")


def test_cut_summaries_are_completed_per_host_when_few(fake_client):
    # AWX lists at most 5 groups in summary_fields; a host in more is read on its own.
    cut = _host(4, "web1", groups=[WEB])
    cut["summary_fields"]["groups"]["count"] = 6
    hosts = [HOSTS[0], HOSTS[1], cut, HOSTS[4]]
    client = pages_client(fake_client, hosts=hosts, **{"hosts/4/groups/": [GROUPS[0], GROUPS[3]]})
    data = read_inventory(client, "prod", read_method="pages")
    assert data["groups"]["empty"]["hosts"] == ["web1"]
    assert sorted(data["groups"]["web"]["hosts"]) == ["web1", "web2"]
    assert ("hosts/4/groups/", {"page_size": "200"}) in client.requests


def test_missing_summaries_are_read_per_group_when_cheaper(fake_client):
    hosts = [_host(h["id"], h["name"], h["variables"], h["enabled"], summary=False) for h in HOSTS]
    members = {"11": [HOSTS[2], HOSTS[3], HOSTS[4]], "12": [HOSTS[0]], "13": [], "14": []}
    lists = dict(("groups/%s/hosts/" % gid, value) for gid, value in members.items())
    client = pages_client(fake_client, hosts=hosts, **lists)
    # 5 hosts without summaries, 4 groups: reading 4 groups' hosts is cheaper than 5 hosts' groups.
    data = read_inventory(client, "prod", read_method="pages", only_enabled=False)
    expected = dict(EXPECTED_GROUPS, web=dict(EXPECTED_GROUPS["web"], hosts=["off", "web1", "web2"]))
    assert _shape(data)[2] == expected
    assert not any(path.startswith("hosts/") for path, _params in client.requests)
    assert sum(path.startswith("groups/") and path.endswith("/hosts/") for path, _params in client.requests) == 4


def test_servers_without_the_children_filter_are_asked_per_group(fake_client):
    client = pages_client(fake_client, **{
        "groups/11/children/": [], "groups/12/children/": [], "groups/14/children/": []})

    def groups_without_children_filter(params):
        if "children__isnull" in params:
            raise ValidationError("GET", "/api/v2/inventories/7/groups/", 400,
                                  {"error": "Group has no field named 'children'"})
        return GROUPS

    client.lists["inventories/7/groups/"] = groups_without_children_filter
    data = read_inventory(client, "prod", read_method="pages")
    assert _shape(data)[2] == EXPECTED_GROUPS


def test_resolve_by_id_named_url_and_name(fake_client):
    client = fake_client(details={"inventories/7/": INVENTORY, "inventories/prod++Default/": INVENTORY},
                         lists={"inventories/": [INVENTORY]})
    assert resolve_inventory(client, "7")["id"] == 7
    assert resolve_inventory(client, 7)["id"] == 7
    assert resolve_inventory(client, "prod++Default")["id"] == 7
    assert resolve_inventory(client, "prod", organization=1)["id"] == 7
    assert client.requests[-1] == ("inventories/", {"name": "prod", "organization": "1", "page_size": "200"})


def test_resolve_fails_clearly(fake_client):
    client = fake_client(lists={"inventories/": []})
    with pytest.raises(ResourceError, match="inventory 'prod' in organization 'X' does not exist"):
        resolve_inventory(client, "prod", "X")
    with pytest.raises(ResourceError, match="inventory id 9 does not exist"):
        resolve_inventory(client, "9")
    with pytest.raises(ConfigurationError):
        resolve_inventory(client, None)


def test_ambiguous_name_lists_the_candidates(fake_client):
    twins = [dict(INVENTORY, summary_fields={"organization": {"name": "A"}}),
             dict(INVENTORY, id=8, organization=2, summary_fields={"organization": {"name": "B"}})]
    with pytest.raises(ResourceError) as caught:
        resolve_inventory(fake_client(lists={"inventories/": twins}), "prod")
    assert "ambiguous" in str(caught.value)
    assert "prod (id 7, organization A), prod (id 8, organization B)" in str(caught.value)


@pytest.mark.parametrize("text, expected", [
    ("", {}), (None, {}), ("---\n", {}), ('{"a": 1}', {"a": 1}), ("a: [x, y]", {"a": ["x", "y"]}),
    ({"a": 1}, {"a": 1}),
])
def test_parse_variables(text, expected):
    assert parse_variables(text, "host h") == expected


@pytest.mark.parametrize("text", ["[1, 2]", "a: [x", "just text"])
def test_parse_variables_rejects_what_is_not_a_mapping(text):
    with pytest.raises(ResourceError, match="host h"):
        parse_variables(text, "host h")


def test_unknown_read_method(fake_client):
    with pytest.raises(ConfigurationError, match="read_method"):
        read_inventory(fake_client(), "prod", read_method="magic")
