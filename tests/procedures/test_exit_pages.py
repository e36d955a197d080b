"""The pages of leaving the Party: opening a case from the record, the steps through the common
forms, the organization's exits of a period, the screening list, and the API."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from tests.conftest import make_member

from dangvien.members.models import Member, Status
from dangvien.procedures.models import Case, CaseKind, CaseState, Outcome, ScreeningItem

D = dt.date


def test_the_secretary_strikes_off_from_the_record_and_the_committee_decides(world, as_persona):
    secretary = as_persona("secretary")
    record = secretary.get(reverse("member_detail", args=[world.a2.pk])).content.decode()
    assert reverse("exit_open", args=[world.a2.pk]) in record and "Ra khỏi Đảng" in record
    form = secretary.get(reverse("exit_open", args=[world.a2.pk]) + "?loai=strike_off")
    assert form.status_code == 200 and "Mở thủ tục ra khỏi Đảng" in form.content.decode()
    # No reason chosen: said on the form, nothing opened.
    refused = secretary.post(
        reverse("exit_open", args=[world.a2.pk]), {"kind": "strike_off", "opened_on": "2026-03-02"}
    )
    assert "Xin chọn trường hợp xóa tên." in refused.content.decode()
    assert not Case.objects.filter(kind=CaseKind.STRIKE_OFF).exists()
    opened = secretary.post(
        reverse("exit_open", args=[world.a2.pk]),
        {
            "kind": "strike_off",
            "opened_on": "2026-03-02",
            "reason": "no_activity_or_dues",
            "detail": "Bỏ sinh hoạt 3 tháng",
        },
    )
    case = Case.objects.get(kind=CaseKind.STRIKE_OFF)
    assert opened.url == reverse("case_detail", args=[case.pk])
    page = secretary.get(opened.url).content.decode()
    assert "Xóa tên đảng viên: Trần Thị Bình" in page
    assert "Bỏ sinh hoạt đảng hoặc không đóng đảng phí" in page
    assert "Nghị quyết chi bộ đề nghị xóa tên đảng viên" in page
    # A vote short of two thirds is refused on the step's form with the rule's words.
    step = reverse("case_step", args=[case.pk, "cell_resolution"])
    short = secretary.post(
        step, {"on": "2026-03-05", "present": 2, "votes_for": 1, "votes_against": 1}
    )
    assert "chưa đủ hai phần ba" in short.content.decode()
    secretary.post(step, {"on": "2026-03-05", "present": 2, "votes_for": 2, "votes_against": 0})
    as_persona("grassroots").post(
        reverse("case_step", args=[case.pk, "grassroots_resolution"]), {"on": "2026-03-12"}
    )
    # The decision is the committee's.
    decision = reverse("case_step", args=[case.pk, "decision"])
    assert secretary.get(decision).status_code == 403
    done = as_persona("upper").post(decision, {"on": "2026-03-20", "reference": "112-QĐ/QU"})
    assert done.status_code == 302
    assert Member.objects.get(pk=world.a2.pk).status == Status.STRUCK_OFF
    # The record no longer offers an exit.
    record = secretary.get(reverse("member_detail", args=[world.a2.pk])).content.decode()
    assert reverse("exit_open", args=[world.a2.pk]) not in record
    again = secretary.get(reverse("exit_open", args=[world.a2.pk])).content.decode()
    assert "không còn trong Đảng" in again


def test_the_decision_on_striking_off_is_made_as_a_word_document(world, as_persona):
    from dangvien.procedures import exits

    case = exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.a2,
        kind=CaseKind.STRIKE_OFF,
        opened_on=D(2026, 3, 2),
        reason="no_progress",
    )
    upper = as_persona("upper")
    page = upper.get(reverse("case_detail", args=[case.pk])).content.decode()
    url = reverse("case_document_generate", args=[case.pk, "QĐ-XT"])
    assert url in page
    made = upper.post(url)
    assert made.status_code == 302
    document = case.documents.get(form_code="QĐ-XT")
    assert document.generated and document.file_name.startswith("xoa_ten_quyet_dinh")
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(document.file.read())).read("word/document.xml").decode()
    assert "Xóa tên đồng chí Trần Thị Bình" in xml
    assert "Giảm sút ý chí phấn đấu" in xml


def test_a_failed_recognition_offers_the_striking_off(world, as_persona):
    member = make_member(
        "Đỗ Văn Phúc", world.cell_a, status=Status.PROBATIONARY, admission_date=D(2025, 2, 10)
    )
    recognition = Case.objects.create(
        kind=CaseKind.RECOGNITION,
        member=member,
        org=world.cell_a,
        org_path=world.cell_a.path,
        opened_on=D(2026, 2, 1),
        state=CaseState.CLOSED,
        closed_on=D(2026, 3, 3),
        outcome=Outcome.STRIKE_OFF_PROPOSED,
    )
    secretary = as_persona("secretary")
    page = secretary.get(reverse("case_detail", args=[recognition.pk])).content.decode()
    link = (
        reverse("exit_open", args=[member.pk]) + f"?loai=strike_off&amp;tu-ho-so={recognition.pk}"
    )
    assert link in page
    url = reverse("exit_open", args=[member.pk]) + f"?tu-ho-so={recognition.pk}"
    form = secretary.get(url).content.decode()
    assert "Theo hồ sơ" in form
    secretary.post(
        url, {"kind": "strike_off", "opened_on": "2026-03-10", "reason": "not_recognised"}
    )
    case = Case.objects.get(kind=CaseKind.STRIKE_OFF)
    assert case.exit.source_case == recognition


def test_out_of_scope_is_404_and_a_member_cannot_open(world, as_persona):
    url = reverse("exit_open", args=[world.a2.pk])
    assert as_persona("other_upper").get(url).status_code == 404
    assert as_persona("member").get(url).status_code == 404
    assert (
        as_persona("other_upper").get(reverse("exit_list", args=[world.upper1.pk])).status_code
        == 404
    )
    assert (
        as_persona("other_upper").get(reverse("screening_list", args=[world.cell_a.pk])).status_code
        == 404
    )


def test_the_exits_of_a_period_by_kind_reason_and_child(world, as_persona):
    from dangvien.procedures import exits

    exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.c1,
        kind=CaseKind.DEATH,
        opened_on=D(2026, 6, 10),
        died_on=D(2026, 6, 2),
    )
    page = as_persona("province").get(
        reverse("exit_list", args=[world.province.pk]) + "?tu=2026-01-01&den=2026-12-31"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Đảng viên ra khỏi Đảng" in text and "Đảng viên từ trần" in text
    assert "Phạm Thị Dung" in text and "Đảng bộ quận Tây Hồ" in text
    empty = as_persona("province").get(
        reverse("exit_list", args=[world.province.pk]) + "?tu=2025-01-01&den=2025-12-31"
    )
    assert "Không có đảng viên nào ra khỏi Đảng" in empty.content.decode()
    # The picker sends on to the member's form.
    picked = as_persona("secretary").get(
        reverse("exit_list", args=[world.cell_a.pk]) + f"?mo={world.a2.pk}&loai=death"
    )
    assert picked.url == reverse("exit_open", args=[world.a2.pk]) + "?loai=death"


def test_the_screening_list_adds_by_hand_and_records_a_decision(world, as_persona):
    secretary = as_persona("secretary")
    url = reverse("screening_list", args=[world.cell_a.pk])
    page = secretary.get(url).content.decode()
    assert "Rà soát, sàng lọc đảng viên" in page
    assert "Hệ thống tự phát hiện hiện nay: không được công nhận đảng viên chính thức" in page
    assert "Không có đảng viên nào cần xem xét." in page
    bad = secretary.post(
        url,
        {
            "them": "1",
            "member": world.a2.pk,
            "reason": "no_activity_or_dues",
            "raised_on": "2099-01-01",
        },
    )
    assert "Ngày phát hiện chưa tới." in bad.content.decode()
    secretary.post(
        url,
        {
            "them": "1",
            "member": world.a2.pk,
            "reason": "no_activity_or_dues",
            "raised_on": "2026-04-01",
            "note": "Vắng 3 buổi",
        },
    )
    page = secretary.get(url).content.decode()
    assert "Trần Thị Bình" in page and "Chi bộ bổ sung" in page
    home = secretary.get(reverse("home")).content.decode()
    assert "Rà soát đảng viên" in home and "Trần Thị Bình" in home
    key = f"{world.a2.pk}|manual|2026-04-01|no_activity_or_dues"
    decided = secretary.post(
        url,
        {
            "quyet-dinh": "1",
            "key": key,
            "decision": "strike_off",
            "decided_on": "2026-04-10",
            "note": "Chi bộ thống nhất",
        },
    )
    item = ScreeningItem.objects.get()
    assert decided.url == reverse("case_detail", args=[item.exit_case_id])
    assert item.decided_by == world.users["secretary"]
    page = secretary.get(url).content.decode()
    assert "Đề nghị xóa tên (mở thủ tục xóa tên)" in page and "hồ sơ xóa tên" in page
    # Someone else's cell: no form to decide.
    grassroots_b = as_persona("grassroots").get(url).content.decode()
    assert "Đã quyết định" in grassroots_b


def test_the_exits_api_is_scoped_and_checks_its_dates(world, as_persona):
    from dangvien.procedures import exits

    exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.c1,
        kind=CaseKind.DEATH,
        opened_on=D(2026, 6, 10),
        died_on=D(2026, 6, 2),
    )
    province = as_persona("province")
    answer = province.get(
        f"/api/v1/procedures/exits?org={world.province.pk}&from=2026-01-01&to=2026-12-31"
    )
    assert answer.status_code == 200
    rows = answer.json()["items"] if isinstance(answer.json(), dict) else answer.json()
    assert [(r["full_name"], r["kind"], r["closed_on"], r["died_on"]) for r in rows] == [
        ("Phạm Thị Dung", "death", "2026-06-10", "2026-06-02")
    ]
    bad = province.get(f"/api/v1/procedures/exits?org={world.province.pk}&from=x")
    assert bad.status_code == 422 and "yyyy-mm-dd" in bad.content.decode()
    other = as_persona("other_upper").get(f"/api/v1/procedures/exits?org={world.upper1.pk}")
    assert other.status_code == 404


def test_the_struck_off_members_handbook_no_longer_shows_the_partys_posts(world, as_persona):
    from django.utils import timezone

    from dangvien.handbook.models import Post
    from dangvien.procedures import exits
    from dangvien.procedures.services import step_record

    Post.objects.create(
        org=world.cell_a,
        title="Thông báo sinh hoạt chi bộ tháng 12",
        body="<p>Họp chi bộ</p>",
        publish_at=timezone.now() - dt.timedelta(hours=2),
    )
    member = as_persona("member")
    feed = reverse("handbook_feed")
    assert "Thông báo sinh hoạt chi bộ tháng 12" in member.get(feed).content.decode()
    today = timezone.localdate()
    case = exits.exit_open(
        acting_user=world.users["secretary"],
        member=world.a1,
        kind=CaseKind.DISCHARGE,
        opened_on=today,
    )
    for kind, persona in (
        ("application", "secretary"),
        ("cell_resolution", "secretary"),
        ("grassroots_resolution", "grassroots"),
        ("decision", "upper"),
    ):
        step_record(acting_user=world.users[persona], case=case, kind=kind, on=today)
    assert Member.objects.get(pk=world.a1.pk).status == Status.DISCHARGED
    assert "Thông báo sinh hoạt chi bộ tháng 12" not in member.get(feed).content.decode()
