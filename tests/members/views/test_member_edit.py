"""The edit page: errors next to fields, warnings to confirm, a clear page on a conflict."""

from __future__ import annotations

from django.urls import reverse

from dangvien.members.models import Member


def form_data(member: Member, **changes) -> dict:
    data = {
        "version": member.version,
        "full_name": member.full_name,
        "gender": member.gender,
        "date_of_birth": member.date_of_birth.isoformat(),
        "citizen_id": member.citizen_id or "",
        "admission_date": member.admission_date.isoformat() if member.admission_date else "",
        "party_card_number": member.party_card_number or "",
    }
    data.update(changes)
    return data


def test_a_secretary_corrects_a_record(as_persona, world):
    client = as_persona("secretary")
    url = reverse("member_edit", args=[world.a2.pk])
    assert "Sửa hồ sơ" in client.get(url).content.decode()
    response = client.post(url, form_data(world.a2, phone="0987654321"))
    assert response["Location"] == reverse("member_detail", args=[world.a2.pk])
    assert Member.objects.get(pk=world.a2.pk).phone == "0987654321"


def test_a_bad_cccd_is_explained_next_to_the_field_and_nothing_saved(as_persona, world):
    client = as_persona("secretary")
    response = client.post(
        reverse("member_edit", args=[world.a2.pk]), form_data(world.a2, citizen_id="12345")
    )
    html = response.content.decode()
    assert "phải gồm đúng 12 chữ số" in html and "chưa được lưu" in html
    assert Member.objects.get(pk=world.a2.pk).citizen_id is None


def test_a_warning_is_saved_once_confirmed(as_persona, world):
    client = as_persona("secretary")
    url = reverse("member_edit", args=[world.a2.pk])
    early = form_data(world.a2, admission_date="1995-01-01")
    assert "Cần xác nhận" in client.post(url, early).content.decode()
    client.post(url, {**early, "confirm": "on"})
    assert Member.objects.get(pk=world.a2.pk).admission_date.year == 1995


def test_a_second_save_shows_what_changed_and_keeps_the_input(as_persona, world):
    opened = Member.objects.get(pk=world.a2.pk)
    first, second = as_persona("secretary"), as_persona("grassroots")
    url = reverse("member_edit", args=[world.a2.pk])
    first.post(url, form_data(opened, phone="0911111111"))
    html = second.post(url, form_data(opened, phone="0922222222")).content.decode()
    assert "đã được người khác lưu" in html
    assert "0922222222" in html and "0911111111" in html
    assert Member.objects.get(pk=world.a2.pk).phone == "0911111111"


def test_members_and_editors_cannot_edit(as_persona, world):
    url = reverse("member_edit", args=[world.a1.pk])
    # The member sees their own record, so the page says they may not change it.
    refused = as_persona("member").get(url)
    assert refused.status_code == 403
    assert "Không có quyền" in refused.content.decode()
    assert as_persona("editor").get(url).status_code == 404
