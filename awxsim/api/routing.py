"""Building blocks for the URL map."""
from django.urls import re_path

from awxsim.api.resource import DetailView, ListView, SubListView

KEY = r"(?P<key>[^/]+)"


def _methods(writable, detail=False):
    if not writable:
        return ["get", "head", "options"]
    if detail:
        return ["get", "put", "patch", "delete", "head", "options"]
    return ["get", "post", "head", "options"]


def resource_urls(resource, options=None, writable=True, detail_methods=None):
    options = options or resource.endpoint
    return [
        re_path(r"^api/v2/%s/$" % resource.endpoint,
                ListView.as_view(resource=resource, options_name=options,
                                 http_method_names=_methods(writable))),
        re_path(r"^api/v2/%s/%s/$" % (resource.endpoint, KEY),
                DetailView.as_view(resource=resource, options_name=options + "_detail",
                                   http_method_names=detail_methods or _methods(writable, True))),
    ]


def sublist_url(parent, sublist, writable=True):
    return re_path(
        r"^api/v2/%s/%s/%s/$" % (parent.endpoint, KEY, sublist.name),
        SubListView.as_view(parent=parent, sublist=sublist, resource=sublist.child,
                            options_name=sublist.child.endpoint,
                            http_method_names=_methods(writable)))
