"""The simulator's data model: the AWX objects the collection manages, with AWX's field names.

Only what the API shows or filters on is stored. Relations use AWX's names so that filters such
as ``inventory__organization__name`` work unchanged. One module per family of kinds; every model
is importable from ``awxsim.models`` (the Django app's models module).
"""
from awxsim.models.base import APP, Base, OrderedMembership  # noqa: F401
from awxsim.models.credentials import Credential, CredentialInputSource, CredentialType  # noqa: F401
from awxsim.models.execution_environments import ExecutionEnvironment  # noqa: F401
from awxsim.models.instance_groups import InstanceGroup  # noqa: F401
from awxsim.models.inventories import (  # noqa: F401
    Group, Host, Inventory, InventoryInput, InventoryInstanceGroup)
from awxsim.models.jobs import (  # noqa: F401
    ACTIVE_JOB_STATUSES, FINISHED_JOB_STATUSES, Job, JobEvent, JobHostSummary, JobOptions, JobTemplate,
    JobTemplateInstanceGroup)
from awxsim.models.labels import Label  # noqa: F401
from awxsim.models.notifications import NotificationTemplate  # noqa: F401
from awxsim.models.organizations import (  # noqa: F401
    Organization, OrganizationGalaxyCredential, OrganizationInstanceGroup, Team, Token, User)
from awxsim.models.projects import Project, ProjectUpdate  # noqa: F401
from awxsim.models.settings import Setting  # noqa: F401
