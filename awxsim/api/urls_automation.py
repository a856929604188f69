"""URLs of credentials, projects, job templates, jobs and the smaller resources."""
from django.db.models import Q
from django.urls import re_path

from awxsim import models
from awxsim.api.resource import ListView, SubList
from awxsim.api.resources import credential_input_sources as input_sources
from awxsim.api.resources import credentials as creds
from awxsim.api.resources import execution_environments as ees
from awxsim.api.resources import instance_groups as igs
from awxsim.api.resources import job_output as output
from awxsim.api.resources import job_templates as jts
from awxsim.api.resources import jobs
from awxsim.api.resources import labels
from awxsim.api.resources import notifications
from awxsim.api.resources import placeholders
from awxsim.api.resources import project_updates as updates
from awxsim.api.resources import projects
from awxsim.api.resources.inventories import HOSTS, INVENTORIES, InventoryCopyView, check_input_inventory
from awxsim.api.resources.organizations import ORGANIZATIONS
from awxsim.api.routing import KEY, resource_urls, sublist_url


def _label_defaults(parent):
    return {}


urlpatterns = []
urlpatterns += resource_urls(creds.CREDENTIAL_TYPES)
urlpatterns += resource_urls(creds.CREDENTIALS)
urlpatterns += resource_urls(input_sources.CREDENTIAL_INPUT_SOURCES)
urlpatterns += resource_urls(projects.PROJECTS)
urlpatterns += resource_urls(updates.PROJECT_UPDATES, writable=False,
                             detail_methods=["get", "delete", "head", "options"])
urlpatterns += resource_urls(jts.JOB_TEMPLATES)
urlpatterns += resource_urls(jobs.JOBS, writable=False,
                             detail_methods=["get", "delete", "head", "options"])
urlpatterns += resource_urls(output.JOB_EVENTS, writable=False)
urlpatterns += resource_urls(output.JOB_HOST_SUMMARIES, writable=False)
urlpatterns += resource_urls(labels.LABELS,
                             detail_methods=["get", "put", "patch", "head", "options"])
urlpatterns += resource_urls(ees.EXECUTION_ENVIRONMENTS)
urlpatterns += resource_urls(igs.INSTANCE_GROUPS, writable=False)

