"""ensure() through the real Client and the fake AWX behind ``responses``."""
import copy

import pytest
import requests
import responses
from urllib3.exceptions import ProtocolError

from ansible_collections.gitops.awx.plugins.module_utils._client import Client
from ansible_collections.gitops.awx.plugins.module_utils._errors import (
    ConfigurationError,
    ResourceError,
    ServerError,
    ValidationError,
)
from ansible_collections.gitops.awx.plugins.module_utils._options import settings_from_options
from ansible_collections.gitops.awx.plugins.module_utils._resource import ensure
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    Field,
    Hooks,
    Ignored,
    Reference,
    ReferenceList,
    ResourceSpec,
    Secret,
    Variables,
)
from tests.unit.modules.fake_awx import HOST, FakeAWX

HOSTS = ResourceSpec(resource="host", endpoint="hosts/", identity=("name", "inventory"), fields=[
    Field("name", required=True),
    Reference("inventory", endpoint="inventories/", scope=("organization",), required=True),
    Field("organization", type="raw", api=False),
    Field("description"),
    Field("enabled", type="bool"),
    Variables("variables"),
])

ORGS = ResourceSpec(resource="organization", endpoint="organizations/", fields=[
    Field("name", required=True),
    Field("description"),
    Field("max_hosts", type="int"),
    Ignored("custom_virtualenv", "not used any more"),
    ReferenceList("instance_groups", endpoint="instance_groups/", resource="instance group"),
    ReferenceList("galaxy_credentials", endpoint="credentials/", ordered=True),
])


def params(spec, **given):
    values = dict((name, None) for name in spec.argument_spec())
    values["state"] = "present"
    values.update(given)
    return values


@pytest.fixture
def awx():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake = FakeAWX(rsps)
        fake.org = fake.add("organizations", name="Default")
        fake.other_org = fake.add("organizations", name="Other")
        fake.inv = fake.add("inventories", name="prod", organization=fake.org)
        yield fake


@pytest.fixture
def client():
    sleeps = []
    client = Client(settings_from_options({"controller_host": HOST, "controller_oauthtoken": "t",
                                           "max_retries": 2}), sleep=sleeps.append)
    client.sleeps = sleeps
    yield client
    client.close()


def run(client, spec, check_mode=False, **given):
    return ensure(client, spec, params(spec, **given), check_mode=check_mode)


def test_create_sends_one_post_and_returns_the_write_answer(awx, client):
    outcome = run(client, HOSTS, name="web1", inventory="prod", organization="Default",
                  enabled=False, variables="a: 1")
    assert outcome.changed
    assert outcome.before == {}
    assert outcome.after == {"name": "web1", "inventory": awx.inv, "enabled": False,
                             "variables": {"a": 1}}
    assert outcome.object["id"] is not None and outcome.object["url"].startswith("/api/v2/hosts/")
    [post] = awx.writes
    assert post[3] == {"name": "web1", "inventory": awx.inv, "enabled": False, "variables": "a: 1"}
    # No GET after the POST: the answer is the object.
    assert awx.calls[-1][0] == "POST"


def test_update_sends_only_changed_keys_in_one_patch(awx, client):
    awx.add("hosts", name="web1", inventory=awx.inv, description="d", variables='{"a": 1}')
    outcome = run(client, HOSTS, name="web1", inventory="prod", description="d",
                  enabled=False, variables={"a": 1})
    assert outcome.changed
    assert outcome.changed_fields == ["enabled"]
    [patch] = awx.writes
    assert patch[0] == "PATCH" and patch[3] == {"enabled": False}
    assert outcome.before["enabled"] is True and outcome.after["enabled"] is False
    assert outcome.object["enabled"] is False


def test_no_op_sends_no_write_and_before_equals_after(awx, client):
    awx.add("hosts", name="web1", inventory=awx.inv, variables="a: 1\nb: [x]")
    outcome = run(client, HOSTS, name="web1", inventory="prod", variables='{"b": ["x"], "a": 1}')
    assert not outcome.changed
    assert outcome.before == outcome.after
    assert awx.writes == []
    assert client.request_count == 1  # the find alone: its answer confirms the API root (no discovery)


