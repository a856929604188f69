# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: api
author:
  - gitops.awx maintainers (@gitops-awx)
short_description: Query any AWX / automation controller API endpoint, every page
description:
  - Reads one or more API endpoints and returns their objects.
  - A list endpoint (C(hosts), C(job_templates)) returns its objects from B(every page) by default,
    read lazily 200 at a time. If more than O(max_objects) objects match, the lookup fails instead
    of returning a silently truncated list.
  - A detail endpoint (C(hosts/12), a named URL such as C(inventories/prod++Default), C(settings/system),
    C(job_templates/7/launch)) returns the object itself; an endpoint answering a bare JSON list
    (C(projects/5/playbooks)) returns its elements.
  - With several terms the results are concatenated in the order of the terms; O(expect_one),
    O(expect_objects) and O(max_objects) apply to each term on its own.
  - Use C(query()) or C(lookup(..., wantlist=true)) to always get a list; C(lookup()) turns a one-element
    result into the element itself, which is handy with O(expect_one).
  - Connection options are those of the modules, also read from C(CONTROLLER_*), C(AAP_*) and C(TOWER_*)
    environment variables and from the play's variables.
extends_documentation_fragment:
  - gitops.awx.connection.PLUGINS
options:
  _terms:
    description:
      - Endpoints relative to the API root (C(hosts), C(inventories/prod++Default), C(settings/system)),
        or an absolute C(/api/...) path such as an object's C(url) or C(related) link.
      - A query string in the term (C(hosts?name=web1)) is merged with O(query_params); O(query_params) wins.
    type: list
    elements: str
    required: true
  query_params:
    description:
      - Query parameters sent with the request, passed through unchanged; AWX's filters work here
        (C(name__startswith), related lookups such as C(inventory__organization__name), C(or__name),
        C(not__enabled), C(order_by), C(search)).
      - "A list value is sent as a repeated parameter, which is how C(or__) filters on one field are written
        (C(or__name: [web1, web2])). A boolean is sent as C(true)/C(false). A null value is not sent."
    type: dict
    default: {}
    aliases: [query, data, filter, params]
  return_all:
    description:
      - Return the objects of every page (default). When V(false) only the first page is read and returned,
        with O(page_size) objects at most.
    type: bool
    default: true
  page_size:
    description:
      - Objects per page, between 1 and 200 (AWX's maximum). Pages of 200 cost the fewest requests;
        a smaller size is useful with O(return_all=false) to get the first few objects of an ordered query.
      - A C(page_size) in O(query_params) wins over this option.
    type: int
    default: 200
  max_objects:
    description:
      - With O(return_all=true), fail when a list endpoint matches more objects than this, before reading
        more than its first page (AWX reports the total with the first page).
    type: int
    default: 10000
  expect_one:
    description:
      - Fail unless each term yields exactly one object; the message names the count and the query.
      - A detail endpoint counts as one object.
    type: bool
    default: false
  expect_objects:
    description:
      - Fail when a term yields no object.
    type: bool
    default: false
    aliases: [expect_object]
  return_ids:
    description:
      - Return only the C(id) of each object, as integers (C(awx.awx.controller_api) returns strings;
        apply C(map('string')) if strings are needed).
    type: bool
    default: false
  fields:
    description:
      - Keep only these keys of each object (for example C([id, name, variables])) to keep results and
        registered variables small. Keys an object does not have are left out.
    type: list
    elements: str
notes:
  - Requests are sent from the controller, not from the managed host.
  - The same connection (and for username/password, one short-lived session token) is used for every term
    of one lookup call; the token is deleted when the lookup ends.
seealso:
  - plugin: gitops.awx.awx
    plugin_type: inventory
"""

EXAMPLES = r"""
- name: Every host of the prod inventory whose name starts with web (all pages)
  ansible.builtin.debug:
    msg: "{{ query('gitops.awx.api', 'hosts', query_params={'name__startswith': 'web', 'inventory__name': 'prod'}) }}"

- name: Two hosts by name, with an or__ filter, only the names and variables
  ansible.builtin.set_fact:
    some_hosts: >-
      {{ query('gitops.awx.api', 'hosts',
               query_params={'or__name': ['web1', 'db1'], 'inventory__name': 'prod'},
               fields=['name', 'variables']) }}

- name: Exactly one job template, or fail with the count and the query
  ansible.builtin.set_fact:
    template: "{{ lookup('gitops.awx.api', 'job_templates', query_params={'name': 'Deploy'}, expect_one=true) }}"

- name: An inventory by named URL (a detail endpoint returns the object itself)
  ansible.builtin.debug:
    msg: "{{ lookup('gitops.awx.api', 'inventories/prod++Default').id }}"

- name: The ids of every disabled host
  ansible.builtin.debug:
    msg: "{{ query('gitops.awx.api', 'hosts', query_params={'enabled': false}, return_ids=true) }}"

- name: The five most recent failed jobs (one page)
  ansible.builtin.debug:
    msg: "{{ query('gitops.awx.api', 'jobs', query_params={'status': 'failed', 'order_by': '-finished'},
                   return_all=false, page_size=5, fields=['id', 'name', 'finished']) }}"

- name: System settings, with the host and token given explicitly (here from variables)
  ansible.builtin.debug:
    msg: "{{ lookup('gitops.awx.api', 'settings/system', controller_host=awx_url,
                    controller_oauthtoken=my_token) }}"
"""

RETURN = r"""
_raw:
  description:
    - The objects of each term, concatenated; for a detail endpoint the object itself.
    - With O(return_ids=true), the C(id) of each object (integers).
    - With O(fields), each object reduced to those keys.
  type: list
  elements: raw
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from ansible_collections.gitops.awx.plugins.module_utils._errors import AWXError
from ansible_collections.gitops.awx.plugins.plugin_utils._lookup_query import QueryOptions, run_query
from ansible_collections.gitops.awx.plugins.plugin_utils._connection import settings_from_plugin

display = Display()


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        try:
            options = QueryOptions(
                query_params=self.get_option("query_params"),
                return_all=self.get_option("return_all"),
                max_objects=self.get_option("max_objects"),
                page_size=self.get_option("page_size"),
                expect_one=self.get_option("expect_one"),
                expect_objects=self.get_option("expect_objects"),
                return_ids=self.get_option("return_ids"),
                fields=self.get_option("fields"),
            )
            client = Client(settings_from_plugin(self))
            try:
                results = []
                for term in terms:
                    results.extend(run_query(client, term, options))
            finally:
                client.close()  # deletes the session token it may have created
                for warning in client.warnings:
                    display.warning(warning)
            display.vvv("gitops.awx.api: %d objects in %d requests" % (len(results), client.request_count))
            return results
        except AWXError as error:
            raise AnsibleLookupError(str(error)) from None
