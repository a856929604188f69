"""Inventories, hosts and groups; an inventory's ordered instance groups and input inventories.
"""
from django.db import models

from awxsim.models.base import APP, Base, OrderedMembership


class Inventory(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey("Organization", on_delete=models.CASCADE,
                                     related_name="inventories")
    variables = models.TextField(blank=True, default="")
    kind = models.CharField(max_length=32, blank=True, default="")
    host_filter = models.TextField(null=True, blank=True, default=None)
    prevent_instance_group_fallback = models.BooleanField(default=False)
    pending_deletion = models.BooleanField(default=False)
    labels = models.ManyToManyField("Label", blank=True, related_name="inventories")

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "organization"),)


class Host(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    inventory = models.ForeignKey("Inventory", on_delete=models.CASCADE, related_name="hosts")
    enabled = models.BooleanField(default=True)
    instance_id = models.CharField(max_length=1024, blank=True, default="")
    variables = models.TextField(blank=True, default="")
    last_job = models.ForeignKey("Job", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "inventory"),)


class Group(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    inventory = models.ForeignKey("Inventory", on_delete=models.CASCADE, related_name="groups")
    variables = models.TextField(blank=True, default="")
    hosts = models.ManyToManyField("Host", related_name="groups", blank=True)
    parents = models.ManyToManyField("self", symmetrical=False, related_name="children",
                                     blank=True)

    class Meta:
        app_label = APP
        ordering = ("name",)
        unique_together = (("name", "inventory"),)


class InventoryInstanceGroup(OrderedMembership):
    parent = models.ForeignKey("Inventory", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("InstanceGroup", on_delete=models.CASCADE,
                               related_name="inventory_memberships")


class InventoryInput(OrderedMembership):
    """An input inventory of a constructed inventory."""
    parent = models.ForeignKey("Inventory", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("Inventory", on_delete=models.CASCADE,
                               related_name="input_memberships")
