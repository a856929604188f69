# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX's paginated lists, read lazily through a client (``Client.pages`` and
``Client.iter_objects`` are these functions)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.gitops.awx.plugins.module_utils._errors import ResourceError
from ansible_collections.gitops.awx.plugins.module_utils._transport import display_path, encode_params

PAGE_SIZE = 200  # AWX's maximum; larger values are silently capped by the server


def iter_pages(client, endpoint, params=None):
    """Lazy iterator over the pages of a list endpoint (``page_size=200``
    unless given), following ``next``.  A bare JSON list is one page."""
    query = encode_params(params) or []
    if not any(key == "page_size" for key, _value in query):
        query.append(("page_size", str(PAGE_SIZE)))
    seen = set()
    target = endpoint
    while target:
        body = client.get(target, query)
        if isinstance(body, list):
            yield {"count": len(body), "next": None, "previous": None, "results": body}
            return
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise ResourceError("GET %s did not return a list" % display_path(client.url_for(target), query))
        yield body
        target = body.get("next")
        if target in seen:
            raise ResourceError("GET %s: the server's `next` link loops" % target)
        seen.add(target)
        query = None  # `next` carries the whole query string


def iter_objects(client, endpoint, params=None, max_objects=None):
    """Lazy objects over all pages.  With ``max_objects``, more matches than
    that raise ``ResourceError`` instead of silently truncating."""
    yielded = 0
    for page in client.pages(endpoint, params):
        if max_objects is not None:
            count = page.get("count")
            if not isinstance(count, int):
                count = yielded + len(page["results"])
            if count > max_objects:
                raise ResourceError("GET %s matched %s objects, more than max_objects=%s" % (
                    display_path(client.url_for(endpoint), encode_params(params)), count, max_objects))
        for item in page["results"]:
            yielded += 1
            yield item
