"""Common parts of every model: the app label, created/modified bookkeeping and ordered memberships.
"""
from django.db import models
from django.utils import timezone

APP = "awxsim"


class Base(models.Model):
    created = models.DateTimeField(default=timezone.now)
    modified = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    modified_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        abstract = True
        app_label = APP

    def save(self, *args, **kwargs):
        if self.pk is not None:
            self.modified = timezone.now()
        super().save(*args, **kwargs)


# Ordered associations (AWX keeps instance groups and constructed-inventory inputs in the order
# they were associated): one row per member with its position.  Each subclass names its
# ``parent`` and ``member`` foreign keys; the position and ordering live here once.
class OrderedMembership(models.Model):
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        app_label = APP
        ordering = ("position",)
        unique_together = (("parent", "member"),)