@pytest.mark.parametrize("given", [
    {"enabled": False},
    {"variables": {"a": 2}},
    {"description": "new", "new_name": "web2"},
])
def test_check_mode_predicts_the_same_outcome_as_a_real_run(awx, client, given):
    awx.add("hosts", name="web1", inventory=awx.inv, variables="a: 1")
    saved = copy.deepcopy(awx.data)
    predicted = run(client, HOSTS, check_mode=True, name="web1", inventory="prod", **given)
    assert awx.writes == []
    awx.data = saved
    real = run(client, HOSTS, name="web1", inventory="prod", **given)
    assert predicted.changed and real.changed
    assert predicted.diff == real.diff
    assert predicted.changed_fields == real.changed_fields
    for key in real.after:
        assert predicted.object.get(key) == real.object.get(key), key


def test_check_mode_create_predicts_an_object_without_id(awx, client):
    outcome = run(client, HOSTS, check_mode=True, name="web9", inventory="prod", enabled=True)
    assert outcome.changed and outcome.object["id"] is None
    assert outcome.after == {"name": "web9", "inventory": awx.inv, "enabled": True}
    assert awx.writes == []


def test_unknown_reference_fails_before_any_write(awx, client):
    with pytest.raises(ResourceError) as info:
        run(client, HOSTS, name="web1", inventory="prod", organization="Other")
    assert str(info.value) == "inventory 'prod' not found in organization 'Other'"
    assert awx.writes == []


def test_invalid_variables_fail_before_any_request(awx, client):
    with pytest.raises(ResourceError, match="^variables: invalid YAML"):
        run(client, HOSTS, name="web1", inventory="prod", variables="a: [x")
    assert awx.calls == []


def test_ambiguous_inventory_name_lists_candidates(awx, client):
    other_inv = awx.add("inventories", name="prod", organization=awx.other_org)
    awx.add("hosts", name="web1", inventory=awx.inv)
    awx.add("hosts", name="web1", inventory=other_inv)
    with pytest.raises(ResourceError) as info:
        run(client, HOSTS, name="web1", inventory="prod", enabled=False)
    message = str(info.value)
    assert message.startswith("host 'web1' in inventory 'prod' is ambiguous: 2 matches")
    assert "inventory 'prod' id %d" % awx.inv in message
    assert "inventory 'prod' id %d" % other_inv in message
    assert awx.writes == []
    # Narrowed by organization it is found.
    assert not run(client, HOSTS, name="web1", inventory="prod", organization="Other").changed


def test_ambiguous_reference_on_create_lists_candidates(awx, client):
    other = awx.add("inventories", name="prod", organization=awx.other_org)
    with pytest.raises(ResourceError, match=r"^inventory 'prod' is ambiguous: 2 matches: prod \(id") as info:
        run(client, HOSTS, name="new", inventory="prod")
    assert "prod (id %d, organization 'Default')" % awx.inv in str(info.value)
    assert "prod (id %d, organization 'Other')" % other in str(info.value)
    assert awx.writes == []


def test_reference_by_id_named_url_and_numeric_name(awx, client):
    numeric = awx.add("inventories", name="2024", organization=awx.org)
    by_id = run(client, HOSTS, name="a", inventory=awx.inv)
    by_url = run(client, HOSTS, name="b", inventory="prod++Default")
    by_numeric_name = run(client, HOSTS, name="c", inventory="2024")
    by_numeric_id = run(client, HOSTS, name="d", inventory=str(awx.inv))
    assert by_id.object["inventory"] == awx.inv
    assert by_url.object["inventory"] == awx.inv
    assert by_numeric_name.object["inventory"] == numeric
    assert by_numeric_id.object["inventory"] == awx.inv
    with pytest.raises(ResourceError, match="^inventory with id 999 not found"):
        run(client, HOSTS, name="e", inventory=999)
    with pytest.raises(ResourceError, match=r"^inventory 'nope\+\+Default' not found"):
        run(client, HOSTS, name="e", inventory="nope++Default")


def test_bad_reference_type_is_a_configuration_error(awx, client):
    with pytest.raises(ConfigurationError, match="^inventory: expected a name"):
        run(client, HOSTS, name="x", inventory=["prod"])


