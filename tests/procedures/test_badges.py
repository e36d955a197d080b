"""Huy hiệu Đảng: the list of an award day (members reaching a milestone since the previous award
day, agreeing with `party_age_on`), the badge case from proposal to ceremony, each milestone once,
and the early proposals of Hướng dẫn 01-HD/TW point 18."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests.conftest import make_member

from dangvien.members.models import Award, Status
from dangvien.members.selectors import party_age_on
from dangvien.members.services import member_set_status
from dangvien.procedures.badges import badge_list, badge_propose, badges_propose
from dangvien.procedures.models import AwardDay, Badge, CaseState, Outcome
from dangvien.procedures.rules import badge as rules
from dangvien.procedures.services import step_record

D = dt.date
DAY = D(2026, 9, 2)  # the award day of 2/9/2026; the previous one is 19/5/2026


@pytest.fixture
def veterans(world):
    """In cell A: 50 years on 1/7/2026 (on the list), 50 years on 19/5/2026 (the previous list),
    30 years on 2/9/2026 (on the list, the day itself), 40 years on 1/12/2026 (after: only early);
    in cell C (another district): 60 years on 10/6/2026."""
    return {
        "fifty": make_member("Lê Văn Năm Mươi", world.cell_a, admission_date=D(1976, 7, 1)),
        "previous": make_member("Phạm Thị Trước", world.cell_a, admission_date=D(1976, 5, 19)),
        "thirty": make_member("Đỗ Văn Ba Mươi", world.cell_a, admission_date=D(1996, 9, 2)),
        "forty": make_member("Vũ Thị Bốn Mươi", world.cell_a, admission_date=D(1986, 12, 1)),
        "sixty": make_member("Ngô Văn Sáu Mươi", world.cell_c, admission_date=D(1966, 6, 10)),
    }


def _list(world, persona="province", org=None, **options):
    rows = badge_list(world.users[persona], org or world.province, DAY, **options)
    return [(r.member.full_name, r.milestone, r.reaches_on, r.early) for r in rows]


def test_the_list_of_an_award_day(world, veterans):
    assert _list(world) == [
        ("Ngô Văn Sáu Mươi", 60, D(2026, 6, 10), False),
        ("Lê Văn Năm Mươi", 50, D(2026, 7, 1), False),
        ("Đỗ Văn Ba Mươi", 30, D(2026, 9, 2), False),
    ]
    # Scoped: the secretary of cell A sees only cell A's.
    assert [name for name, *_ in _list(world, "secretary", world.cell_a)] == [
        "Lê Văn Năm Mươi", "Đỗ Văn Ba Mươi"
    ]  # fmt: skip
    # With the early ones: 40 years on 1/12/2026, within 12 months.
    assert ("Vũ Thị Bốn Mươi", 40, D(2026, 12, 1), True) in _list(world, early=True)


def test_an_installations_own_award_day_splits_the_period(world, veterans):
    AwardDay.objects.create(day=D(2026, 7, 27), name="Kỷ niệm ngày Thương binh liệt sĩ")
    assert [name for name, *_ in _list(world)] == ["Đỗ Văn Ba Mươi"]  # after 27/7 only
    assert rules.previous_award_day(D(2026, 2, 3)) == D(2025, 11, 7)


def test_time_out_moves_the_milestone_as_party_age_counts_it(world, veterans):
    member = veterans["fifty"]
    # Struck off for 92 days in 1990, then back: 50 years on 1/10/2026, after this list.
    member_set_status(acting_user=None, member=member, status=Status.STRUCK_OFF, on=D(1990, 3, 1))
    member_set_status(acting_user=None, member=member, status=Status.OFFICIAL, on=D(1990, 6, 1))
    member.refresh_from_db()
    assert member.party_age_from == D(1976, 10, 1)
    assert "Lê Văn Năm Mươi" not in [name for name, *_ in _list(world)]
    age = party_age_on(member, DAY)
    assert age is not None and age.reaches(50) == D(2026, 10, 1)
    assert ("Lê Văn Năm Mươi", 50, D(2026, 10, 1), True) in _list(world, early=True)


def test_every_row_agrees_with_the_party_age_of_the_record(world, veterans):
    from dangvien.members.models import Member

    for row in badge_list(world.users["province"], world.province, DAY, early=True):
        member = Member.objects.get(pk=row.member.pk)
        age = party_age_on(member, DAY) or party_age_on(member, row.reaches_on)
        assert age is not None and age.reaches(row.milestone) == row.reaches_on


def test_a_badge_from_proposal_to_ceremony(world, veterans):
    member = veterans["fifty"]
    case = badge_propose(acting_user=world.users["grassroots"], member=member, milestone=50,
                         award_day=DAY, on=D(2026, 7, 10))  # fmt: skip
    assert case.next_step == "decision"
    step_record(acting_user=world.users["upper"], case=case, kind="decision", on=D(2026, 8, 20),
                reference="789-QĐ/TU")  # fmt: skip
    step_record(acting_user=world.users["secretary"], case=case, kind="ceremony", on=DAY)
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseState.CLOSED, Outcome.AWARDED)
    award = Award.objects.get(member=member)
    assert (award.form, award.date) == ("Huy hiệu 50 năm tuổi Đảng", DAY)
    assert award.issuer == "Quyết định số 789-QĐ/TU"
    row = next(r for r in badge_list(world.users["province"], world.province, DAY)
               if r.member.pk == member.pk)  # fmt: skip
    assert row.badge is not None and row.badge.case_id == case.pk
    with pytest.raises(ValidationError, match="đã được đề nghị hoặc đã được tặng"):
        badge_propose(acting_user=world.users["grassroots"], member=member, milestone=50,
                      award_day=D(2026, 11, 7))  # fmt: skip


def test_the_decision_is_the_committees_and_on_its_to_do_list(world, veterans):
    from dangvien.accounts.access import DECIDE, allowed
    from dangvien.procedures.todo import todo_for

    case = badge_propose(acting_user=world.users["secretary"], member=veterans["thirty"],
                         milestone=30, award_day=DAY, on=D(2026, 8, 1))  # fmt: skip
    assert not allowed(world.users["secretary"], DECIDE, case)
    assert allowed(world.users["upper"], DECIDE, case)
    lines = [(x.what, x.subject) for x in todo_for(world.users["upper"], D(2026, 8, 3)).lines]
    assert ("Quyết định tặng Huy hiệu Đảng", "Đỗ Văn Ba Mươi") in lines


def test_early_only_for_the_seriously_ill_and_within_the_months_allowed(world, veterans):
    forty = veterans["forty"]  # 40 years on 1/12/2026
    with pytest.raises(ValidationError, match="chỉ đảng viên bệnh nặng"):
        badge_propose(acting_user=world.users["grassroots"], member=forty, milestone=40,
                      award_day=DAY)  # fmt: skip
    case = badge_propose(acting_user=world.users["grassroots"], member=forty, milestone=40,
                         award_day=DAY, early="ill")  # fmt: skip
    assert Badge.objects.get(case=case).early == "ill"
    verdict = rules.early(milestone=45, reaches_on=D(2027, 9, 3), day=DAY, reason="ill")
    assert verdict[0] is False  # 12 months and a day early
    assert rules.early(milestone=70, reaches_on=D(2028, 9, 2), day=DAY, reason="ill")[0]
    assert not rules.early(milestone=70, reaches_on=D(2028, 9, 3), day=DAY, reason="ill")[0]
    assert not rules.early(milestone=35, reaches_on=DAY, day=DAY, reason="")[0]


def test_a_posthumous_badge_and_a_withdrawn_proposal(world, veterans):
    sixty = veterans["sixty"]
    with pytest.raises(ValidationError, match="chỉ truy tặng đảng viên đã từ trần"):
        badge_propose(acting_user=world.users["province"], member=sixty, milestone=60,
                      award_day=DAY, early="posthumous")  # fmt: skip
    case = badge_propose(acting_user=world.users["province"], member=sixty, milestone=60,
                         award_day=DAY, on=D(2026, 7, 1))  # fmt: skip
    step_record(acting_user=world.users["province"], case=case, kind="withdrawal",
                on=D(2026, 7, 2))  # fmt: skip
    assert not Badge.objects.get(case=case).active
    again = badge_propose(acting_user=world.users["province"], member=sixty, milestone=60,
                          award_day=DAY)  # fmt: skip
    assert again.pk != case.pk


def test_proposing_a_list_reports_each_refusal_and_keeps_the_rest(world, veterans):
    done, refused = badges_propose(
        acting_user=world.users["grassroots"],
        rows=[(veterans[k], m, "") for k, m in (("fifty", 50), ("forty", 40), ("thirty", 30))],
        award_day=DAY,
    )
    assert done == 2 and len(refused) == 1 and refused[0].startswith("Vũ Thị Bốn Mươi:")


def test_the_page_lists_proposes_the_chosen_and_exports(world, veterans, as_persona):
    import io

    from django.urls import reverse

    from dangvien.core.models import AuditEvent
    from dangvien.office.xlsx import read_rows

    url = reverse("badge_list", args=[world.grassroots1.pk])
    client = as_persona("grassroots")
    page = client.get(url, {"ngay": DAY.isoformat()}).content.decode()
    assert "Huy hiệu 50 năm" in page and "Lê Văn Năm Mươi" in page
    assert "Ngô Văn Sáu Mươi" not in page
    assert "2 đảng viên (1 huy hiệu 50 năm, 1 huy hiệu 30 năm)" in page
    fifty, thirty = veterans["fifty"], veterans["thirty"]
    response = client.post(url, {"ngay": DAY.isoformat(), "chon": [f"{fifty.pk}-50"]})
    assert response.status_code == 302
    assert Badge.objects.get(member=fifty).milestone == 50
    assert not Badge.objects.filter(member=thirty).exists()
    page = client.get(url, {"ngay": DAY.isoformat()}).content.decode()
    assert "Đã đề nghị: đang giải quyết" in page and "đã đề nghị 1." in page
    # A day that is not an award day: the next one, and the user is told.
    page = client.get(url, {"ngay": "2026-09-03"}).content.decode()
    assert "không phải một ngày trao Huy hiệu Đảng" in page
    # Nothing chosen: a message, nothing written.
    page = client.post(url, {"ngay": DAY.isoformat()}, follow=True).content.decode()
    assert "Xin chọn ít nhất một đảng viên" in page
    # The Excel copy, audited.
    data = client.get(url, {"ngay": DAY.isoformat(), "dinh-dang": "xlsx"}).content
    rows = list(read_rows(io.BytesIO(data)))
    assert rows[3][1] == "Lê Văn Năm Mươi" and rows[3][5] == 50
    exports = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert exports.filter(summary__contains="Huy hiệu Đảng đợt 02/09/2026").exists()


def test_the_proposal_document_lists_the_proposed_of_the_round(world, veterans, as_persona):
    from django.urls import reverse
    from tests.office.test_office_documents import text_of

    from dangvien.core.models import AuditEvent

    url = reverse("badge_list", args=[world.grassroots1.pk])
    client = as_persona("grassroots")
    # Nothing proposed yet: a message, no document.
    page = client.get(url, {"ngay": DAY.isoformat(), "dinh-dang": "docx"}, follow=True)
    assert "Chưa có đảng viên nào được đề nghị" in page.content.decode()
    fifty, forty = veterans["fifty"], veterans["forty"]
    badge_propose(acting_user=world.users["grassroots"], member=fifty, milestone=50, award_day=DAY)
    badge_propose(acting_user=world.users["grassroots"], member=forty, milestone=40,
                  award_day=DAY, early=rules.ILL)  # fmt: skip
    response = client.get(url, {"ngay": DAY.isoformat(), "dinh-dang": "docx"})
    assert response.status_code == 200
    text = "\n".join(text_of(response.content))
    assert "TỜ TRÌNH" in text and "đề nghị tặng Huy hiệu Đảng đợt 02/09/2026" in text
    assert "cho 2 đồng chí" in text
    assert "Lê Văn Năm Mươi" in text and "50 năm" in text
    assert "Vũ Thị Bốn Mươi" in text and "40 năm (xét sớm, bệnh nặng)" in text
    assert "Đỗ Văn Ba Mươi" not in text  # on the list, not proposed
    assert AuditEvent.objects.filter(summary__startswith="Tờ trình đề nghị tặng").exists()
    pdf = client.get(url, {"ngay": DAY.isoformat(), "dinh-dang": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # A member without the right to export gets no document.
    assert as_persona("member").get(url, {"ngay": DAY.isoformat(), "dinh-dang": "docx"}
                                    ).status_code in (403, 404)  # fmt: skip


def test_a_member_outside_the_users_scope_cannot_be_proposed(world, veterans, as_persona):
    from django.urls import reverse

    url = reverse("badge_list", args=[world.cell_a.pk])
    sixty = veterans["sixty"]  # of cell C, not on cell A's list
    client = as_persona("secretary")
    client.post(url, {"ngay": DAY.isoformat(), "chon": [f"{sixty.pk}-60"]})
    assert not Badge.objects.filter(member=sixty).exists()
    assert client.get(reverse("badge_list", args=[world.cell_c.pk])).status_code == 404


def test_the_api_gives_the_list_of_an_award_day(world, veterans, as_persona):
    client = as_persona("province")
    data = client.get("/api/v1/procedures/badges", {"org": world.province.pk,
                                                     "day": DAY.isoformat()}).json()  # fmt: skip
    assert [(r["full_name"], r["milestone"], r["reaches_on"]) for r in data["items"]] == [
        ("Ngô Văn Sáu Mươi", 60, "2026-06-10"),
        ("Lê Văn Năm Mươi", 50, "2026-07-01"),
        ("Đỗ Văn Ba Mươi", 30, "2026-09-02"),
    ]
    wrong = client.get("/api/v1/procedures/badges", {"org": world.province.pk, "day": "2026-09-03"})
    assert wrong.status_code == 422 and "không phải ngày trao tặng" in wrong.json()["detail"]
    assert "/api/v1/procedures/badges" in client.get("/api/v1/openapi.json").json()["paths"]
