"""The real gitops.awx.awx inventory plugin, loaded by Ansible's inventory loader, with the
real client talking HTTP to ``responses``."""
import pytest
import yaml
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader

from conftest import HOST, TOKEN

INVENTORY = {"id": 7, "name": "prod", "organization": 1, "kind": "", "variables": "env: prod"}
SCRIPT = {
    "all": {"hosts": ["lonely"], "children": ["db", "empty", "eu", "web"], "vars": {"env": "prod"}},
    "web": {"hosts": ["web1", "web2"], "vars": {"http_port": 80}},
    "db": {"hosts": ["db1"]},
    "eu": {"children": ["db", "web"], "vars": {"region": "eu"}},
    "_meta": {"hostvars": {"web1": {"ansible_host": "10.0.0.1", "tier": "front"}, "web2": {"tier": "front"},
                           "db1": {"role": "db", "tier": "back"}, "lonely": {}}},
}
SCRIPT_ALL = dict(SCRIPT, _meta={"hostvars": dict(SCRIPT["_meta"]["hostvars"], off={"tier": "front"})},
                  web={"hosts": ["off", "web1", "web2"], "vars": {"http_port": 80}})
SCRIPT_ALL_TOWERVARS = {
    "all": {"hosts": ["on", "off"]},
    "_meta": {"hostvars": {"on": {"remote_tower_enabled": "true", "remote_tower_id": 1},
                           "off": {"remote_tower_enabled": "false", "remote_tower_id": 2}}},
}


def script_answer(params):
    if params.get("towervars") == "1":
        return SCRIPT_ALL_TOWERVARS
    return SCRIPT_ALL if params.get("all") == "1" else SCRIPT


@pytest.fixture
def build(plugin_loaders, tmp_path):
    inventory_loader = plugin_loaders[1]

    def run(config=None, name="prod.awx.yml", use_cache=False, **options):
        settings = {"plugin": "gitops.awx.awx", "inventory": "prod", "organization": "Default",
                    "controller_host": HOST, "controller_oauthtoken": TOKEN}
        settings.update(options)
        path = tmp_path / name
        path.write_text(config if config is not None else yaml.safe_dump(settings))
        plugin = inventory_loader.get("gitops.awx.awx")
        assert plugin.verify_file(str(path))
        inventory = InventoryData()
        plugin.parse(inventory, DataLoader(), str(path), cache=use_cache)
        if options.get("cache"):
            plugin.update_cache_if_changed()  # what InventoryManager does after parse
        inventory.reconcile_inventory()
        return inventory

    return run


def serve(awx_http, script=True):
    awx = awx_http(lists={"inventories/": [INVENTORY]})
    if script:
        awx.details["inventories/7/script/"] = script_answer
    else:
        awx.errors["inventories/7/script/"] = (404, {"detail": "The requested resource could not be found."})
    return awx


def own_vars(host):
    return dict((k, v) for k, v in host.vars.items() if k not in ("inventory_file", "inventory_dir"))


def members(inventory, group):
    return sorted(host.name for host in inventory.groups[group].hosts)


def children(inventory, group):
    return sorted(child.name for child in inventory.groups[group].child_groups)


def test_hosts_groups_children_and_variables(build, awx_http):
    awx = serve(awx_http)
    inventory = build()
    assert sorted(inventory.hosts) == ["db1", "lonely", "web1", "web2"]
    assert members(inventory, "web") == ["web1", "web2"] and members(inventory, "db") == ["db1"]
    assert children(inventory, "eu") == ["db", "web"]
    assert "empty" in inventory.groups and members(inventory, "empty") == []
    assert members(inventory, "ungrouped") == ["lonely"]
    assert inventory.groups["web"].vars == {"http_port": 80}
    assert inventory.groups["eu"].vars == {"region": "eu"}
    assert inventory.groups["all"].vars == {"env": "prod"}
    assert inventory.hosts["web1"].vars["ansible_host"] == "10.0.0.1"
    # resolve by name in the organization, then the whole inventory in one request
    assert awx.api_requests() == [
        ("/api/v2/inventories/", [("name", "prod"), ("page_size", "200"), ("organization__name", "Default")]),
        ("/api/v2/inventories/7/script/", [("hostvars", "1")]),
    ]