def test_absent_deletes_and_a_missing_object_is_fine(awx, client):
    host = awx.add("hosts", name="web1", inventory=awx.inv, variables="a: 1")
    outcome = run(client, HOSTS, name="web1", inventory="prod", state="absent")
    assert outcome.changed and outcome.after == {}
    assert outcome.before["name"] == "web1" and outcome.before["variables"] == {"a": 1}
    assert awx.get("hosts", host) is None
    again = run(client, HOSTS, name="web1", inventory="prod", state="absent")
    assert not again.changed and again.before == {} and again.object is None


def test_absent_in_check_mode_predicts_the_delete(awx, client):
    awx.add("hosts", name="web1", inventory=awx.inv)
    outcome = run(client, HOSTS, check_mode=True, name="web1", inventory="prod", state="absent")
    assert outcome.changed and outcome.after == {} and awx.writes == []


def test_delete_answered_404_means_already_gone(awx, client):
    awx.add("hosts", name="web1", inventory=awx.inv)
    awx.fail_next("DELETE", "/api/v2/hosts/", 404)
    outcome = run(client, HOSTS, name="web1", inventory="prod", state="absent")
    assert not outcome.changed


def test_exists_creates_but_never_updates(awx, client):
    awx.add("hosts", name="web1", inventory=awx.inv, enabled=True)
    outcome = run(client, HOSTS, name="web1", inventory="prod", enabled=False, state="exists")
    assert not outcome.changed and awx.writes == []
    created = run(client, HOSTS, name="web2", inventory="prod", enabled=False, state="exists")
    assert created.changed and created.object["enabled"] is False


def test_rename_is_idempotent(awx, client):
    host = awx.add("hosts", name="old", inventory=awx.inv)
    first = run(client, HOSTS, name="old", new_name="new", inventory="prod")
    assert first.changed and first.before["name"] == "old" and first.after["name"] == "new"
    assert awx.get("hosts", host)["name"] == "new"
    second = run(client, HOSTS, name="old", new_name="new", inventory="prod")
    assert not second.changed
    created = run(client, HOSTS, name="gone", new_name="fresh", inventory="prod")
    assert created.changed and created.object["name"] == "fresh"


def posts(awx):
    return [c for c in awx.calls if c[0] == "POST"]


def dropped():
    """The connection closed after the request was written: AWX may have applied it."""
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104, "reset")))


@pytest.mark.parametrize("lost", [
    502, 503, 504,
    dropped(),
    requests.exceptions.ReadTimeout("read timed out"),
], ids=["502", "503", "504", "dropped", "read-timeout"])
def test_create_whose_answer_was_lost_is_found_not_sent_twice(awx, client, lost):
    awx.fail_next("POST", "/api/v2/hosts/", lost, after_applying=True)
    outcome = run(client, HOSTS, name="web1", inventory="prod", enabled=False)
    assert outcome.changed and outcome.before == {}
    assert outcome.after == {"name": "web1", "inventory": awx.inv, "enabled": False}
    assert outcome.object["name"] == "web1"
    assert len(awx.find("hosts", name="web1")) == 1
    assert len(posts(awx)) == 1
    assert awx.writes == posts(awx)  # found as created: nothing to PATCH
    assert client.recovered_count == 1 and client.retry_count == 1


@pytest.mark.parametrize("lost", [503, 504, dropped()], ids=["503", "504", "dropped"])
def test_create_not_applied_is_re_found_then_sent_again(awx, client, lost):
    awx.fail_next("POST", "/api/v2/hosts/", lost)
    outcome = run(client, HOSTS, name="web1", inventory="prod")
    assert outcome.changed and len(awx.find("hosts", name="web1")) == 1
    assert len(posts(awx)) == 2
    # find, then the re-find between the two POSTs
    assert [c[0] for c in awx.calls if c[1] == "/api/v2/hosts/"] == ["GET", "POST", "GET", "POST"]
    assert client.recovered_count == 0 and client.retry_count == 1


def test_create_retries_follow_the_client_policy(awx, client):
    for _attempt in range(3):
        awx.fail_next("POST", "/api/v2/hosts/", 504)
    with pytest.raises(ServerError) as info:
        run(client, HOSTS, name="web1", inventory="prod")
    assert "POST /api/v2/hosts/ returned 504" in str(info.value)
    # max_retries=2: three POSTs, each followed by a re-find (the last one before giving up)
    assert len(posts(awx)) == 3
    assert [c[0] for c in awx.calls if c[1] == "/api/v2/hosts/"] == ["GET"] + ["POST", "GET"] * 3
    assert len(client.sleeps) == 2
    assert awx.find("hosts", name="web1") == []


