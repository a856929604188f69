"""Instance groups and instances (read-only: one fixed node)."""
from rest_framework.response import Response

from awxsim.api.resource import API, Resource, ResourceView, role_summary
from awxsim.models import InstanceGroup


class InstanceGroupResource(Resource):
    model = InstanceGroup
    type_name = "instance_group"
    endpoint = "instance_groups"
    org_path = None
    writable = False
    named_parts = ("name",)
    search_fields = ("name",)

    def capabilities(self, ctx, obj):
        return {"delete": False, "edit": ctx.user.is_superuser}

    def render(self, obj, ctx):
        body = self.common(obj, ctx, related=("access_list", "instances", "jobs",
                                              "object_roles"),
                           summary={"object_roles": role_summary(obj.id, [
                               ("admin_role", "Admin"), ("use_role", "Use"),
                               ("read_role", "Read")])})
        body["related"].pop("named_url", None)
        body.update(name=obj.name, capacity=220, consumed_capacity=0, credential=None,
                    instances=1, is_container_group=obj.is_container_group, jobs_running=0,
                    jobs_total=0, max_concurrent_jobs=obj.max_concurrent_jobs,
                    max_forks=obj.max_forks, percent_capacity_remaining=100.0,
                    pod_spec_override="", policy_instance_list=[],
                    policy_instance_minimum=obj.policy_instance_minimum,
                    policy_instance_percentage=obj.policy_instance_percentage)
        return body


INSTANCE_GROUPS = InstanceGroupResource()


class InstancesView(ResourceView):
    def get(self, request):
        return Response({"count": 1, "next": None, "previous": None, "results": [{
            "id": 1, "type": "instance", "url": API + "instances/1/", "hostname": "awxsim",
            "node_type": "hybrid", "node_state": "ready", "enabled": True, "managed": True,
            "capacity": 220, "version": "24.6.1", "related": {}, "summary_fields": {},
        }]})
