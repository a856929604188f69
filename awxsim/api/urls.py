"""URL map: every endpoint the simulator serves, built from the resource descriptions."""
from django.http import JsonResponse
from django.urls import re_path

from awxsim.api.resource import DetailView, SubList
from awxsim.api.resources import inventories as inv
from awxsim.api.resources import organizations as core
from awxsim.api.resources.inventory_script import InventoryScriptView
from awxsim.api.resources.system import (ApiRootView, ConfigView, PingView, V2RootView, SettingsView,
                                         SettingsListView)
from awxsim.api.routing import KEY, resource_urls, sublist_url

urlpatterns = [
    re_path(r"^api/$", ApiRootView.as_view()),
    re_path(r"^api/v2/$", V2RootView.as_view()),
    re_path(r"^api/v2/ping/$", PingView.as_view()),
    re_path(r"^api/v2/config/$", ConfigView.as_view()),
    re_path(r"^api/v2/me/$", core.MeView.as_view()),
    re_path(r"^api/v2/settings/$", SettingsListView.as_view()),
    re_path(r"^api/v2/settings/(?P<category>[a-z_-]+)/$", SettingsView.as_view()),
    re_path(r"^api/v2/tokens/$", core.TokenListView.as_view()),
    re_path(r"^api/v2/tokens/%s/$" % KEY,
            DetailView.as_view(resource=core.TOKENS, options_name="tokens")),
    re_path(r"^api/v2/users/%s/personal_tokens/$" % KEY, core.PersonalTokensView.as_view()),
    re_path(r"^api/v2/users/%s/tokens/$" % KEY, core.PersonalTokensView.as_view()),
    re_path(r"^api/v2/bulk/$", inv.BulkRootView.as_view()),
    re_path(r"^api/v2/bulk/host_create/$", inv.BulkHostCreateView.as_view()),
    re_path(r"^api/v2/bulk/host_delete/$", inv.BulkHostDeleteView.as_view()),
    re_path(r"^api/v2/inventories/%s/script/$" % KEY, InventoryScriptView.as_view()),
]

urlpatterns += resource_urls(core.ORGANIZATIONS)
urlpatterns += resource_urls(core.USERS)
urlpatterns += resource_urls(core.TEAMS)
urlpatterns += resource_urls(inv.INVENTORIES)
urlpatterns += resource_urls(inv.HOSTS)
urlpatterns += resource_urls(inv.GROUPS)

urlpatterns += [
    sublist_url(core.ORGANIZATIONS, SubList("admins", core.USERS,
                                            lambda o: _q(admin_of_organizations=o),
                                            m2m="admins", creatable=False)),
    sublist_url(core.ORGANIZATIONS, SubList("users", core.USERS,
                                            lambda o: _q(organizations=o),
                                            m2m="users", creatable=False)),
    sublist_url(core.ORGANIZATIONS, SubList("inventories", inv.INVENTORIES,
                                            lambda o: _q(organization=o),
                                            defaults=lambda o: {"organization": o.id})),
    sublist_url(core.ORGANIZATIONS, SubList("teams", core.TEAMS,
                                            lambda o: _q(organization=o),
                                            defaults=lambda o: {"organization": o.id})),
    sublist_url(core.USERS, SubList("organizations", core.ORGANIZATIONS,
                                    lambda u: _q(users=u)), writable=False),
    sublist_url(core.USERS, SubList("admin_of_organizations", core.ORGANIZATIONS,
                                    lambda u: _q(admins=u)), writable=False),
    sublist_url(core.TEAMS, SubList("users", core.USERS, lambda t: _q(teams=t), m2m="users",
                                    creatable=False)),
    sublist_url(inv.INVENTORIES, SubList("hosts", inv.HOSTS, lambda i: _q(inventory=i),
                                         defaults=lambda i: {"inventory": i.id})),
    sublist_url(inv.INVENTORIES, SubList("groups", inv.GROUPS, lambda i: _q(inventory=i),
                                         defaults=lambda i: {"inventory": i.id})),
    sublist_url(inv.INVENTORIES, SubList("root_groups", inv.GROUPS, inv.root_groups_filter,
                                         defaults=lambda i: {"inventory": i.id})),
    sublist_url(inv.HOSTS, SubList("groups", inv.GROUPS, lambda h: _q(hosts=h)),
                writable=False),
    sublist_url(inv.HOSTS, SubList("all_groups", inv.GROUPS, inv.all_groups_filter),
                writable=False),
    sublist_url(inv.GROUPS, SubList("hosts", inv.HOSTS, lambda g: _q(groups=g), m2m="hosts",
                                    defaults=lambda g: {"inventory": g.inventory_id},
                                    on_associate=inv.check_host)),
    sublist_url(inv.GROUPS, SubList("children", inv.GROUPS, lambda g: _q(parents=g),
                                    m2m="children",
                                    defaults=lambda g: {"inventory": g.inventory_id},
                                    on_associate=inv.check_child)),
    sublist_url(inv.GROUPS, SubList("all_hosts", inv.HOSTS, inv.all_hosts_filter),
                writable=False),
]


def _q(**kwargs):
    from django.db.models import Q
    return Q(**kwargs)


def _extend():
    """Resources from the other modules register their URLs here (jobs, credentials, misc)."""
    from awxsim.api import urls_automation
    return urls_automation.urlpatterns


urlpatterns += _extend()


def not_found(request, exception=None):
    return JsonResponse({"detail": "The requested resource could not be found."}, status=404)


def server_error(request):
    return JsonResponse({"detail": "A server error has occurred."}, status=500)


handler404 = not_found
handler500 = server_error
