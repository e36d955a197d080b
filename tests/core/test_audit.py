"""The audit log is append-only: the model refuses, and so does the database itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from dangvien.core.audit import audit_record, audit_trail, snapshot
from dangvien.core.models import AuditEvent
from dangvien.orgs.services import org_rename

REFUSED = "append-only"


@pytest.fixture
def event(world) -> AuditEvent:
    return audit_record(
        actor=world.users["province"],
        action=AuditEvent.Action.UPDATE,
        target=world.a1,
        summary="Cập nhật số lý lịch",
        before={"record_number": ""},
        after={"record_number": "123456HN"},
    )


def assert_unchanged(event: AuditEvent) -> None:
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.summary, stored.after) == ("Cập nhật số lý lịch", {"record_number": "123456HN"})


def test_audit_record_keeps_who_did_what_to_which_record(world, event):
    assert event.actor == world.users["province"]
    assert (event.target_type, event.target_id) == ("members.member", world.a1.pk)
    assert str(event).endswith(f"Cập nhật members.member#{world.a1.pk}")


def test_anonymous_actor_is_recorded_as_nobody(world):
    event = audit_record(actor=None, action=AuditEvent.Action.VIEW, target=world.a1)
    assert event.actor_id is None


def test_summary_is_cut_to_its_column(world):
    event = audit_record(actor=None, action="update", target=world.a1, summary="x" * 400)
    assert len(AuditEvent.objects.get(pk=event.pk).summary) == 300


def test_audit_trail_of_an_org_lists_its_changes_newest_first(world):
    org_rename(
        acting_user=world.users["province"],
        org=world.cell_a,
        name="Chi bộ Khu dân cư số 1",
        on=dt.date(2024, 1, 1),
    )
    summaries = [e.summary for e in audit_trail(world.cell_a)]
    assert summaries == [
        "Đổi tên «Chi bộ 1» thành «Chi bộ Khu dân cư số 1»",
        "Thành lập «Chi bộ 1»",
    ]


def test_snapshot_gives_json_ready_values_without_loading_related_rows(
    world, django_assert_num_queries
):
    with django_assert_num_queries(0):
        values = snapshot(world.cell_a, ["name", "parent", "founded_on"])
    assert values == {
        "name": "Chi bộ 1",
        "parent": world.grassroots1.pk,
        "founded_on": "2015-01-01",
    }


def test_snapshot_writes_decimals_as_text():
    from dangvien.core.audit import _plain

    assert _plain(Decimal("0.5")) == "0.5"
    assert _plain(dt.datetime(2025, 7, 1, 8, 30)) == "2025-07-01T08:30:00"


def test_saving_an_audit_row_again_is_refused(event):
    event.summary = "Sửa lại"
    with pytest.raises(PermissionError, match="bất biến"):
        event.save()
    assert_unchanged(event)


def test_deleting_an_audit_row_is_refused(event):
    with pytest.raises(PermissionError, match="bất biến"):
        event.delete()
    assert_unchanged(event)


def test_queryset_update_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="Sửa lại")
    assert_unchanged(event)


def test_queryset_delete_is_refused_by_the_database(event):
    with pytest.raises(DatabaseError, match=REFUSED), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert_unchanged(event)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET summary = 'Sửa lại' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_an_audit_row(event, sql):
    with (
        pytest.raises(DatabaseError, match=REFUSED),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert_unchanged(event)


def test_new_rows_can_still_be_added_after_a_refused_change(world, event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
    audit_record(actor=None, action=AuditEvent.Action.VIEW, target=world.a1)
    assert AuditEvent.objects.filter(target_id=world.a1.pk, target_type="members.member").count()
