"""The pages of exemptions and re-admission: applying from the record, the cell's resolution on
the case page, the rolled-up list with its filters, the end; re-admission offered on a closed
record and refused with its rule."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from tests.conftest import make_member

from dangvien.members.models import Member, Status
from dangvien.members.services import member_set_status
from dangvien.procedures.models import Case, CaseKind, Exemption

D = dt.date


def test_the_secretary_applies_and_the_list_shows_it_up_the_tree(world, as_persona):
    member = make_member("Vũ Văn Lão", world.cell_a, date_of_birth=D(1950, 1, 1))
    secretary = as_persona("secretary")
    record = secretary.get(reverse("member_detail", args=[member.pk])).content.decode()
    assert "Ghi đơn xin miễn" in record and "Kết nạp lại" not in record
    response = secretary.post(
        reverse("exemption_apply", args=[member.pk]),
        {"scope": "activity", "reason": "age", "applied_on": "2026-03-02"},
    )
    case = Case.objects.get(kind=CaseKind.EXEMPTION)
    assert response.status_code == 302 and response["Location"] == reverse(
        "case_detail", args=[case.pk]
    )
    step = secretary.post(
        reverse("case_step", args=[case.pk, "cell_resolution"]),
        {"on": "2026-03-10", "reference": "05-NQ/CB"},
    )
    assert step.status_code == 302, step.content.decode()[:2000]
    shown = secretary.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Miễn công tác và sinh hoạt đảng · lý do: tuổi cao · từ ngày 10/03/2026" in shown
    assert Member.objects.get(pk=member.pk).status == Status.EXEMPTED
    page = as_persona("upper").get(
        reverse("exemption_list", args=[world.upper1.pk]), {"ngay": "2026-04-01"}
    )
    assert "Vũ Văn Lão" in page.content.decode()
    waiting = as_persona("upper").get(
        reverse("exemption_list", args=[world.upper1.pk]), {"trang-thai": "cho-xet"}
    )
    assert "Vũ Văn Lão" not in waiting.content.decode()
    assert (
        as_persona("other_upper").get(reverse("exemption_list", args=[world.upper1.pk])).status_code
        == 404
    )
    exemption = Exemption.objects.get()
    ended = secretary.post(
        reverse("exemption_end", args=[exemption.pk]),
        {"ended_by": "member", "on": "2026-06-01", "reference": "09-NQ/CB"},
    )
    assert ended.status_code == 302
    assert Member.objects.get(pk=member.pk).status == Status.OFFICIAL


def test_a_probationary_member_is_told_why_not(world, as_persona):
    member = make_member(
        "Đỗ Văn Mới", world.cell_a, status=Status.PROBATIONARY, admission_date=D(2026, 1, 5)
    )
    page = as_persona("secretary").get(reverse("exemption_apply", args=[member.pk]))
    assert "chỉ đảng viên chính thức" in page.content.decode()


def test_a_struck_off_record_offers_readmission_and_the_rule_refuses_too_soon(world, as_persona):
    member = make_member("Đinh Văn Hồi", world.cell_a)
    member_set_status(acting_user=None, member=member, status=Status.STRUCK_OFF, on=D(2025, 1, 10))
    secretary = as_persona("secretary")
    record = secretary.get(reverse("member_detail", args=[member.pk])).content.decode()
    assert "Kết nạp lại" in record
    response = secretary.post(
        reverse("readmission_open", args=[member.pk]),
        {"org": world.cell_a.pk, "left_reason": "other", "opened_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "phải ít nhất 36 tháng, tức từ ngày 10/01/2028" in response.content.decode()
    assert not Case.objects.exists()
    assert (
        as_persona("other_upper").get(reverse("readmission_open", args=[member.pk])).status_code
        == 404
    )


def test_readmission_opens_from_the_closed_record_and_shows_on_it(world, as_persona):
    from dangvien.procedures.models import Readmission

    member = make_member("Đinh Văn Hồi", world.cell_a)
    member_set_status(acting_user=None, member=member, status=Status.STRUCK_OFF, on=D(2022, 1, 10))
    secretary = as_persona("secretary")
    response = secretary.post(
        reverse("readmission_open", args=[member.pk]),
        {"org": world.cell_a.pk, "left_reason": "family_hardship", "opened_on": "2025-03-01"},
    )
    case = Case.objects.get(readmission__member=member)
    assert response.status_code == 302 and response["Location"] == reverse(
        "case_detail", args=[case.pk]
    )
    assert Readmission.objects.get(case=case).left_on == D(2022, 1, 10)
    assert case.candidate.full_name == "Đinh Văn Hồi" and case.kind == CaseKind.ADMISSION
    page = secretary.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Kết nạp lại đảng viên cũ" in page and "ra khỏi Đảng ngày 10/01/2022" in page
    record = secretary.get(reverse("member_detail", args=[member.pk])).content.decode()
    assert "Hồ sơ kết nạp lại" in record
    assert reverse("readmission_open", args=[member.pk]) not in record  # one open at a time
