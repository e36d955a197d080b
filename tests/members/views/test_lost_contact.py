"""Periods of lost contact: recorded by those who manage the record once contact is restored,
refused with a reason when they cannot be, subtracted from party age on the record and in the
badge list's start day (`party_age_from`), removable when recorded by mistake, audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dangvien.core.audit import audit_trail
from dangvien.members.models import LostContact, Member, Status
from dangvien.members.selectors import party_age_on
from dangvien.members.services import (
    member_lost_contact_record,
    member_lost_contact_remove,
    member_set_status,
)

D = dt.date
TODAY = D(2026, 12, 7)


def record(world, member, start, end, **kw):
    return member_lost_contact_record(
        acting_user=world.users["secretary"], member=member, start=start, end=end, today=TODAY,
        **kw,
    )  # fmt: skip


def test_recorded_lost_contact_moves_party_age_and_its_start(world):
    a1 = world.a1  # admitted 02/03/2010, official
    before = party_age_on(a1, TODAY)
    record(world, a1, D(2015, 1, 1), D(2015, 4, 1), note="Đi làm ăn xa, không báo chi bộ")
    a1.refresh_from_db()
    assert a1.party_age_from == D(2010, 3, 2) + dt.timedelta(days=90)
    after = party_age_on(a1, TODAY)
    assert (after.until - after.counted_from).days == (before.until - before.counted_from).days - 90
    assert "mất liên lạc với tổ chức đảng từ 01/01/2015 đến 01/04/2015 (90 ngày)" in (
        after.explanation
    )
    assert any("Ghi thời gian mất liên lạc" in e.summary for e in audit_trail(a1))
    member_lost_contact_remove(acting_user=world.users["secretary"],
                               lost=LostContact.objects.get(member=a1))  # fmt: skip
    a1.refresh_from_db()
    assert a1.party_age_from is None
    assert any("Xóa thời gian mất liên lạc" in e.summary for e in audit_trail(a1))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (D(2015, 4, 1), D(2015, 1, 1), "phải sau ngày mất liên lạc"),
        (D(2026, 11, 1), D(2026, 12, 31), "không thể sau hôm nay"),
        (D(2009, 1, 1), D(2011, 1, 1), "phải sau ngày vào Đảng"),
        (D(2015, 3, 1), D(2015, 5, 1), "Trùng với thời gian mất liên lạc đã ghi"),
    ],
)
def test_a_period_that_cannot_be_is_refused_with_its_reason(world, start, end, message):
    record(world, world.a1, D(2015, 1, 1), D(2015, 4, 1))
    with pytest.raises(ValidationError, match=message):
        record(world, world.a1, start, end)
    assert LostContact.objects.filter(member=world.a1).count() == 1


def test_time_already_out_of_the_party_cannot_be_lost_contact_too(world):
    a1 = world.a1
    member_set_status(acting_user=None, member=a1, status=Status.STRUCK_OFF, on=D(2020, 1, 1))
    member_set_status(acting_user=None, member=Member.objects.get(pk=a1.pk),
                      status=Status.PROBATIONARY, on=D(2023, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="đã xóa tên"):
        record(world, Member.objects.get(pk=a1.pk), D(2019, 6, 1), D(2020, 6, 1))


def test_editing_the_admission_date_keeps_the_start_in_step(world, as_persona):
    from dangvien.members.editing import member_update

    a1 = world.a1
    record(world, a1, D(2015, 1, 1), D(2015, 4, 1))
    a1.refresh_from_db()
    member_update(
        acting_user=world.users["secretary"],
        member=a1,
        values={"admission_date": D(2010, 2, 20)},
        expected_version=a1.version,
    )
    a1.refresh_from_db()
    assert a1.party_age_from == D(2010, 2, 20) + dt.timedelta(days=90)


def test_the_page_records_refuses_and_removes(world, as_persona):
    url = reverse("member_lost_contact", args=[world.a1.pk])
    client = as_persona("secretary")
    assert "Thời gian mất liên lạc" in client.get(reverse("member_detail", args=[world.a1.pk])
                                                  ).content.decode()  # fmt: skip
    response = client.post(url, {"start": "01/01/2015", "end": "01/04/2015", "note": "Đi xa"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Từ 01/01/2015 đến 01/04/2015 (90 ngày)" in page and "Đi xa" in page
    refused = client.post(url, {"start": "01/04/2016", "end": "01/01/2016"}).content.decode()
    assert "Ngày liên lạc lại phải sau ngày mất liên lạc." in refused
    missing = client.post(url, {"start": "", "end": "01/01/2016"}).content.decode()
    assert "field-error" in missing and LostContact.objects.count() == 1
    lost = LostContact.objects.get()
    client.post(url, {"xoa": lost.pk})
    assert not LostContact.objects.exists()
    # The member sees their record but may not record on it.
    assert as_persona("member").get(url).status_code == 403
