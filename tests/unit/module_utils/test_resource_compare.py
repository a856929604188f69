"""Pure compare/diff/prediction helpers of the engine."""
import itertools

from ansible_collections.gitops.awx.plugins.module_utils._compare import (
    association_view,
    changed_payload,
    create_payload,
    full_view,
    object_view,
    plan_association,
    predict_object,
)
from ansible_collections.gitops.awx.plugins.module_utils._spec import (
    Field,
    Reference,
    ReferenceList,
    ResourceSpec,
    Secret,
    Variables,
    WriteOnly,
)

SPEC = ResourceSpec(resource="thing", endpoint="things/", fields=[
    Field("name", required=True),
    Field("description"),
    Field("enabled", type="bool"),
    Field("count", type="int"),
    Reference("organization", endpoint="organizations/"),
    Variables("variables"),
    Secret("password"),
    WriteOnly("token"),
    ReferenceList("labels", endpoint="labels/"),
])

CURRENT = {"id": 7, "url": "/api/v2/things/7/", "name": "a", "description": "", "enabled": True,
           "count": 0, "organization": 1, "variables": "x: 1", "password": "$encrypted$"}


def test_only_changed_keys_are_sent_and_falsy_values_count():
    desired = {"name": "a", "description": "", "enabled": False, "count": 0, "organization": 1}
    assert changed_payload(SPEC, desired, CURRENT, {}) == {"enabled": False}


def test_reference_ids_compare_across_str_and_int():
    assert changed_payload(SPEC, {"organization": "1"}, CURRENT, {}) == {}
    assert changed_payload(SPEC, {"organization": 2}, CURRENT, {}) == {"organization": 2}


def test_variables_compare_as_data_and_send_the_users_text():
    assert changed_payload(SPEC, {"variables": {"x": 1}}, CURRENT, {"variables": {"x": 1}}) == {}
    payload = changed_payload(SPEC, {"variables": {"x": 2}}, CURRENT, {"variables": "x: 2  # two"})
    assert payload == {"variables": "x: 2  # two"}
    payload = changed_payload(SPEC, {"variables": {"x": 2}}, CURRENT, {"variables": {"x": 2}})
    assert payload == {"variables": '{"x": 2}'}


def test_secrets_follow_update_secrets():
    desired = {"password": "new"}
    assert changed_payload(SPEC, desired, CURRENT, {}, update_secrets=True) == {"password": "new"}
    assert changed_payload(SPEC, desired, CURRENT, {}, update_secrets=False) == {}
    unset = dict(CURRENT, password="")
    assert changed_payload(SPEC, desired, unset, {}, update_secrets=False) == {"password": "new"}
    # Giving back AWX's placeholder keeps the stored secret, whatever update_secrets says.
    assert changed_payload(SPEC, {"password": "$encrypted$"}, CURRENT, {}, update_secrets=True) == {}


def test_write_only_and_associations_are_never_compared_but_write_only_is_created():
    desired = {"name": "a", "token": "t", "labels": ["l1"]}
    assert changed_payload(SPEC, desired, CURRENT, {}) == {}
    assert create_payload(SPEC, desired, {}) == {"name": "a", "token": "t"}


def test_views_mask_secrets_and_mark_a_sent_one():
    names = ["name", "password", "variables"]
    assert object_view(SPEC, names, CURRENT) == {"name": "a", "password": "********",
                                                 "variables": {"x": 1}}
    after = object_view(SPEC, names, CURRENT, sent={"password": "new"})
    assert after["password"] == "******** (new value)"
    assert "new" not in str(full_view(SPEC, CURRENT))
    assert full_view(SPEC, CURRENT)["organization"] == 1


def test_prediction_applies_the_payload_and_creates_have_no_id():
    predicted = predict_object(CURRENT, {"enabled": False, "password": "$encrypted$"})
    assert predicted["enabled"] is False and predicted["id"] == 7
    assert CURRENT["enabled"] is True  # the current object is not modified
    created = predict_object(None, {"name": "b"})
    assert created == {"id": None, "url": None, "name": "b"}


def test_unordered_association_plan_ignores_order():
    field = ReferenceList("labels", endpoint="labels/")
    assert plan_association(field, [1, 2], [2, 1]) == []
    assert plan_association(field, [1, 2], [2, 3]) == [(1, True), (3, False)]
    assert plan_association(field, [1], []) == [(1, True)]
    assert association_view(field, [(2, "b"), (1, "a")]) == ["a", "b"]


def _apply_like_awx(current, operations):
    """AWX's ordered association: removing keeps the others in place, adding appends."""
    members = list(current)
    for member, disassociate in operations:
        if disassociate:
            members.remove(member)
        else:
            assert member not in members
            members.append(member)
    return members


def test_ordered_association_plan_keeps_what_is_already_in_order():
    field = ReferenceList("galaxy_credentials", endpoint="credentials/", ordered=True)
    assert plan_association(field, [1, 2], [1, 2]) == []
    # 3 can stay after 1 once 2 is gone; 2 goes back at the end.
    assert plan_association(field, [1, 2, 3], [1, 3, 2]) == [(2, True), (2, False)]
    assert plan_association(field, [1, 2, 3], [1, 3]) == [(2, True)]
    assert plan_association(field, [2, 1], [1, 2]) == [(2, True), (2, False)]
    assert plan_association(field, [1], [1, 4]) == [(4, False)]
    assert plan_association(field, [1, 2], []) == [(1, True), (2, True)]
    assert association_view(field, [(2, "b"), (1, "a")]) == ["b", "a"]


def _lists(items, longest):
    return list(itertools.chain.from_iterable(
        itertools.permutations(items, n) for n in range(longest + 1)))


def test_ordered_plan_reaches_the_desired_order_with_the_fewest_writes():
    field = ReferenceList("instance_groups", endpoint="instance_groups/", ordered=True)
    for current in _lists(range(1, 5), 3):
        for desired in _lists(range(1, 5), 3):
            operations = plan_association(field, list(current), list(desired))
            assert _apply_like_awx(current, operations) == list(desired), (current, desired)
            # The fewest writes: keep the longest head of desired found in order in current
            # (here by brute force over every head).
            best = max(k for k in range(len(desired) + 1)
                       if _is_subsequence(desired[:k], current))
            assert len(operations) == len(current) + len(desired) - 2 * best, (current, desired)


def _is_subsequence(short, long_):
    position = iter(long_)
    return all(any(item == other for other in position) for item in short)
