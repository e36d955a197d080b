"""The member's own corner of the handbook: record summary, cell and secretary, corrections."""

from __future__ import annotations

from django.urls import reverse

from dangvien.handbook.models import CorrectionRequest


def test_the_member_sees_the_cell_the_secretary_and_a_summary(as_persona, world):
    world.users["secretary"].first_name = "Ngô Thị Lan"
    world.users["secretary"].save()
    html = as_persona("member").get(reverse("handbook_feed")).content.decode()
    assert "Nguyễn Văn An" in html and "Chi bộ 1" in html
    assert "Bí thư: Ngô Thị Lan" in html
    assert "Thẻ đảng viên số 01234567" in html


def test_a_correction_request_reaches_the_secretary_who_marks_it_done(as_persona, world):
    member = as_persona("member")
    response = member.post(reverse("handbook_correction"), {"text": "Ngày vào Đảng là 03/02/2010"})
    assert response["Location"] == reverse("handbook_feed")
    request = CorrectionRequest.objects.get()
    assert request.member == world.a1
    secretary = as_persona("secretary")
    assert (
        "1 đề nghị sửa hồ sơ đang chờ" in secretary.get(reverse("handbook_feed")).content.decode()
    )
    assert (
        "Ngày vào Đảng là 03/02/2010"
        in secretary.get(reverse("handbook_corrections")).content.decode()
    )
    assert (
        "Ngày vào Đảng"
        not in as_persona("other_upper").get(reverse("handbook_corrections")).content.decode()
    )
    secretary.post(reverse("handbook_correction_done", args=[request.pk]))
    request.refresh_from_db()
    assert request.resolved_at is not None and request.resolved_by == world.users["secretary"]


def test_an_empty_request_is_explained(as_persona, world):
    response = as_persona("member").post(reverse("handbook_correction"), {"text": " "}, follow=True)
    assert "Xin ghi rõ thông tin nào cần sửa" in response.content.decode()
    assert not CorrectionRequest.objects.exists()