def test_create_applied_on_the_last_attempt_is_found_before_giving_up(awx, client):
    awx.fail_next("POST", "/api/v2/hosts/", 504)
    awx.fail_next("POST", "/api/v2/hosts/", 504)
    awx.fail_next("POST", "/api/v2/hosts/", 504, after_applying=True)
    outcome = run(client, HOSTS, name="web1", inventory="prod")
    assert outcome.changed and len(awx.find("hosts", name="web1")) == 1
    assert len(posts(awx)) == 3


def test_create_found_with_other_values_is_brought_to_the_desired_ones(awx, client):
    """The answer was lost and the re-find found a twin made by someone else
    (our POST never landed): it is ours now, so what differs is PATCHed."""
    awx.fail_next("POST", "/api/v2/hosts/", 502)
    awx.before_next("GET", "/api/v2/hosts/", lambda: None)  # the first find sees nothing
    awx.before_next("GET", "/api/v2/hosts/",
                    lambda: awx.add("hosts", name="web1", inventory=awx.inv, enabled=True))
    outcome = run(client, HOSTS, name="web1", inventory="prod", enabled=False)
    assert outcome.changed and outcome.before == {}
    assert outcome.after["enabled"] is False
    assert [c[0] for c in awx.writes] == ["POST", "PATCH"]
    [host] = awx.find("hosts", name="web1")
    assert host["enabled"] is False


def test_create_refused_as_existing_converges_through_the_update_path(awx, client):
    """Another run created the host between our find and our POST: AWX answers
    400 "already exists"; the engine re-reads it and updates it instead."""
    awx.before_next("POST", "/api/v2/hosts/",
                    lambda: awx.add("hosts", name="web1", inventory=awx.inv, enabled=True,
                                    description="theirs"))
    outcome = run(client, HOSTS, name="web1", inventory="prod", enabled=False, description="theirs")
    assert outcome.changed
    assert outcome.before == {"name": "web1", "inventory": awx.inv, "enabled": True,
                              "description": "theirs"}
    assert outcome.after == {"name": "web1", "inventory": awx.inv, "enabled": False,
                             "description": "theirs"}
    assert outcome.changed_fields == ["enabled"]
    assert outcome.diff["before"]["enabled"] is True and outcome.diff["after"]["enabled"] is False
    assert [(c[0], c[3]) for c in awx.writes][1:] == [("PATCH", {"enabled": False})]
    assert len(awx.find("hosts", name="web1")) == 1


def test_create_refused_as_existing_and_equal_is_no_change(awx, client):
    awx.before_next("POST", "/api/v2/organizations/",
                    lambda: awx.add("organizations", name="Ops", description="d"))
    outcome = run(client, ORGS, name="Ops", description="d")
    assert not outcome.changed and outcome.before == outcome.after
    assert [c[0] for c in awx.writes] == ["POST"]
    assert len(awx.find("organizations", name="Ops")) == 1


def test_exists_refused_as_existing_is_no_change_and_no_update(awx, client):
    awx.before_next("POST", "/api/v2/hosts/",
                    lambda: awx.add("hosts", name="web1", inventory=awx.inv, enabled=True))
    outcome = run(client, HOSTS, name="web1", inventory="prod", enabled=False, state="exists")
    assert not outcome.changed and outcome.object["enabled"] is True
    assert [c[0] for c in awx.writes] == ["POST"]


def test_exists_whose_create_answer_was_lost_reports_the_create(awx, client):
    awx.fail_next("POST", "/api/v2/hosts/", 504, after_applying=True)
    outcome = run(client, HOSTS, name="web1", inventory="prod", enabled=False, state="exists")
    assert outcome.changed and outcome.before == {} and outcome.after["enabled"] is False
    assert [c[0] for c in awx.writes] == ["POST"]