urlpatterns += [
    re_path(r"^api/v2/projects/%s/playbooks/$" % KEY, projects.PlaybooksView.as_view()),
    re_path(r"^api/v2/projects/%s/inventories/$" % KEY, projects.InventoryFilesView.as_view()),
    re_path(r"^api/v2/projects/%s/copy/$" % KEY, projects.ProjectCopyView.as_view()),
    re_path(r"^api/v2/projects/%s/update/$" % KEY, updates.ProjectUpdateView.as_view()),
    re_path(r"^api/v2/projects/%s/scm_inventory_sources/$" % KEY, placeholders.EmptyListView.as_view(
        options_name="inventory_sources", http_method_names=["get", "head", "options"])),
    re_path(r"^api/v2/project_updates/%s/cancel/$" % KEY, updates.ProjectUpdateCancelView.as_view()),
    re_path(r"^api/v2/project_updates/%s/stdout/$" % KEY, updates.ProjectUpdateStdoutView.as_view()),
    re_path(r"^api/v2/project_updates/%s/events/$" % KEY, updates.ProjectUpdateEventsView.as_view()),
    sublist_url(projects.PROJECTS, SubList("project_updates", updates.PROJECT_UPDATES,
                                           lambda p: Q(project=p)), writable=False),
    re_path(r"^api/v2/job_templates/%s/launch/$" % KEY, jts.LaunchView.as_view()),
    re_path(r"^api/v2/job_templates/%s/survey_spec/$" % KEY, jts.SurveySpecView.as_view()),
    re_path(r"^api/v2/job_templates/%s/webhook_key/$" % KEY, jts.WebhookKeyView.as_view()),
    re_path(r"^api/v2/job_templates/%s/copy/$" % KEY, jts.JobTemplateCopyView.as_view()),
    re_path(r"^api/v2/jobs/%s/cancel/$" % KEY, jobs.CancelView.as_view()),
    re_path(r"^api/v2/jobs/%s/relaunch/$" % KEY, jobs.RelaunchView.as_view()),
    re_path(r"^api/v2/jobs/%s/stdout/$" % KEY, output.StdoutView.as_view()),
    re_path(r"^api/v2/instances/$", igs.InstancesView.as_view()),
    sublist_url(creds.CREDENTIALS, SubList("input_sources", input_sources.CREDENTIAL_INPUT_SOURCES,
                                           lambda c: Q(target_credential=c),
                                           defaults=lambda c: {"target_credential": c.id})),
    sublist_url(creds.CREDENTIAL_TYPES, SubList("credentials", creds.CREDENTIALS,
                                                lambda t: Q(credential_type=t)), writable=False),
    sublist_url(projects.PROJECTS, SubList("job_templates", jts.JOB_TEMPLATES,
                                           lambda p: Q(project=p)), writable=False),
    sublist_url(jts.JOB_TEMPLATES, SubList("jobs", jobs.JOBS, lambda t: Q(job_template=t)),
                writable=False),
    sublist_url(jts.JOB_TEMPLATES, SubList("credentials", creds.CREDENTIALS,
                                           lambda t: Q(job_templates=t), m2m="credentials",
                                           creatable=False,
                                           on_associate=jts.check_credential_association)),
    sublist_url(jts.JOB_TEMPLATES, SubList("labels", labels.LABELS, lambda t: Q(job_templates=t),
                                           m2m="labels", defaults=_label_defaults,
                                           find_existing=labels.existing_label,
                                           on_disassociate=labels.delete_if_unused)),
    sublist_url(jts.JOB_TEMPLATES, SubList("instance_groups", igs.INSTANCE_GROUPS,
                                           through=models.JobTemplateInstanceGroup,
                                           creatable=False)),
    sublist_url(ORGANIZATIONS, SubList("instance_groups", igs.INSTANCE_GROUPS,
                                       through=models.OrganizationInstanceGroup,
                                       creatable=False)),
    sublist_url(ORGANIZATIONS, SubList("galaxy_credentials", creds.CREDENTIALS,
                                       through=models.OrganizationGalaxyCredential,
                                       creatable=False, on_associate=creds.check_galaxy)),
    sublist_url(INVENTORIES, SubList("instance_groups", igs.INSTANCE_GROUPS,
                                     through=models.InventoryInstanceGroup, creatable=False)),
    sublist_url(INVENTORIES, SubList("input_inventories", INVENTORIES,
                                     through=models.InventoryInput, creatable=False,
                                     on_associate=check_input_inventory)),
    re_path(r"^api/v2/inventories/%s/copy/$" % KEY, InventoryCopyView.as_view()),
    sublist_url(ORGANIZATIONS, SubList("notification_templates", notifications.NOTIFICATION_TEMPLATES,
                                       lambda o: Q(organization=o),
                                       defaults=lambda o: {"organization": o.id})),
    sublist_url(jobs.JOBS, SubList("job_events", output.JOB_EVENTS, lambda j: Q(job=j)),
                writable=False),
    sublist_url(ORGANIZATIONS, SubList("projects", projects.PROJECTS, lambda o: Q(organization=o),
                                       defaults=lambda o: {"organization": o.id})),
    sublist_url(ORGANIZATIONS, SubList("credentials", creds.CREDENTIALS,
                                       lambda o: Q(organization=o),
                                       defaults=lambda o: {"organization": o.id})),
    sublist_url(ORGANIZATIONS, SubList("job_templates", jts.JOB_TEMPLATES,
                                       lambda o: Q(organization=o)), writable=False),
    sublist_url(ORGANIZATIONS, SubList("execution_environments", ees.EXECUTION_ENVIRONMENTS,
                                       lambda o: Q(organization=o),
                                       defaults=lambda o: {"organization": o.id})),
    sublist_url(HOSTS, SubList("job_host_summaries", output.JOB_HOST_SUMMARIES,
                               lambda h: Q(host=h)), writable=False),
    sublist_url(HOSTS, SubList("job_events", output.JOB_EVENTS, lambda h: Q(host=h)),
                writable=False),
    sublist_url(INVENTORIES, SubList("job_templates", jts.JOB_TEMPLATES,
                                     lambda i: Q(inventory=i)), writable=False),
    sublist_url(jobs.JOBS, SubList("job_host_summaries", output.JOB_HOST_SUMMARIES,
                                   lambda j: Q(job=j)), writable=False),
    sublist_url(jobs.JOBS, SubList("credentials", creds.CREDENTIALS, lambda j: Q(jobs=j)),
                writable=False),
    sublist_url(jobs.JOBS, SubList("labels", labels.LABELS, lambda j: Q(jobs=j)), writable=False),
    re_path(r"^api/v2/unified_jobs/$", ListView.as_view(
        resource=jobs.JOBS, options_name="jobs", http_method_names=["get", "head", "options"])),
]


def _notification_filter(kind):
    return lambda org: Q(**{"organizations_" + kind: org})


for _kind in ("started", "success", "error", "approvals"):
    urlpatterns.append(sublist_url(ORGANIZATIONS, SubList(
        "notification_templates_" + _kind, notifications.NOTIFICATION_TEMPLATES,
        _notification_filter(_kind), m2m="notification_templates_" + _kind, creatable=False)))

urlpatterns += resource_urls(notifications.NOTIFICATION_TEMPLATES)

for _name in ("inventory_updates", "workflow_jobs", "workflow_job_templates",
              "schedules", "inventory_sources", "ad_hoc_commands",
              "system_job_templates", "system_jobs", "workflow_job_template_nodes",
              "workflow_job_nodes", "workflow_approvals", "unified_job_templates",
              "activity_stream", "applications"):
    urlpatterns += [
        re_path(r"^api/v2/%s/$" % _name, placeholders.EmptyListView.as_view(
            options_name=_name, http_method_names=["get", "head", "options"])),
        re_path(r"^api/v2/%s/%s/$" % (_name, KEY), placeholders.EmptyDetailView.as_view(
            http_method_names=["get", "head", "options"])),
    ]
