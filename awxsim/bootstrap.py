"""First-start data: the admin user, the Default organization, managed credential types,
instance groups and execution environments, as a fresh AWX has them."""
import json
import os

from django.db import connection, transaction

from awxsim.api.resource import DATA_DIR, add_ordered

INSTANCE_GROUPS = ("controlplane", "default")
GALAXY_CREDENTIAL = "Ansible Galaxy"
GALAXY_URL = "https://galaxy.ansible.com/"
EXECUTION_ENVIRONMENTS = (
    (1, "AWX EE (latest)", False),
    (2, "Control Plane Execution Environment", True),
)


def _reset_sequences(models):
    """After inserting fixed ids, make PostgreSQL's sequences continue after them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def seed(admin_username="admin", admin_password="password", demo_data=True):
    from awxsim.models import (CredentialType, ExecutionEnvironment, InstanceGroup,
                               Organization, User)
    with transaction.atomic():
        fresh = not User.objects.exists()
        admin = User.objects.filter(username=admin_username).first()
        if admin is None:
            admin = User(username=admin_username, email="admin@localhost", is_superuser=True)
            if not User.objects.exists():
                admin.id = 1
            admin.set_password(admin_password)
            admin.save()
        elif not admin.check_password(admin_password):
            admin.set_password(admin_password)
            admin.save()
        if not CredentialType.objects.filter(managed=True).exists():
            with open(os.path.join(DATA_DIR, "credential_types.json")) as handle:
                types = json.load(handle)
            CredentialType.objects.bulk_create([
                CredentialType(id=t["id"], name=t["name"], description=t["description"],
                               kind=t["kind"], namespace=t["namespace"], managed=True,
                               inputs=t["inputs"], injectors=t["injectors"]) for t in types])
            # Custom credential types start after the managed range, as on a fresh AWX.
        if not InstanceGroup.objects.exists():
            InstanceGroup.objects.bulk_create([
                InstanceGroup(id=i + 1, name=n, policy_instance_percentage=100)
                for i, n in enumerate(INSTANCE_GROUPS)])
        if not ExecutionEnvironment.objects.exists():
            ExecutionEnvironment.objects.bulk_create([
                ExecutionEnvironment(id=i, name=n, managed=m,
                                     image="quay.io/ansible/awx-ee:latest")
                for i, n, m in EXECUTION_ENVIRONMENTS])
        if not Organization.objects.exists():
            Organization.objects.create(id=1, name="Default", description="",
                                        created_by=admin, modified_by=admin)
        _reset_sequences([User, CredentialType, InstanceGroup, ExecutionEnvironment,
                          Organization])
        _galaxy_credential()
        if fresh and demo_data:
            from awxsim import demo_data as demo
            demo.create(admin)
    return admin


def _galaxy_credential():
    """AWX's install makes the public Galaxy a managed credential (no organization) and puts it
    in the Default organization's galaxy credentials; done once, if it is not there yet."""
    from awxsim.models import Credential, CredentialType, Organization, OrganizationGalaxyCredential
    if Credential.objects.filter(managed=True, name=GALAXY_CREDENTIAL).exists():
        return
    galaxy = CredentialType.objects.filter(kind="galaxy", managed=True).order_by("id").first()
    if galaxy is None:
        return
    credential = Credential.objects.create(name=GALAXY_CREDENTIAL, managed=True,
                                           credential_type=galaxy, inputs={"url": GALAXY_URL})
    default = Organization.objects.filter(name="Default").order_by("id").first()
    if default is not None:
        add_ordered(OrganizationGalaxyCredential, default, credential)