def test_already_exists_that_cannot_be_found_is_raised(awx, client):
    """AWX said "exists" but the identity finds nothing: its message stands."""
    awx.add("hosts", name="web1", inventory=awx.inv)
    spec = ResourceSpec(resource="host", endpoint="hosts/", identity=("name", "inventory"),
                        fields=HOSTS.fields,
                        hooks=Hooks(is_gone=lambda obj: True))  # the find never sees it
    with pytest.raises(ValidationError) as info:
        run(client, spec, name="web1", inventory="prod")
    assert "Host with this Name and Inventory already exists." in str(info.value)
    assert len(posts(awx)) == 1


def test_delete_whose_answer_was_lost_is_a_change(awx, client):
    awx.add("hosts", name="web1", inventory=awx.inv)
    awx.fail_next("DELETE", "/api/v2/hosts/", 504, after_applying=True)
    outcome = run(client, HOSTS, name="web1", inventory="prod", state="absent")
    assert outcome.changed and outcome.before["name"] == "web1" and outcome.after == {}
    assert awx.find("hosts", name="web1") == []
    assert [c[0] for c in awx.writes] == ["DELETE", "DELETE"]
    assert client.recovered_count == 1


def test_patch_is_retried(awx, client):
    host = awx.add("hosts", name="web1", inventory=awx.inv, enabled=True)
    awx.fail_next("PATCH", "/api/v2/hosts/", 503)
    outcome = run(client, HOSTS, name="web1", inventory="prod", enabled=False)
    assert outcome.changed and awx.get("hosts", host)["enabled"] is False
    assert [c[0] for c in awx.writes] == ["PATCH", "PATCH"]


def test_association_is_retried(awx, client):
    group = awx.add("instance_groups", name="ig1")
    org = awx.add("organizations", name="Ops")
    awx.fail_next("POST", "/api/v2/organizations/%d/instance_groups/" % org, 502, after_applying=True)
    outcome = run(client, ORGS, name="Ops", instance_groups=["ig1"])
    assert outcome.changed
    assert awx.member_ids("organizations", org, "instance_groups") == [group]
    assert len(posts(awx)) == 2
    assert client.recovered_count == 0  # idempotent: simply sent again


def test_validation_errors_are_not_retried(awx, client):
    awx.fail_next("POST", "/api/v2/hosts/", 400)
    with pytest.raises(ValidationError):
        run(client, HOSTS, name="web1", inventory="prod")
    assert len([c for c in awx.calls if c[0] == "POST"]) == 1


def test_is_gone_hook_treats_listed_objects_as_absent(awx, client):
    spec = ResourceSpec(resource="inventory", endpoint="inventories/",
                        identity=("name", "organization"),
                        fields=[Field("name"), Reference("organization", endpoint="organizations/")],
                        hooks=Hooks(is_gone=lambda obj: obj.get("pending_deletion")))
    awx.add("inventories", name="dying", organization=awx.org, pending_deletion=True)
    outcome = run(client, spec, name="dying", organization="Default", state="absent")
    assert not outcome.changed and awx.writes == []


def test_prepare_payload_hook_can_adjust_writes(awx, client):
    def stamp(payload, given, current):
        payload["description"] = "managed: " + payload.get("description", "")
        return payload

    spec = ResourceSpec(resource="organization", endpoint="organizations/",
                        fields=[Field("name"), Field("description")],
                        hooks=Hooks(prepare_payload=stamp))
    outcome = run(client, spec, name="Stamped", description="x")
    assert outcome.object["description"] == "managed: x"


def test_ignored_option_only_warns(awx, client):
    outcome = run(client, ORGS, name="Default", custom_virtualenv="/venv")
    assert not outcome.changed
    assert outcome.warnings == ["custom_virtualenv is ignored: not used any more"]


def test_unordered_association_resolves_names_in_one_request(awx, client):
    ig = dict((n, awx.add("instance_groups", name=n)) for n in ("a", "b", "c"))
    awx.associate("organizations", awx.org, "instance_groups", [ig["a"], ig["b"]])
    outcome = run(client, ORGS, name="Default", instance_groups=["c", "a"])
    assert outcome.changed and outcome.changed_fields == ["instance_groups"]
    assert outcome.before == {"name": "Default", "instance_groups": ["a", "b"]}
    assert outcome.after == {"name": "Default", "instance_groups": ["a", "c"]}
    assert sorted(awx.member_ids("organizations", awx.org, "instance_groups")) == [ig["a"], ig["c"]]
    lookups = [c for c in awx.calls if c[0] == "GET" and c[1] == "/api/v2/instance_groups/"]
    assert len(lookups) == 1 and lookups[0][2]["name__in"] == "a,c"
    awx.calls.clear()
    again = run(client, ORGS, name="Default", instance_groups=["a", "c"])
    assert not again.changed and awx.writes == []


