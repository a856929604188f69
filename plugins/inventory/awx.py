# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: awx
author:
  - gitops.awx maintainers (@gitops-awx)
short_description: An Ansible inventory from an AWX / automation controller inventory
description:
  - Builds an inventory from one AWX inventory, given by name (with O(organization) when the name is
    not unique), by id, or by named URL (C(prod++Default)); its hosts with their variables, its groups
    with their variables, hosts and child groups, and the inventory's variables on group C(all).
  - Reads the whole inventory from AWX's C(inventories/<id>/script/) endpoint in one request after the
    inventory is found (one more request); servers without that endpoint are read page by page
    (200 objects a page), see O(read_method).
  - The configuration file name must end with C(awx.yml) or C(awx.yaml) (for example C(prod.awx.yml))
    and set O(plugin) to C(gitops.awx.awx).
  - A file of C(awx.awx.controller) moves over unchanged but for its O(plugin) line
    (C(gitops.awx.controller) is routed to this plugin), and keeps its name
    (C(controller_inventory.yml), C(tower_inventory.yml) and the same with C(.yaml) are read too).
  - Supports C(compose), C(groups) and C(keyed_groups) (constructed) and the inventory cache.
extends_documentation_fragment:
  - constructed
  - inventory_cache
  - gitops.awx.connection.PLUGINS
