"""The party card pages: the queue of an organization (by stage, rolled up, acting on the
chosen rows), the lookup by number (scoped, logged), a member's cards and the record's history;
the edit form no longer changes the card fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_member

from dangvien.core.models import AuditEvent
from dangvien.members.models import Member
from dangvien.procedures import cards
from dangvien.procedures.models import CardState, PartyCard

D = dt.date


@pytest.fixture
def recognised(world):
    return make_member("Đinh Văn Mới", world.cell_a, admission_date=D(2024, 3, 1),
                       recognition_date=D(2025, 3, 1))  # fmt: skip


def _queue(org, stage):
    return f"{reverse('card_queue', args=[org.pk])}?giai-doan={stage}"


def test_the_queue_from_request_to_hand_out(as_persona, world, recognised):
    upper = as_persona("upper")
    html = upper.get(_queue(world.grassroots1, "de-nghi")).content.decode()
    assert "Đinh Văn Mới" in html and "Chờ đề nghị cấp thẻ" in html
    today = timezone.localdate().isoformat()
    upper.post(reverse("card_queue", args=[world.grassroots1.pk]),
               {"giai-doan": "de-nghi", "chon": [recognised.pk], "ngay": today})  # fmt: skip
    card = PartyCard.objects.get(member=recognised)
    assert card.state == CardState.REQUESTED
    # A bad number is refused in Vietnamese, a good one registered.
    url = reverse("card_queue", args=[world.grassroots1.pk])
    response = upper.post(url, {"giai-doan": "cho-so", "chon": [card.pk], f"so-{card.pk}": "12",
                                "ngay": today}, follow=True)  # fmt: skip
    assert "không đúng mẫu" in response.content.decode()
    upper.post(url, {"giai-doan": "cho-so", "chon": [card.pk], f"so-{card.pk}": "87654321",
                     "ngay": today})  # fmt: skip
    assert PartyCard.objects.get(pk=card.pk).state == CardState.REGISTERED
    # The cell hands it out; the upper committee's staff may too (they keep the records).
    secretary = as_persona("secretary")
    assert "87654321" in secretary.get(_queue(world.cell_a, "cho-trao")).content.decode()
    secretary.post(reverse("card_queue", args=[world.cell_a.pk]),
                   {"giai-doan": "cho-trao", "chon": [card.pk], "ngay": today})  # fmt: skip
    assert Member.objects.get(pk=recognised.pk).party_card_number == "87654321"


def test_a_secretary_does_not_request_cards(as_persona, world, recognised):
    secretary = as_persona("secretary")
    html = secretary.get(_queue(world.cell_a, "de-nghi")).content.decode()
    assert "Đinh Văn Mới" in html and 'name="chon"' not in html
    response = secretary.post(reverse("card_queue", args=[world.cell_a.pk]),
                              {"giai-doan": "de-nghi", "chon": [recognised.pk]})  # fmt: skip
    assert response.status_code == 403
    assert not PartyCard.objects.filter(member=recognised).exists()


def test_the_queue_rolls_up_by_child(as_persona, world, recognised):
    html = as_persona("province").get(_queue(world.province, "de-nghi")).content.decode()
    assert "Theo tổ chức trực thuộc" in html and "Đảng bộ quận Ba Đình" in html


def test_other_districts_get_404(as_persona, world):
    assert as_persona("other_upper").get(_queue(world.grassroots1, "de-nghi")).status_code == 404
    url = reverse("member_cards", args=[world.a1.pk])
    assert as_persona("other_upper").get(url).status_code == 404


def test_lookup_by_number_is_scoped_and_logged(as_persona, world, recognised):
    upper = world.users["upper"]
    card = cards.card_request(acting_user=upper, member=recognised, on=D(2026, 1, 5))
    cards.card_register(acting_user=upper, card=card, number="55555555", on=D(2026, 1, 6))
    url = reverse("card_lookup") + "?so=55555555"
    html = as_persona("secretary").get(url).content.decode()
    assert "Đinh Văn Mới" in html and "Đã có số thẻ" in html
    assert AuditEvent.objects.filter(action="view", target_id=recognised.pk).exists()
    html = as_persona("other_upper").get(url).content.decode()
    assert "Không tìm thấy thẻ số «55555555»" in html and "Đinh Văn Mới" not in html


def test_a_lost_card_on_the_member_page(as_persona, world):
    # a1 was created with a card number: the registry holds it as the active card.
    upper = as_persona("upper")
    url = reverse("member_cards", args=[world.a1.pk])
    old = PartyCard.objects.get(member=world.a1)
    upper.post(url, {"viec": "reissue", "the": old.pk, "ly-do": "lost", "ghi-chu": "Mất ví",
                     "ngay": timezone.localdate().isoformat()})  # fmt: skip
    new = PartyCard.objects.get(member=world.a1, state=CardState.REQUESTED)
    upper.post(url, {"viec": "register", "the": new.pk, "so-the": "76543210"})
    as_persona("secretary").post(url, {"viec": "hand", "the": new.pk})
    record = as_persona("secretary").get(reverse("member_detail", args=[world.a1.pk]))
    html = record.content.decode()
    assert "76543210" in html and "01234567" in html and "Hủy thẻ: mất thẻ" in html


def test_the_member_page_refuses_the_cells_secretary_a_committee_action(as_persona, world,
                                                                        recognised):  # fmt: skip
    url = reverse("member_cards", args=[recognised.pk])
    response = as_persona("secretary").post(url, {"viec": "request"})
    assert response.status_code == 403


def test_the_edit_form_does_not_change_the_card(as_persona, world):
    client = as_persona("secretary")
    url = reverse("member_edit", args=[world.a1.pk])
    html = client.get(url).content.decode()
    assert (
        'name="party_card_number"' not in html
        and reverse("member_cards", args=[world.a1.pk]) in html
    )
    a1 = world.a1
    client.post(url, {"version": a1.version, "full_name": a1.full_name, "gender": a1.gender,
                      "date_of_birth": a1.date_of_birth.isoformat(),
                      "citizen_id": a1.citizen_id, "party_card_number": "99999999",
                      "admission_date": a1.admission_date.isoformat()})  # fmt: skip
    assert Member.objects.get(pk=a1.pk).party_card_number == "01234567"


def test_the_api_queue_lookup_and_history(as_persona, world, recognised):
    upper = world.users["upper"]
    card = cards.card_request(acting_user=upper, member=recognised, on=D(2026, 1, 5))
    client = as_persona("grassroots")
    items = client.get("/api/v1/procedures/cards?stage=cho-so").json()["items"]
    assert [(i["full_name"], i["card"]["state"]) for i in items] == [("Đinh Văn Mới", "requested")]
    waiting = client.get(f"/api/v1/procedures/cards?org={world.cell_a.pk}").json()["items"]
    assert "Đinh Văn Mới" not in [i["full_name"] for i in waiting]
    cards.card_register(acting_user=upper, card=card, number="44444444", on=D(2026, 1, 6))
    found = client.get("/api/v1/procedures/cards/lookup?number=44444444").json()
    assert [c["member_id"] for c in found] == [recognised.pk]
    assert (
        as_persona("other_upper").get("/api/v1/procedures/cards/lookup?number=44444444").json()
        == []
    )
    history = client.get(f"/api/v1/procedures/cards/members/{recognised.pk}").json()
    assert [(c["number"], c["state"]) for c in history] == [("44444444", "registered")]
    response = as_persona("other_upper").get(f"/api/v1/procedures/cards/members/{recognised.pk}")
    assert response.status_code == 404


def test_the_report_counts_cards_issued_and_reissued_and_drills_down(as_persona, world, recognised):
    upper, secretary = world.users["upper"], world.users["secretary"]
    today = timezone.localdate()
    card = cards.card_request(acting_user=upper, member=recognised, on=today)
    card = cards.card_register(acting_user=upper, card=card, number="12121212", on=today)
    card = cards.card_hand(acting_user=secretary, card=card, on=today)
    new = cards.card_reissue(acting_user=upper, card=card, on=today, reason="damaged")
    new = cards.card_register(acting_user=upper, card=new, number="13131313", on=today)
    cards.card_hand(acting_user=secretary, card=new, on=today)
    figures = cards.card_figures(
        world.users["province"], world.province, today.replace(month=1, day=1), today
    )
    found = {key: n for key, _, n in figures}
    assert found == {"cards_issued": 1, "cards_reissued": 1, "cards_void": 1, "cards_withdrawn": 0}
    html = (
        as_persona("province")
        .get(reverse("report_summary", args=[world.province.pk]))
        .content.decode()
    )
    assert "Trao thẻ đảng viên cấp lại" in html
    url = reverse("card_queue", args=[world.province.pk]) + "?chi-so=cards_reissued"
    html = as_persona("province").get(url).content.decode()
    assert "13131313" in html and "12121212" not in html
    assert as_persona("province").get(url.replace("cards_reissued", "nope")).status_code == 404


def test_the_member_sees_their_card_and_a_reissue_in_the_handbook(as_persona, world):
    card = PartyCard.objects.get(member=world.a1)
    member = as_persona("member")
    assert "Thẻ đảng viên số 01234567" in member.get(reverse("handbook_feed")).content.decode()
    cards.card_reissue(acting_user=world.users["upper"], card=card, on=None, reason="lost")
    html = member.get(reverse("handbook_feed")).content.decode()
    assert "Chưa có thẻ đảng viên đang dùng · Đang cấp lại thẻ: đã đề nghị cấp" in html
