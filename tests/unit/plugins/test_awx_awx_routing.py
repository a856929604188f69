"""awx.awx's plugin names that we implement under another name resolve through meta/runtime.yml,
so moving a playbook or an inventory file over is replacing the prefix."""
import yaml
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader

from conftest import HOST, TOKEN
from test_inventory_awx import INVENTORY, script_answer


def test_controller_api_lookup_is_the_api_lookup(plugin_loaders, awx_http):
    lookup_loader = plugin_loaders[0]
    awx = awx_http(lists={"organizations/": [{"id": 1, "name": "Default"}]})
    plugin = lookup_loader.get("gitops.awx.controller_api")
    assert plugin is not None
    assert type(plugin).__module__.endswith(".lookup.api")
    result = plugin.run(["organizations"], variables={}, controller_host=HOST, controller_oauthtoken=TOKEN)
    assert [org["name"] for org in result] == ["Default"]
    assert awx is not None


def test_an_awx_awx_controller_inventory_file_works_with_the_prefix_replaced(plugin_loaders, awx_http, tmp_path):
    inventory_loader = plugin_loaders[1]
    awx = awx_http(lists={"inventories/": [INVENTORY]})
    awx.details["inventories/7/script/"] = script_answer
    # What an awx.awx user has, the prefix replaced: its file name, its inventory_id option.
    path = tmp_path / "controller_inventory.yml"
    path.write_text(yaml.safe_dump({"plugin": "gitops.awx.controller", "inventory_id": "prod",
                                    "host": HOST, "oauth_token": TOKEN}))
    plugin = inventory_loader.get("gitops.awx.controller")
    assert plugin is not None and plugin.NAME == "gitops.awx.awx"
    assert plugin.verify_file(str(path))
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(path), cache=False)
    inventory.reconcile_inventory()
    assert sorted(inventory.hosts) == ["db1", "lonely", "web1", "web2"]


def test_the_controller_action_group_extends_ours():
    import os

    from tests.conftest import REPO_ROOT

    with open(os.path.join(REPO_ROOT, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    groups = runtime["action_groups"]
    assert groups["controller"] == [{"metadata": {"extend_group": ["gitops.awx.awx"]}}]
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(REPO_ROOT, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    assert sorted(groups["awx"]) == modules
