"""The one policy, checked against the walk's hand-written oracle for every persona and action:
`restrict` (which objects) and `allowed` (this object) must both say exactly what the oracle
says, so a list and a page can never disagree."""

from __future__ import annotations

import pytest
from django.apps import apps
from tests.walk.handbook import world_correction, world_documents, world_posts
from tests.walk.oracle import ACTIONS, ALL_MEMBERS, PERSONAS
from tests.walk.procedures import world_procedures
from tests.walk.targets import world_targets

from dangvien.accounts.access import (
    POLICY,
    UnknownAction,
    allowed,
    allowed_anywhere,
    allowed_everywhere,
    restrict,
)
from dangvien.orgs.models import Organization

CASES = [(label, action, persona) for (label, action) in ACTIONS for persona in PERSONAS]


def _orgs(world) -> dict[str, object]:
    return {
        "province": world.province,
        "upper1": world.upper1,
        "upper2": world.upper2,
        "grassroots1": world.grassroots1,
        "grassroots2": world.grassroots2,
        "cell_a": world.cell_a,
        "cell_b": world.cell_b,
        "cell_c": world.cell_c,
    }


def _world_objects(world, label: str) -> dict[str, object]:
    if label == "orgs.organization":
        return _orgs(world)
    if label == "handbook.post":
        return world_posts(world)
    if label == "handbook.document":
        return world_documents(world)
    if label == "handbook.correctionrequest":
        return {"a1_correction": world_correction(world)}
    if label == "procedures.admissiontarget":
        return world_targets(world)
    if label.startswith("procedures."):
        return world_procedures(world)[label]
    return {name: getattr(world, name) for name in ALL_MEMBERS}


def test_the_oracle_names_every_action_of_the_policy():
    assert set(POLICY) == set(ACTIONS)


@pytest.mark.parametrize(("label", "action", "persona"), CASES)
def test_restrict_reaches_exactly_what_the_oracle_says(world, label, action, persona):
    objects = _world_objects(world, label)
    by_pk = {obj.pk: name for name, obj in objects.items()}
    model = apps.get_model(label)
    reached = restrict(model.objects.all(), world.users[persona], action)
    assert {by_pk[pk] for pk in reached.values_list("pk", flat=True)} == ACTIONS[(label, action)][
        persona
    ]


@pytest.mark.parametrize(("label", "action", "persona"), CASES)
def test_allowed_agrees_with_the_oracle_object_by_object(world, label, action, persona):
    user = world.users[persona]
    expected = ACTIONS[(label, action)][persona]
    for name, obj in _world_objects(world, label).items():
        assert allowed(user, action, obj) is (name in expected), name
    if label in {"orgs.organization", "members.member"}:
        # The world holds every node and record; a handbook object may be reachable nowhere
        # in it while its node is reachable (a secretary's cell has no notice).
        model = apps.get_model(label)
        assert allowed_anywhere(user, model, action) is bool(expected)


def test_only_the_administrator_and_province_reach_everywhere(world):
    everywhere = {
        persona
        for persona in PERSONAS
        if allowed_everywhere(world.users[persona], "members.member", "view")
    }
    assert everywhere == {"admin"}  # the province role is bound to its node, not the installation


def test_an_action_the_policy_does_not_name_is_an_error_not_an_allow(world):
    with pytest.raises(UnknownAction):
        allowed(world.users["admin"], "vote", world.a1)


def test_a_dissolved_node_can_no_longer_be_published_for(world):
    Organization.objects.filter(pk=world.cell_b.pk).update(dissolved_on="2020-01-01")
    cell_b = Organization.objects.get(pk=world.cell_b.pk)
    assert not allowed(world.users["province"], "publish", cell_b)
    published = restrict(Organization.objects.all(), world.users["province"], "publish")
    assert cell_b.pk not in set(published.values_list("pk", flat=True))


def test_the_policys_party_statuses_are_the_members_app_s():
    from dangvien.accounts.access import IN_PARTY_STATUSES
    from dangvien.members.models import IN_PARTY

    assert set(IN_PARTY_STATUSES) == {str(status) for status in IN_PARTY}


def test_a_member_who_left_can_no_longer_be_activated_in_a_list_or_alone(world):
    from dangvien.members.models import Member, Status

    Member.objects.filter(pk=world.a2.pk).update(status=Status.DECEASED)
    a2 = Member.objects.get(pk=world.a2.pk)
    secretary = world.users["secretary"]
    assert not allowed(secretary, "activate", a2)
    activatable = restrict(Member.objects.all(), secretary, "activate")
    assert set(activatable.values_list("pk", flat=True)) == {world.a1.pk}
