# -*- coding: utf-8 -*-
# Copyright: gitops.awx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What answers say about where the controller API lives (used by the client's discovery)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DEFAULT_API_ROOT = "/api/v2/"  # AWX's; assumed until an answer says otherwise


def root_from_index(body):
    """The controller API root named by the body of ``GET /api/``, or None."""
    root = None
    if isinstance(body, dict):
        apis = body.get("apis")
        if isinstance(apis, dict) and isinstance(apis.get("controller"), str):
            # The AAP 2.5+ gateway lists the APIs it fronts.
            root = apis["controller"].rstrip("/") + "/v2/"
        else:
            versions = body.get("available_versions")
            if isinstance(versions, dict) and isinstance(versions.get("v2"), str):
                root = versions["v2"]
            elif str(body.get("current_version", "")).rstrip("/").endswith("/v2"):
                # Only a v2 API is the controller's: a gateway's own /api/gateway/v1/ is not.
                root = body["current_version"]
    if not root or not root.startswith("/"):
        return None
    return root.rstrip("/") + "/"


def is_absolute(endpoint):
    """A host-relative path or a full URL, as opposed to a path under the API root."""
    return endpoint.startswith("/") or "://" in endpoint


def confirms_root(status):
    """An answer that proves a view lives at that URL: any 2xx or 4xx but 404 (no
    such URL, or no such object) and 429 (a proxy may rate-limit any path).  A
    3xx or 5xx may come from a proxy in front of the API and proves nothing."""
    return 200 <= status < 300 or (400 <= status < 500 and status not in (404, 429))
