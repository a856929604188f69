# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""How the engine finds the object a task means, and the ids of its references.

``Identity`` finds an object by name within its scope with ONE filtered list
request: a reference in the identity given by name is matched through AWX's
related field lookups (``GET hosts/?name=web1&inventory__name=prod&
inventory__organization__name=Default``), so a no-op costs one request.  The
drop-in rule: a name of digits that matches nothing is tried as the id
(``find_by_id``), within the same scope.

``resolve_references`` turns every given reference into an id; one that names
what the object already holds (AWX's ``summary_fields``) costs no request.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import NotFound
from ansible_collections.gitops.awx.plugins.module_utils._references import (
    ambiguity_error,
    describe_scope,
    is_id,
    is_named_url,
    resolve_reference,
    scope_filters,
)

_FIND_PAGE_SIZE = 10


def _scope_values(ref, params):
    return dict((option, params.get(option)) for option in ref.scope)


class Identity:
    """How to find this object: the name plus filters for its scope references.

    ``resolved`` holds the ids of identity references known so far; a reference
    given by plain name is only matched through related-field filters until it
    is needed (to create, or to explain why nothing was found).
    """

    def __init__(self, client, spec, params):
        self.client = client
        self.spec = spec
        self.params = params
        self.filters = {}
        self.resolved = {}
        for ref in spec.identity_references:
            value = params.get(ref.name)
            if value is None:
                continue
            scope = _scope_values(ref, params)
            if is_id(value):
                self.filters[ref.api_name] = value
            elif is_named_url(value) or value.strip().isdigit():
                self._resolve(ref)
            else:
                self.filters[ref.api_name + "__name"] = value
                self.filters.update(scope_filters(ref.api_name + "__", scope))

    def _resolve(self, ref):
        obj = resolve_reference(self.client, ref, self.params[ref.name],
                                _scope_values(ref, self.params))
        self.resolved[ref.name] = obj["id"]
        self.filters = dict((k, v) for k, v in self.filters.items()
                            if not k.startswith(ref.api_name + "__"))
        self.filters[ref.api_name] = obj["id"]
        return obj["id"]

    def resolve_all(self):
        """Ids of every identity reference (raises ResourceError when one is unknown)."""
        for ref in self.spec.identity_references:
            if self.params.get(ref.name) is None:
                continue
            if ref.name not in self.resolved:
                # An id is checked like a name: an unknown one fails before any write.
                self._resolve(ref)
        return dict(self.resolved)

    def adopt(self, obj):
        for ref in self.spec.identity_references:
            if obj.get(ref.api_name) is not None:
                self.resolved.setdefault(ref.name, obj[ref.api_name])

    def find(self, name):
        """The one object with this name in scope, or None; ambiguity raises."""
        spec = self.spec
        params = {spec.name_field: name, "page_size": _FIND_PAGE_SIZE}
        params.update(self.filters)
        page = self.client.get(spec.endpoint, params=params)
        results = page.get("results") or []
        if spec.hooks.is_gone is not None:
            results = [obj for obj in results if not spec.hooks.is_gone(obj)]
        if len(results) > 1:
            scope = dict((r.name, self.params.get(r.name)) for r in spec.identity_references)
            raise ambiguity_error(spec.resource, name, len(results), results,
                                  scope_fields=[r.api_name for r in spec.identity_references],
                                  where=describe_scope(scope))
        if results:
            self.adopt(results[0])
            return results[0]
        return None

    def find_by_id(self, name):
        """The drop-in rule: the object whose id is ``name`` (digits), or None.

        Only an object within the identity's scope counts (an id of a host in
        another inventory is not this host).
        """
        try:
            obj = self.client.get("%s%d/" % (self.spec.endpoint, int(name)))
        except NotFound:
            return None
        if self.spec.hooks.is_gone is not None and self.spec.hooks.is_gone(obj):
            return None
        summary = obj.get("summary_fields") or {}
        for key, value in self.filters.items():
            if key.endswith("__name") and key.count("__") == 1:
                field = key[:-len("__name")]
                if (summary.get(field) or {}).get("name") != value:
                    return None
            elif "__" not in key and obj.get(key) != value:
                return None
        self.adopt(obj)
        return obj


def _held_by_name(ref, value, current, params):
    """The id ``current`` already refers to when its name is ``value``, else None.

    AWX names each reference in ``summary_fields``: a reference that names what
    the object already has needs no lookup (a no-op costs no request for it).
    A reference scoped by an organization the task gives counts only when AWX
    says the object is in the same organization as ``current`` (which was found
    in that scope); digits and named URLs are always looked up.
    """
    if current is None or not isinstance(value, str) or value.strip().isdigit() or "++" in value:
        return None
    held = (current.get("summary_fields") or {}).get(ref.api_name) or {}
    if held.get("name") != value or current.get(ref.api_name) != held.get("id"):
        return None
    for option in ref.scope:
        if params.get(option) is None:
            continue
        if option != "organization" or current.get("organization") is None or \
                held.get("organization_id") != current.get("organization"):
            return None
    return held.get("id")


def resolve_references(client, spec, desired, params, identity, current=None):
    """Replace each given reference by its id (identity references included)."""
    resolved = dict(desired)
    identity_ids = identity.resolve_all()
    for ref in spec.references:
        if ref.name not in desired:
            continue
        if ref.name in identity_ids:
            resolved[ref.name] = identity_ids[ref.name]
        elif _held_by_name(ref, desired[ref.name], current, params) is not None:
            resolved[ref.name] = _held_by_name(ref, desired[ref.name], current, params)
        else:
            obj = resolve_reference(client, ref, desired[ref.name], _scope_values(ref, params))
            resolved[ref.name] = obj["id"]
    return resolved