def test_disabled_hosts_are_included_when_only_enabled_is_false(build, awx_http):
    serve(awx_http)
    inventory = build(only_enabled=False)
    assert "off" in inventory.hosts and members(inventory, "web") == ["off", "web1", "web2"]


def test_awx_vars(build, awx_http):
    serve(awx_http)
    inventory = build(only_enabled=False, awx_vars=True,
                      groups={"disabled_in_awx": "not awx_host_enabled"})
    assert own_vars(inventory.hosts["off"]) == {"awx_host_id": 2, "awx_host_enabled": False}
    assert own_vars(inventory.hosts["on"]) == {"awx_host_id": 1, "awx_host_enabled": True}
    assert members(inventory, "disabled_in_awx") == ["off"]


def test_constructed_keyed_groups_compose_and_groups(build, awx_http):
    serve(awx_http)
    inventory = build(keyed_groups=[{"key": "tier", "prefix": "tier"}],
                      compose={"greeting": "'hello ' ~ inventory_hostname"},
                      groups={"databases": "role | default('') == 'db'"})
    assert members(inventory, "tier_front") == ["web1", "web2"]
    assert members(inventory, "tier_back") == ["db1"]
    assert members(inventory, "databases") == ["db1"]
    assert inventory.hosts["web2"].vars["greeting"] == "hello web2"


def test_strict_fails_on_a_broken_expression(build, awx_http):
    serve(awx_http)
    with pytest.raises(AnsibleError, match="nosuchvar"):
        build(compose={"x": "nosuchvar.attr"}, strict=True)


def test_page_based_fallback_gives_the_same_inventory(build, awx_http):
    awx = serve(awx_http, script=False)
    hosts = [
        {"id": 1, "name": "db1", "variables": "role: db\ntier: back", "enabled": True,
         "summary_fields": {"groups": {"count": 1, "results": [{"id": 12, "name": "db"}]}}},
        {"id": 2, "name": "lonely", "variables": "", "enabled": True,
         "summary_fields": {"groups": {"count": 0, "results": []}}},
        {"id": 4, "name": "web1", "variables": '{"ansible_host": "10.0.0.1", "tier": "front"}', "enabled": True,
         "summary_fields": {"groups": {"count": 1, "results": [{"id": 11, "name": "web"}]}}},
        {"id": 5, "name": "web2", "variables": "tier: front", "enabled": True,
         "summary_fields": {"groups": {"count": 1, "results": [{"id": 11, "name": "web"}]}}},
    ]
    groups = [{"id": 11, "name": "web", "variables": "http_port: 80"}, {"id": 12, "name": "db", "variables": ""},
              {"id": 13, "name": "eu", "variables": "region: eu"}, {"id": 14, "name": "empty", "variables": ""}]
    awx.lists["inventories/7/hosts/"] = hosts
    awx.lists["inventories/7/groups/"] = lambda params: [groups[2]] if "children__isnull" in params else groups
    awx.lists["groups/13/children/"] = [groups[1], groups[0]]
    inventory = build()
    assert sorted(inventory.hosts) == ["db1", "lonely", "web1", "web2"]
    assert members(inventory, "web") == ["web1", "web2"] and children(inventory, "eu") == ["db", "web"]
    assert inventory.groups["web"].vars == {"http_port": 80} and inventory.groups["all"].vars == {"env": "prod"}
    assert own_vars(inventory.hosts["db1"]) == {"role": "db", "tier": "back"}
    assert [path for path, _pairs in awx.api_requests()] == [
        "/api/v2/inventories/", "/api/v2/inventories/7/script/", "/api/v2/inventories/7/hosts/",
        "/api/v2/inventories/7/groups/", "/api/v2/inventories/7/groups/", "/api/v2/groups/13/children/"]