def test_ordered_association_reorders(awx, client):
    creds = [awx.add("credentials", name=n) for n in ("g1", "g2")]
    awx.associate("organizations", awx.org, "galaxy_credentials", creds)
    outcome = run(client, ORGS, name="Default", galaxy_credentials=["g2", "g1"])
    assert outcome.changed
    assert outcome.before["galaxy_credentials"] == ["g1", "g2"]
    assert outcome.after["galaxy_credentials"] == ["g2", "g1"]
    assert awx.member_ids("organizations", awx.org, "galaxy_credentials") == [creds[1], creds[0]]


def test_unknown_association_members_fail_together_before_any_write(awx, client):
    awx.add("instance_groups", name="a")
    with pytest.raises(ResourceError, match="^instance group not found: 'x', 'y'$"):
        run(client, ORGS, name="Default", instance_groups=["a", "x", "y"])
    assert awx.writes == []


def test_association_members_given_by_id(awx, client):
    ig = awx.add("instance_groups", name="a")
    outcome = run(client, ORGS, name="Default", instance_groups=[ig])
    assert outcome.changed and outcome.after["instance_groups"] == ["a"]
    with pytest.raises(ResourceError, match="not found: '4242'"):
        run(client, ORGS, name="Default", instance_groups=[4242])


def test_create_with_associations_in_check_mode_sends_nothing(awx, client):
    awx.add("instance_groups", name="a")
    outcome = run(client, ORGS, check_mode=True, name="New", instance_groups=["a"])
    assert outcome.changed and outcome.after == {"name": "New", "instance_groups": ["a"]}
    assert awx.writes == []


def test_unsupported_state_is_refused(awx, client):
    spec = ResourceSpec(resource="x", endpoint="organizations/", fields=[Field("name")],
                        states=("present",))
    with pytest.raises(ResourceError, match="state 'absent' is not supported for x"):
        run(client, spec, name="a", state="absent")


USERS = ResourceSpec(resource="user", endpoint="users/", identity=("username",), fields=[
    Field("username", required=True),
    Field("email"),
    Secret("password"),
])


def test_secrets_are_sent_per_update_secrets_and_never_shown(awx, client):
    created = run(client, USERS, username="ann", password="first-secret", update_secrets=True)
    assert created.after == {"username": "ann", "password": "******** (new value)"}
    assert created.object["password"] == "$encrypted$"
    assert awx.find("users", username="ann")[0]["password"] == "first-secret"
    kept = run(client, USERS, username="ann", password="other-secret", update_secrets=False)
    assert not kept.changed and kept.after["password"] == "********"
    updated = run(client, USERS, username="ann", password="second-secret", update_secrets=True,
                  email="ann@example.com")
    assert updated.changed and updated.changed_fields == ["email", "password"]
    assert updated.before["password"] == "********"
    assert updated.after["password"] == "******** (new value)"
    assert awx.find("users", username="ann")[0]["password"] == "second-secret"
    for outcome in (created, kept, updated):
        assert "secret" not in repr(outcome.diff)


def test_reference_lists_batch_long_name_lists_and_names_with_commas(awx, client):
    names = ["group-with-a-long-name-%03d" % i for i in range(300)] + ["a,b"]
    ids = dict((n, awx.add("instance_groups", name=n)) for n in names)
    outcome = run(client, ORGS, name="Default", instance_groups=names)
    assert outcome.changed
    assert sorted(awx.member_ids("organizations", awx.org, "instance_groups")) == sorted(ids.values())
    lookups = [c[2] for c in awx.calls if c[0] == "GET" and c[1] == "/api/v2/instance_groups/"]
    in_lookups = [q["name__in"] for q in lookups if "name__in" in q]
    assert len(in_lookups) == 3 and all(len(v) <= 3000 for v in in_lookups)
    assert {"name": "a,b", "page_size": "200"} in lookups
