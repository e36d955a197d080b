"""The pages of recognition as official: the list of probations ending, opening a case from the
member record, the steps through the common forms with the rule's words on refusal, the list of
proposals to strike off, and the API."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from tests.conftest import make_member
from tests.procedures.factories import pdf

from dangvien.members.models import Member, Status
from dangvien.procedures.models import Case, CaseKind, Outcome

D = dt.date


def _probationary(world, admitted, name="Đỗ Văn Giang", org=None):
    return make_member(
        name, org or world.cell_a, status=Status.PROBATIONARY, admission_date=admitted
    )


def _ending_soon():
    """An admission date whose 12 months end in ten days."""
    today = dt.date.today()
    return today.replace(year=today.year - 1) + dt.timedelta(days=10) if (
        today.month, today.day) != (2, 29) else D(today.year - 1, 3, 10)  # fmt: skip


def test_the_cell_lists_its_probations_ending_and_opens_a_case_from_the_record(world, as_persona):
    member = _probationary(world, _ending_soon())
    _probationary(world, D(2025, 2, 10), name="Vũ Văn Hải")  # long overdue
    client = as_persona("secretary")
    page = client.get(reverse("recognition_due", args=[world.cell_a.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đảng viên dự bị sắp hết thời hạn" in text
    assert "Đỗ Văn Giang" in text and "Vũ Văn Hải" in text and "quá hạn" in text
    overdue = client.get(reverse("recognition_due", args=[world.cell_a.pk]) + "?hien-thi=qua-han")
    assert "Vũ Văn Hải" in overdue.content.decode()
    assert "Đỗ Văn Giang" not in overdue.content.decode()

    record = client.get(reverse("member_detail", args=[member.pk])).content.decode()
    assert "Mở thủ tục công nhận chính thức" in record
    assert reverse("recognition_open", args=[member.pk]) in record
    opened = client.post(
        reverse("recognition_open", args=[member.pk]), {"opened_on": dt.date.today().isoformat()}
    )
    case = Case.objects.get(member=member, kind=CaseKind.RECOGNITION)
    assert opened.status_code == 302 and opened.url == reverse("case_detail", args=[case.pk])
    shown = client.get(opened.url).content.decode()
    assert "Công nhận đảng viên chính thức: Đỗ Văn Giang" in shown
    assert "hết 12 tháng dự bị ngày" in shown
    assert "Hoàn thành hồ sơ đề nghị công nhận chính thức" in shown
    # Opened once: the record no longer offers it, the list links the case.
    record = client.get(reverse("member_detail", args=[member.pk])).content.decode()
    assert "Mở thủ tục công nhận chính thức" not in record
    listed = client.get(reverse("recognition_due", args=[world.cell_a.pk])).content.decode()
    assert reverse("case_detail", args=[case.pk]) in listed


def test_an_official_member_is_offered_no_recognition(world, as_persona):
    client = as_persona("secretary")
    record = client.get(reverse("member_detail", args=[world.a1.pk])).content.decode()
    assert "Mở thủ tục công nhận chính thức" not in record
    page = client.get(reverse("recognition_open", args=[world.a1.pk]))
    assert page.status_code == 200
    assert "là đảng viên chính thức" in page.content.decode()
    client.post(reverse("recognition_open", args=[world.a1.pk]), {"opened_on": "2026-03-02"})
    assert not Case.objects.exists()


def test_the_pages_are_scoped(world, as_persona):
    member = _probationary(world, D(2025, 2, 10))
    other = as_persona("other_upper")
    assert other.get(reverse("recognition_due", args=[world.cell_a.pk])).status_code == 404
    assert other.get(reverse("recognition_open", args=[member.pk])).status_code == 404
    assert other.get(reverse("strike_off_proposals", args=[world.cell_a.pk])).status_code == 404
    own = as_persona("member")  # a member sees their own record, keeps no one's
    assert own.get(reverse("recognition_open", args=[world.a1.pk])).status_code == 404
    province = as_persona("province").get(reverse("recognition_due", args=[world.province.pk]))
    assert "Đỗ Văn Giang" in province.content.decode()


def test_a_recognition_through_the_pages_shows_the_rule_that_refused(world, as_persona):
    member = _probationary(world, D(2025, 2, 10))
    secretary, grassroots, upper = (
        as_persona("secretary"), as_persona("grassroots"), as_persona("upper")
    )  # fmt: skip
    secretary.post(reverse("recognition_open", args=[member.pk]), {"opened_on": "2026-01-20"})
    case = Case.objects.get(member=member)
    for code in ("10-KNĐ", "11-KNĐ", "12-KNĐ"):
        response = secretary.post(
            reverse("case_document_upload", args=[case.pk]), {"form_code": code, "upload": pdf()}
        )
        assert response.status_code == 302
    step = lambda kind: reverse("case_step", args=[case.pk, kind])  # noqa: E731
    assert secretary.post(step("dossier"), {"on": "2026-02-05"}).status_code == 302
    early = secretary.post(step("cell_resolution"), {
        "on": "2026-02-09", "present": 2, "votes_for": 2, "votes_against": 0,
    })  # fmt: skip
    text = early.content.decode()
    assert early.status_code == 200
    assert "chưa hết 12 tháng dự bị" in text and "Căn cứ:" in text
    late = secretary.post(step("cell_resolution"), {
        "on": "2026-04-01", "present": 2, "votes_for": 2, "votes_against": 0,
    })  # fmt: skip
    assert "cần ghi lý do chậm" in late.content.decode()
    done = secretary.post(step("cell_resolution"), {
        "on": "2026-04-01", "present": 2, "votes_for": 2, "votes_against": 0,
        "late_reason": "Bí thư ốm.",
    })  # fmt: skip
    assert done.status_code == 302
    assert secretary.get(step("decision")).status_code == 403  # the committee's
    grassroots.post(step("grassroots_resolution"), {"on": "2026-04-06"})
    decided = upper.post(step("decision"), {"on": "2026-04-20", "reference": "Số 45-QĐ/QU"})
    assert decided.status_code == 302
    member = Member.objects.get(pk=member.pk)
    assert (member.status, member.recognition_date) == (Status.OFFICIAL, D(2026, 2, 10))
    page = secretary.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "quá hạn" in page and "Đảng viên chính thức từ ngày 10/02/2026" in page


def test_the_proposals_to_strike_off_are_listed(world, as_persona):
    member = _probationary(world, D(2025, 2, 10))
    secretary = as_persona("secretary")
    secretary.post(reverse("recognition_open", args=[member.pk]), {"opened_on": "2026-01-20"})
    case = Case.objects.get(member=member)
    response = secretary.post(reverse("case_step", args=[case.pk, "strike_off_proposal"]), {
        "on": "2026-03-03", "present": 2, "votes_for": 2, "votes_against": 0,
    })  # fmt: skip
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).outcome == Outcome.STRIKE_OFF_PROPOSED
    page = as_persona("grassroots").get(
        reverse("strike_off_proposals", args=[world.grassroots1.pk])
    )
    text = page.content.decode()
    assert "Đỗ Văn Giang" in text and "Đề nghị xóa tên ngày 03/03/2026" in text


def test_the_api_lists_recognition_cases_and_the_probations_ending(world, as_persona):
    member = _probationary(world, D(2025, 2, 10))
    client = as_persona("grassroots")
    as_persona("secretary").post(
        reverse("recognition_open", args=[member.pk]), {"opened_on": "2026-01-20"}
    )
    cases = client.get("/api/v1/procedures/cases?kind=recognition").json()
    assert [(c["kind"], c["person"]) for c in cases["items"]] == [("recognition", "Đỗ Văn Giang")]
    due = client.get(f"/api/v1/procedures/recognitions-due?org={world.grassroots1.pk}").json()
    assert [(row["member_id"], row["probation_end"], row["overdue"]) for row in due["items"]] == [
        (member.pk, "2026-02-10", True)
    ]
    assert due["items"][0]["case_id"] == Case.objects.get(member=member).pk
    missing = as_persona("other_upper").get(
        f"/api/v1/procedures/recognitions-due?org={world.grassroots1.pk}"
    )
    assert missing.status_code == 404


def test_the_list_costs_the_same_queries_for_one_row_or_many(world, as_persona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_persona("grassroots")
    urls = [
        reverse("recognition_due", args=[world.grassroots1.pk]),
        f"/api/v1/procedures/recognitions-due?org={world.grassroots1.pk}",
    ]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    _probationary(world, D(2025, 2, 10))
    one = counts()
    for day in range(2, 8):
        _probationary(world, D(2025, 3, day), name=f"Đảng viên dự bị {day}", org=world.cell_b)
    assert counts() == one
