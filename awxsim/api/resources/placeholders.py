"""Endpoints the simulator does not implement: an empty list page, a 404 detail."""
from rest_framework.exceptions import NotFound

from awxsim.api.protocol import page_response
from awxsim.api.resource import ResourceView


class EmptyListView(ResourceView):
    """Endpoints the simulator lists but never fills (inventory updates, workflows)."""

    def get(self, request, key=None):
        return page_response(request, [], lambda objs: [])


class EmptyDetailView(ResourceView):
    label = "object"

    def get(self, request, key):
        raise NotFound("No %s matches the given query." % self.label)