def test_cache_answers_the_second_parse_without_requests(build, awx_http, tmp_path):
    awx = serve(awx_http)
    cache = {"cache": True, "cache_plugin": "ansible.builtin.jsonfile", "cache_connection": str(tmp_path / "cache")}
    first = build(use_cache=True, **cache)
    assert len(awx.api_requests()) == 2  # resolve + script
    sent = len(awx.requests)
    second = build(use_cache=True, **cache)
    assert len(awx.requests) == sent
    assert sorted(second.hosts) == sorted(first.hosts) and members(second, "web") == ["web1", "web2"]
    # cache=False from Ansible (--flush-cache / refresh) reads AWX again
    build(use_cache=False, **cache)
    assert len(awx.api_requests()) == 4


def test_errors_are_one_line_parser_errors(build, awx_http):
    awx_http(lists={"inventories/": []})
    with pytest.raises(AnsibleParserError) as caught:
        build()
    assert "gitops.awx.awx: inventory 'prod' in organization 'Default' does not exist" in str(caught.value)


def test_bad_connection_options_never_show_the_token(build, awx_http):
    awx = awx_http()
    with pytest.raises(AnsibleParserError) as caught:
        build(controller_host="ftp://awx")
    assert "controller_host" in str(caught.value) and TOKEN not in str(caught.value)
    assert awx.requests == []


@pytest.mark.parametrize("name, accepted", [
    ("awx.yml", True), ("awx.yaml", True), ("prod.awx.yml", True), ("prod.awx.yaml", True),
    ("prod.yml", False), ("myawx.yml", False), ("awx.json", False),
])
def test_verify_file(plugin_loaders, tmp_path, name, accepted):
    path = tmp_path / name
    path.write_text("plugin: gitops.awx.awx\n")
    assert plugin_loaders[1].get("gitops.awx.awx").verify_file(str(path)) is accepted


@pytest.mark.parametrize("trust", [True, False])
def test_templates_in_variables_are_trusted_only_when_asked(build, awx_http, trust):
    from ansible.template import is_trusted_as_template

    script = {"all": {"hosts": ["h"], "vars": {"a": "{{ 1 + 1 }}"}},
              "g": {"hosts": ["h"], "vars": {"b": ["{{ x }}"]}},
              "_meta": {"hostvars": {"h": {"c": {"d": "{{ lookup('pipe', 'id') }}"}}}}}
    awx = awx_http(lists={"inventories/": [INVENTORY]})
    awx.details["inventories/7/script/"] = script
    inventory = build(trust_templates=trust)
    values = [inventory.groups["all"].vars["a"], inventory.groups["g"].vars["b"][0],
              inventory.hosts["h"].vars["c"]["d"]]
    assert [is_trusted_as_template(value) for value in values] == [trust] * 3
    assert values == ["{{ 1 + 1 }}", "{{ x }}", "{{ lookup('pipe', 'id') }}"]


def test_an_integer_id_in_the_file_is_an_id(build, awx_http):
    awx = awx_http(details={"inventories/7/": INVENTORY, "inventories/7/script/": SCRIPT})
    config = "plugin: gitops.awx.awx\ninventory: 7\ncontroller_host: %s\ncontroller_oauthtoken: %s\n" % (HOST, TOKEN)
    inventory = build(config=config)
    assert sorted(inventory.hosts) == ["db1", "lonely", "web1", "web2"]
    assert [path for path, _pairs in awx.api_requests()] == ["/api/v2/inventories/7/", "/api/v2/inventories/7/script/"]


def test_script_only_fails_clearly_without_the_endpoint(build, awx_http):
    serve(awx_http, script=False)
    with pytest.raises(AnsibleParserError) as caught:
        build(read_method="script")
    assert "gitops.awx.awx: GET /api/v2/inventories/7/script/" in str(caught.value) and "404" in str(caught.value)
