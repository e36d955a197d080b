"""Editing a record: rules, warnings to confirm, two people saving the same record, history."""

from __future__ import annotations

import datetime as dt

import pytest

from dangvien.core.models import AuditEvent
from dangvien.members.editing import RecordProblems, VersionConflict, member_update
from dangvien.members.models import Member
from dangvien.members.search import member_search


def update(world, member, version=None, **values):
    return member_update(
        acting_user=world.users["secretary"],
        member=member,
        values=values,
        expected_version=member.version if version is None else version,
    )


def test_a_change_is_saved_versioned_and_audited(world):
    a1 = world.a1
    saved = update(world, a1, phone="0912345678", full_name="Nguyễn Văn Ân")
    assert (saved.phone, saved.version) == ("0912345678", a1.version + 1)
    assert saved.name_fold == "nguyen van an"
    event = AuditEvent.objects.filter(target_id=a1.pk, action=AuditEvent.Action.UPDATE).last()
    assert event.before == {"full_name": "Nguyễn Văn An", "phone": ""}
    assert event.after["full_name"] == "Nguyễn Văn Ân"


def test_blocking_errors_write_nothing(world):
    with pytest.raises(RecordProblems) as refused:
        update(world, world.a1, citizen_id="12345")
    assert refused.value.problems[0].rule == "cccd_length"
    assert Member.objects.get(pk=world.a1.pk).citizen_id == "001080012345"


def test_warnings_need_confirming(world):
    a2 = world.a2  # born 17/05/1980
    with pytest.raises(RecordProblems) as refused:
        update(world, a2, admission_date=dt.date(1995, 1, 1))  # at 14
    assert refused.value.problems[0].rule == "admission_age"
    saved = member_update(
        acting_user=world.users["secretary"],
        member=a2,
        values={"admission_date": dt.date(1995, 1, 1)},
        expected_version=a2.version,
        confirm_warnings=True,
    )
    assert saved.admission_date == dt.date(1995, 1, 1)


def test_the_second_save_is_refused_with_what_changed(world):
    opened = Member.objects.get(pk=world.b1.pk)
    update(world, Member.objects.get(pk=world.b1.pk), phone="0911111111")  # someone else first
    with pytest.raises(VersionConflict) as conflict:
        update(world, opened, version=opened.version, phone="0922222222", birthplace="Hà Nội")
    changes = {c.field: (c.yours, c.saved) for c in conflict.value.changes}
    assert changes["phone"] == ("0922222222", "0911111111")
    assert Member.objects.get(pk=world.b1.pk).phone == "0911111111"


def test_status_and_cell_are_not_edited_here(world):
    with pytest.raises(Exception, match="Không sửa được"):
        update(world, world.a1, status="deceased")


def test_a_renamed_member_is_found_by_the_new_name(world):
    update(world, world.c1, full_name="Phạm Thị Diệu")
    found = member_search(Member.objects.all(), "dieu")
    assert world.c1.pk in [m.pk for m in found.rows]
