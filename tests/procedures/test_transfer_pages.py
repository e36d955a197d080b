"""The transfer pages: opening a transfer with the destination picked by name, the lists at both
ends, the receiving step recorded by the destination, refusals shown with their rule."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from dangvien.members.models import Member
from dangvien.procedures.models import Case, CaseKind, CaseState
from dangvien.procedures.services import step_record
from dangvien.procedures.transfer_services import transfer_open

D = dt.date


def _sent(world) -> Case:
    case = transfer_open(
        acting_user=world.users["secretary"],
        member=world.a1,
        kind=CaseKind.TRANSFER_OFFICIAL,
        reason="new_job",
        event_on=D(2026, 3, 2),
        other_org=world.cell_c,
    )
    step_record(acting_user=world.users["secretary"], case=case, kind="letter", on=D(2026, 3, 10))
    return case


def test_the_secretary_opens_a_transfer_picking_a_cell_of_another_upper_committee(
    world, as_persona
):
    secretary = as_persona("secretary")
    url = reverse("transfer_open", args=[world.cell_a.pk])
    found = secretary.get(url, {"q": "An"}).content.decode()
    assert "Nguyễn Văn An" in found
    picker = secretary.get(url, {"dang-vien": world.a1.pk, "noi-den": "Chi bộ 3"}).content.decode()
    # The destination shows by its name and place in the tree, nothing of its members.
    assert "Chi bộ 3" in picker and "Đảng bộ phường Bưởi" in picker
    assert "Phạm Thị Dung" not in picker
    response = secretary.post(
        f"{url}?dang-vien={world.a1.pk}",
        {
            "kind": "transfer_official",
            "reason": "new_job",
            "event_on": "2026-03-02",
            "other_org": world.cell_c.pk,
        },
    )
    case = Case.objects.get(kind=CaseKind.TRANSFER_OFFICIAL)
    assert response.status_code == 302 and response.url == reverse("case_detail", args=[case.pk])
    page = secretary.get(response.url).content.decode()
    assert "Chuyển sinh hoạt" in page and "Chi bộ 3" in page and "Giới thiệu chuyển" in page


def test_a_refused_opening_shows_the_rule_and_saves_nothing(world, as_persona):
    url = reverse("transfer_open", args=[world.cell_a.pk])
    page = as_persona("secretary").post(
        f"{url}?dang-vien={world.a1.pk}",
        {
            "kind": "transfer_temporary",
            "reason": "work",
            "event_on": "2026-03-02",
            "starts_on": "2026-03-02",
            "ends_on": "2026-04-01",
            "outside_name": "Đảng bộ tỉnh Lào Cai",
        },
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "dưới 3 tháng" in text and "Quy định 294-QĐ/TW" in text
    assert not Case.objects.exists()


def test_the_destination_sees_the_sent_transfer_and_records_its_receipt(world, as_persona):
    case = _sent(world)
    receiver = as_persona("other_upper")
    listed = receiver.get(
        reverse("transfer_list", args=[world.upper2.pk]), {"xem": "den"}
    ).content.decode()
    assert "Nguyễn Văn An" in listed
    page = receiver.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("case_step", args=[case.pk, "received"]) in page
    # The sending side sees the case but the receipt is not theirs to record.
    sender_page = as_persona("secretary").get(reverse("case_detail", args=[case.pk]))
    assert reverse("case_step", args=[case.pk, "received"]) not in sender_page.content.decode()
    assert (
        as_persona("secretary").get(reverse("case_step", args=[case.pk, "received"])).status_code
        == 403
    )
    response = receiver.post(reverse("case_step", args=[case.pk, "received"]), {"on": "2026-03-16"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    assert Member.objects.get(pk=world.a1.pk).org == world.cell_c
    sent = as_persona("secretary").get(
        reverse("transfer_list", args=[world.cell_a.pk]), {"xem": "di", "trang-thai": ""}
    )
    assert "Đã chuyển sinh hoạt" in sent.content.decode()


def test_a_late_receipt_without_a_reason_is_refused_on_the_form(world, as_persona):
    case = _sent(world)
    page = as_persona("other_upper").post(
        reverse("case_step", args=[case.pk, "received"]), {"on": "2026-04-22"}
    )
    text = page.content.decode()
    assert page.status_code == 200 and "cần ghi lý do chậm" in text and "30 ngày làm việc" in text
    assert Member.objects.get(pk=world.a1.pk).org == world.cell_a


def test_overdue_transfers_page_rolls_up_by_child(world, as_persona):
    _sent(world)  # due 21/04/2026: overdue today
    page = as_persona("province").get(
        reverse("transfer_list", args=[world.province.pk]), {"xem": "qua-han"}
    )
    text = page.content.decode()
    assert "Đảng bộ quận Ba Đình" in text and "Đảng bộ quận Tây Hồ" in text
    assert "Nguyễn Văn An" in text


def test_the_receiving_end_lists_the_transfer_through_the_api(world, as_persona):
    case = _sent(world)
    listed = as_persona("other_upper").get("/api/v1/procedures/cases").json()["items"]
    assert [(row["id"], row["other_org_id"]) for row in listed] == [(case.pk, world.cell_c.pk)]
    detail = as_persona("other_upper").get(f"/api/v1/procedures/cases/{case.pk}").json()
    assert [step["kind"] for step in detail["steps"]] == ["event", "letter"]
    assert detail["transfer"] == {
        "reason": "new_job",
        "reason_label": "Chuyển công tác, thay đổi nơi làm việc",
        "starts_on": None,
        "ends_on": None,
        "other_end": world.cell_c.name,
        "outside": False,
    }


def test_a_member_arrives_from_outside_through_the_page(world, as_persona):
    response = as_persona("other_upper").post(
        reverse("transfer_arrival", args=[world.grassroots2.pk]),
        {
            "cell": world.cell_c.pk,
            "full_name": "Đỗ Văn Giang",
            "gender": "M",
            "date_of_birth": "1988-02-03",
            "admission_date": "2012-05-19",
            "recognition_date": "2013-05-19",
            "origin": "Đảng bộ tỉnh Lào Cai",
            "reason": "new_job",
            "letter_on": "2026-03-02",
            "received_on": "2026-03-20",
        },
    )
    assert response.status_code == 302
    member = Member.objects.get(full_name="Đỗ Văn Giang")
    assert member.org == world.cell_c and member.admission_date == D(2012, 5, 19)
