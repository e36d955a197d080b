"""The migrations that make every period end after it starts: an installation holding the empty
periods the services used to write migrates (they are deleted, nothing else), the reports'
triggers survive the table rebuilds, and going back restores the looser check."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from dangvien.core.db import triggers
from dangvien.members.models import Gender, Member, Membership, Status, StatusPeriod
from dangvien.orgs.models import Organization, OrgHistory, OrgLevel

BEFORE = [("members", "0013_quality_models_moved"), ("orgs", "0003_period_constraints")]
FOUNDED = dt.date(2015, 1, 1)
DAY = dt.date(2024, 5, 1)


def migrate(targets: list[tuple[str, str]]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def rows() -> tuple[list[tuple], ...]:
    return tuple(
        list(model.objects.order_by("pk").values_list("pk", "valid_from", "valid_to"))
        for model in (StatusPeriod, Membership, OrgHistory)
    )


def a_member_in_a_cell() -> Member:
    """Written directly, not by the services: their audit rows could not be flushed after a
    transactional test (the audit log refuses deletes)."""
    cell = Organization.objects.create(
        name="Chi bộ 1", level=OrgLevel.objects.get(code="cell"), path="0001", founded_on=FOUNDED
    )
    OrgHistory.objects.create(
        org=cell, name=cell.name, level=cell.level, path=cell.path, valid_from=FOUNDED
    )
    member = Member.objects.create(
        full_name="Nguyễn Văn An",
        gender=Gender.MALE,
        date_of_birth=dt.date(1980, 5, 17),
        admission_date=FOUNDED,
        status=Status.OFFICIAL,
        org=cell,
        org_path=cell.path,
    )
    StatusPeriod.objects.create(member=member, status=Status.OFFICIAL, valid_from=FOUNDED)
    Membership.objects.create(member=member, org=cell, valid_from=FOUNDED)
    return member


def write_empty_periods(member: Member) -> None:
    """What a same-day change left before: periods ending the day they started (written with
    today's models: the tables are the same, only the check differs)."""
    StatusPeriod.objects.create(member=member, status=Status.EXEMPTED, valid_from=DAY, valid_to=DAY)
    Membership.objects.create(member=member, org=member.org, valid_from=DAY, valid_to=DAY)
    state = OrgHistory.objects.get(org=member.org)
    OrgHistory.objects.create(
        org=state.org,
        name=state.name,
        level=state.level,
        parent=state.parent,
        path=state.path,
        valid_from=DAY,
        valid_to=DAY,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_empty_periods_are_deleted_and_the_check_tightened_and_back():
    member = a_member_in_a_cell()
    kept, installed = rows(), triggers.installed(connection, "")
    try:
        migrate(BEFORE)
        # The same triggers (reports 0004, later than BEFORE, widened the member trigger's
        # columns: going back undoes that, and coming back below makes it again).
        assert triggers.installed(connection, "").keys() == installed.keys()
        write_empty_periods(member)
        assert rows() != kept

        migrate(latest())
        assert rows() == kept
        assert triggers.installed(connection, "") == installed
        with pytest.raises(IntegrityError), transaction.atomic():
            write_empty_periods(member)

        migrate(BEFORE)  # the looser check is back, and nothing deleted comes back
        assert rows() == kept
        assert triggers.installed(connection, "").keys() == installed.keys()
        write_empty_periods(member)
    finally:
        migrate(latest())
    assert rows() == kept
