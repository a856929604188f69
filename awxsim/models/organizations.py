"""Users, organizations, teams and personal tokens; an organization's ordered instance groups and
galaxy credentials.
"""
from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils import timezone

from awxsim.models.base import APP, Base, OrderedMembership


class User(models.Model):
    username = models.CharField(max_length=150, unique=True)
    password = models.CharField(max_length=255, default="")
    first_name = models.CharField(max_length=150, blank=True, default="")
    last_name = models.CharField(max_length=150, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    is_superuser = models.BooleanField(default=False)
    is_system_auditor = models.BooleanField(default=False)
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(null=True, blank=True)
    last_login = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = APP
        ordering = ("username",)

    # What DRF and our permission checks expect of request.user.
    is_authenticated = True
    is_anonymous = False

    def set_password(self, raw):
        self.password = make_password(raw)

    def check_password(self, raw):
        return check_password(raw, self.password)

    def __str__(self):
        return self.username


class Organization(Base):
    name = models.CharField(max_length=512, unique=True)
    description = models.TextField(blank=True, default="")
    max_hosts = models.PositiveIntegerField(default=0)
    custom_virtualenv = models.CharField(max_length=100, null=True, blank=True, default=None)
    default_environment = models.ForeignKey("ExecutionEnvironment", null=True, blank=True,
                                            on_delete=models.SET_NULL, related_name="+")
    admins = models.ManyToManyField("User", related_name="admin_of_organizations", blank=True)
    users = models.ManyToManyField("User", related_name="organizations", blank=True)
    notification_templates_started = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_started")
    notification_templates_success = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_success")
    notification_templates_error = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_error")
    notification_templates_approvals = models.ManyToManyField(
        "NotificationTemplate", blank=True, related_name="organizations_approvals")

    class Meta:
        app_label = APP
        ordering = ("name",)


class Team(Base):
    name = models.CharField(max_length=512)
    description = models.TextField(blank=True, default="")
    organization = models.ForeignKey("Organization", on_delete=models.CASCADE, related_name="teams")
    users = models.ManyToManyField("User", related_name="teams", blank=True)

    class Meta:
        app_label = APP
        ordering = ("organization__name", "name")
        unique_together = (("organization", "name"),)


class Token(Base):
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=128, unique=True)
    description = models.TextField(blank=True, default="")
    scope = models.CharField(max_length=32, default="write")
    expires = models.DateTimeField()

    class Meta:
        app_label = APP
        ordering = ("id",)


class OrganizationInstanceGroup(OrderedMembership):
    parent = models.ForeignKey("Organization", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("InstanceGroup", on_delete=models.CASCADE,
                               related_name="organization_memberships")


class OrganizationGalaxyCredential(OrderedMembership):
    parent = models.ForeignKey("Organization", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("Credential", on_delete=models.CASCADE,
                               related_name="galaxy_memberships")
