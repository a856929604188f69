"""Who sees and changes what: superusers everything; organization admins their organization's
objects; organization members read them."""
from rest_framework import exceptions

from awxsim.api.protocol import NO_PERMISSION
from awxsim.models import Organization


def _cache(user):
    cache = getattr(user, "_awxsim_orgs", None)
    if cache is None:
        admin = set(Organization.objects.filter(admins=user).values_list("id", flat=True))
        member = set(Organization.objects.filter(users=user).values_list("id", flat=True))
        cache = {"admin": admin, "read": admin | member}
        user._awxsim_orgs = cache
    return cache


def readable_org_ids(user):
    return None if user.is_superuser else _cache(user)["read"]


def admin_org_ids(user):
    return None if user.is_superuser else _cache(user)["admin"]


def can_admin_org(user, org_id):
    if user.is_superuser:
        return True
    return org_id is not None and org_id in _cache(user)["admin"]


def can_read_org(user, org_id):
    if user.is_superuser:
        return True
    return org_id is not None and org_id in _cache(user)["read"]


def deny(message=NO_PERMISSION):
    raise exceptions.PermissionDenied(message)


def require_superuser(user):
    if not user.is_superuser:
        deny()