options:
  plugin:
    description:
      - The name of this plugin; the file is read by it only when this is set.
      - V(gitops.awx.controller) is the same plugin under awx.awx's name.
    type: str
    required: true
    choices: [gitops.awx.awx, gitops.awx.controller]
  inventory:
    description:
      - The AWX inventory to read. Digits are an id; a value with C(++) is a named URL
        (C(name++organization)); anything else is a name, looked up within O(organization) when given.
      - A name that matches inventories in several organizations fails and lists them.
    type: str
    required: true
    aliases: [inventory_id]
  organization:
    description: The organization (name or id) of the inventory named by O(inventory).
    type: str
  only_enabled:
    description:
      - Include only the hosts enabled in AWX, which are the hosts AWX's own job runs use.
      - Set V(false) to include disabled hosts too (what C(awx.awx.controller) does); O(awx_vars) then shows
        which ones are disabled.
    type: bool
    default: true
  awx_vars:
    description:
      - Add C(awx_host_id) (the host's AWX id) and C(awx_host_enabled) (bool) to every host's variables.
    type: bool
    default: false
  trust_templates:
    description:
      - Whether Jinja2 templates (C({{ }})) in AWX host, group and inventory variables are rendered when the
        variables are used, as AWX's own job runs do.
      - By default they are not, since the variables come from a remote service and anyone allowed to edit the
        inventory in AWX could otherwise run lookups on this controller.
    type: bool
    default: false
  read_method:
    description:
      - V(auto) reads the script endpoint and falls back to V(pages) when the server has none.
      - V(script) uses only the script endpoint (one request for the whole inventory).
      - V(pages) reads hosts and groups page by page (200 a page) plus one request for the groups
        that have children and one per such parent group.
    type: str
    choices: [auto, script, pages]
    default: auto
notes:
  - Variables are data, never templates, unless O(trust_templates) is set.
  - With O(cache=true) the data read from AWX is cached per configuration file, AWX host and inventory.
seealso:
  - plugin: gitops.awx.api
    plugin_type: lookup
"""

EXAMPLES = r"""
# prod.awx.yml: the inventory "prod" of organization "Default", connection from CONTROLLER_* variables
plugin: gitops.awx.awx
inventory: prod
organization: Default

# by named URL, disabled hosts included, extra groups built from variables, cached for an hour
# plugin: gitops.awx.awx
# inventory: prod++Default
# only_enabled: false
# awx_vars: true
# keyed_groups:
#   - key: tier | default('none')
#     prefix: tier
# groups:
#   disabled: not awx_host_enabled
# compose:
#   ansible_host: address | default(inventory_hostname)
# cache: true
# cache_plugin: ansible.builtin.jsonfile
# cache_connection: ~/.cache/gitops-awx-inventory
# cache_timeout: 3600

# explicit connection options (usually better kept in CONTROLLER_HOST / CONTROLLER_OAUTH_TOKEN)
# plugin: gitops.awx.awx
# inventory: 42
# controller_host: https://awx.example.com
# validate_certs: true
"""

from ansible.errors import AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

try:
    # ansible-core 2.19+: strings are templates only when tagged as trusted.
    from ansible.template import trust_as_template
    wrap_var = None
except ImportError:  # older ansible-core: every string is a template unless wrapped as unsafe
    trust_as_template = None
    from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from ansible_collections.gitops.awx.plugins.module_utils._errors import AWXError
from ansible_collections.gitops.awx.plugins.plugin_utils._inventory_reader import read_inventory
from ansible_collections.gitops.awx.plugins.plugin_utils._connection import settings_from_plugin

_FILE_SUFFIXES = (".awx.yml", ".awx.yaml")
_FILE_NAMES = ("awx.yml", "awx.yaml")
# The file names awx.awx's controller inventory plugin reads, for files that move over with their
# ``plugin:`` line changed to gitops.awx.controller (routed here by meta/runtime.yml).
_AWX_AWX_SUFFIXES = ("controller_inventory.yml", "controller_inventory.yaml",
                     "tower_inventory.yml", "tower_inventory.yaml")


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = "gitops.awx.awx"

    def verify_file(self, path):
        if not super(InventoryModule, self).verify_file(path):
            return False
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        return name in _FILE_NAMES or name.endswith(_FILE_SUFFIXES + _AWX_AWX_SUFFIXES)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            settings = settings_from_plugin(self)
            cache_key = self.get_cache_key("%s|%s|%s|%s|%s|%s" % (
                path, settings.host, self.get_option("inventory"), self.get_option("organization"),
                self.get_option("only_enabled"), self.get_option("awx_vars")))
            data = self._cached_or_read(settings, cache_key, cache)
            self._populate(data)
        except AWXError as error:
            raise AnsibleParserError("gitops.awx.awx: %s" % error) from None

    def _cached_or_read(self, settings, cache_key, cache):
        use_cache = self.get_option("cache")
        data = None
        if use_cache and cache:
            try:
                data = self._cache[cache_key]
            except KeyError:
                data = None
        if data is None:
            client = Client(settings)
            try:
                data = read_inventory(
                    client, self.get_option("inventory"), organization=self.get_option("organization"),
                    only_enabled=self.get_option("only_enabled"), read_method=self.get_option("read_method"),
                    awx_vars=self.get_option("awx_vars"))
            finally:
                client.close()  # deletes the session token it may have created
                for warning in client.warnings:
                    self.display.warning(warning)
            self.display.vvv("gitops.awx.awx: inventory %s read with the %s method in %d requests"
                             % (data["inventory"]["id"], data["source"], client.request_count))
            if use_cache:
                self._cache[cache_key] = data
        return data

    def _value(self, value):
        """A variable value as AWX gave it, rendered later only with trust_templates."""
        if self.get_option("trust_templates"):
            return _deep(value, trust_as_template) if trust_as_template is not None else value
        return wrap_var(value) if wrap_var is not None else value

    def _populate(self, data):
        for name, value in data["vars"].items():
            self.inventory.set_variable("all", name, self._value(value))
        # Groups first, so that membership and children can refer to any of them.
        for group_name in data["groups"]:
            self.inventory.add_group(group_name)
        for host_name, host in data["hosts"].items():
            self.inventory.add_host(host_name)
            for name, value in host["vars"].items():
                self.inventory.set_variable(host_name, name, self._value(value))
            if self.get_option("awx_vars"):
                self.inventory.set_variable(host_name, "awx_host_id", host.get("id"))
                self.inventory.set_variable(host_name, "awx_host_enabled", host.get("enabled"))
        for group_name, group in data["groups"].items():
            for name, value in group["vars"].items():
                self.inventory.set_variable(group_name, name, self._value(value))
            for host_name in group["hosts"]:
                self.inventory.add_child(group_name, host_name)
            for child in group["children"]:
                self.inventory.add_group(child)
                self.inventory.add_child(group_name, child)

        strict = self.get_option("strict")
        compose = self.get_option("compose")
        groups = self.get_option("groups")
        keyed_groups = self.get_option("keyed_groups")
        if compose or groups or keyed_groups:
            for host_name in data["hosts"]:
                host_vars = self.inventory.get_host(host_name).get_vars()
                self._set_composite_vars(compose, host_vars, host_name, strict=strict)
                self._add_host_to_composed_groups(groups, host_vars, host_name, strict=strict)
                self._add_host_to_keyed_groups(keyed_groups, host_vars, host_name, strict=strict)


def _deep(value, tag):
    """Apply ``tag`` to every string inside ``value`` (keys stay as they are)."""
    if isinstance(value, str):
        return tag(value)
    if isinstance(value, dict):
        return dict((key, _deep(item, tag)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_deep(item, tag) for item in value]
    return value
