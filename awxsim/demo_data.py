"""AWX's preloaded demo objects, made once at the first start of a fresh database (as AWX's
install does): Demo Project (git), Demo Credential (Machine, username of the admin), Demo
Inventory (host ``localhost`` run locally) and Demo Job Template (``hello_world.yml``).

AWX's Demo Project points at a public repository; ours points at a git repository the server
makes from ``data/demo_project/`` in the projects root (``.awxsim_demo_project``, hidden from
``config/``'s free paths), with a fixed author and dates so its revision is always the same.
Like AWX, the project is not updated at start (status ``never updated``); it updates on launch.
"""
import os
import shutil
import subprocess

from awxsim import config
from awxsim.api.resource import DATA_DIR

DEMO_REPOSITORY = ".awxsim_demo_project"
LOCALHOST_VARIABLES = ("ansible_connection: local\n"
                       "ansible_python_interpreter: '{{ ansible_playbook_python }}'")
_GIT_ENV = {"GIT_AUTHOR_NAME": "awxsim", "GIT_AUTHOR_EMAIL": "awxsim@localhost",
            "GIT_COMMITTER_NAME": "awxsim", "GIT_COMMITTER_EMAIL": "awxsim@localhost",
            "GIT_AUTHOR_DATE": "2024-06-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-06-01T00:00:00Z",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def demo_repository():
    """The Demo Project's repository (made from data/demo_project/ if it is not there yet)."""
    path = os.path.join(config.projects_root(), DEMO_REPOSITORY)
    if os.path.isdir(os.path.join(path, ".git")):
        return path
    source = os.path.join(DATA_DIR, "demo_project")
    shutil.copytree(source, path, dirs_exist_ok=True)
    env = dict(os.environ, **_GIT_ENV)
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "Demo Project"]):
        subprocess.run(["git"] + args, cwd=path, env=env, check=True, capture_output=True)
    return path


def create(admin):
    from awxsim.models import (Credential, CredentialType, Host, Inventory, JobTemplate,
                               Organization, Project)
    org = Organization.objects.filter(name="Default").order_by("id").first()
    machine = CredentialType.objects.filter(namespace="ssh", managed=True).order_by("id").first()
    if org is None or machine is None:
        return
    try:
        url = "file://" + demo_repository()
    except (OSError, subprocess.CalledProcessError):
        return                  # no git here: no Demo Project (the rest needs it)
    project = Project.objects.create(
        name="Demo Project", organization=org, scm_type="git", scm_url=url,
        scm_update_on_launch=True, scm_update_cache_timeout=0, status="never updated",
        created_by=admin, modified_by=admin)
    project.local_path = "_%d__demo_project" % project.id
    project.save()
    credential = Credential.objects.create(
        name="Demo Credential", credential_type=machine, user=admin,
        inputs={"username": admin.username}, created_by=admin, modified_by=admin)
    inventory = Inventory.objects.create(name="Demo Inventory", organization=org,
                                         created_by=admin, modified_by=admin)
    Host.objects.create(name="localhost", inventory=inventory, variables=LOCALHOST_VARIABLES,
                        created_by=admin, modified_by=admin)
    template = JobTemplate.objects.create(
        name="Demo Job Template", playbook="hello_world.yml", project=project,
        inventory=inventory, organization=org, created_by=admin, modified_by=admin)
    template.credentials.add(credential)
