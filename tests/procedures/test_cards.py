"""Party cards: the number format of the day the card was issued (Chỉ thị 29-CT/TW, then the
setting for the cards of Chỉ thị 51-CT/TW), and the registry's services: one active card per
member, a number issued once, re-issue of a lost card, withdrawal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from tests.conftest import make_member

from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Status
from dangvien.members.services import member_set_status
from dangvien.members.validation import member_problems
from dangvien.procedures import cards
from dangvien.procedures.models import CardState, CardVoidReason, PartyCard
from dangvien.procedures.rules.card import number_problems

D = dt.date


# --- The rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "issued_on", "ok"),
    [
        ("01234567", D(2003, 10, 17), True),  # the first day of Chỉ thị 29's cards
        ("0123456", D(2003, 10, 17), False),  # 7 digits
        ("012345678", D(2010, 1, 1), False),  # 9 digits
        ("0123456A", D(2010, 1, 1), False),
        ("01234567", D(1995, 1, 1), True),  # older cards were exchanged for 8-digit ones
        ("01234567", D(2025, 8, 7), True),  # the last day before Chỉ thị 51
        ("01234567", D(2025, 8, 8), True),  # the chip card's pattern: 8 digits by default
    ],
)
def test_card_number_format_by_issue_day(number, issued_on, ok):
    assert (number_problems(number, issued_on) == []) is ok


def test_the_2025_card_format_is_a_setting_from_chi_thi_51(settings):
    settings.PARTY_CARD_PATTERN = r"[A-Z]{2}\d{10}"
    assert number_problems("HN0123456789", D(2025, 8, 8)) == []
    [(code, message)] = number_problems("01234567", D(2025, 8, 8))
    assert code == "card_format" and "thẻ đảng viên mới" in message
    # Cards of the day before keep Chỉ thị 29's format whatever the setting.
    assert number_problems("01234567", D(2025, 8, 7)) == []
    assert number_problems("HN0123456789", D(2025, 8, 7)) != []
    # Issue day unknown: either format.
    assert number_problems("01234567") == number_problems("HN0123456789") == []
    assert number_problems("123")[0][1].startswith("Số thẻ đảng viên «123» không đúng mẫu")


def test_the_record_rules_use_the_dated_card_rule(settings):
    settings.PARTY_CARD_PATTERN = r"[A-Z]{2}\d{10}"
    codes = {
        p.rule
        for p in member_problems(
            {"party_card_number": "01234567", "party_card_issued_date": D(2026, 1, 5)},
            check_unique=False,
        )
    }
    assert codes == {"card_format"}


# --- The services ----------------------------------------------------------------------------


@pytest.fixture
def recognised(world):
    return make_member("Đinh Văn Mới", world.cell_a, admission_date=D(2024, 3, 1),
                       recognition_date=D(2025, 3, 1))  # fmt: skip


def _issued(world, member, number="12345678", on=None):
    on = on or D(2026, 1, 10)
    upper = world.users["upper"]
    card = cards.card_request(acting_user=upper, member=member, on=on, reference="15-CV/QU")
    card = cards.card_register(acting_user=upper, card=card, number=number, on=on)
    return cards.card_hand(acting_user=world.users["secretary"], card=card, on=on)


def test_a_card_from_request_to_hand_out_is_the_records_card(world, recognised):
    card = _issued(world, recognised)
    recognised.refresh_from_db()
    assert card.state == CardState.HANDED
    assert (recognised.party_card_number, recognised.party_card_issued_date) == (
        "12345678", D(2026, 1, 10)
    )  # fmt: skip
    assert cards.card_lookup(world.users["secretary"], " 12345678 ") == card
    assert cards.card_lookup(world.users["other_upper"], "12345678") is None  # not theirs to see
    assert AuditEvent.objects.filter(target_id=recognised.pk, summary__contains="thẻ").count() == 3


def test_one_active_card_and_none_requested_twice(world, recognised):
    _issued(world, recognised)
    with pytest.raises(ValidationError, match="đang có thẻ số 12345678"):
        cards.card_request(acting_user=world.users["upper"], member=recognised)
    other = make_member("Hà Văn Khác", world.cell_a, recognition_date=D(2025, 1, 1))
    cards.card_request(acting_user=world.users["upper"], member=other)
    with pytest.raises(ValidationError, match="đã được đề nghị cấp"):
        cards.card_request(acting_user=world.users["upper"], member=other)


def test_a_number_is_issued_once_and_must_fit_the_format(world, recognised):
    _issued(world, recognised)
    other = make_member("Hà Văn Khác", world.cell_a, recognition_date=D(2025, 1, 1))
    card = cards.card_request(acting_user=world.users["upper"], member=other)
    with pytest.raises(ValidationError, match="Số thẻ 12345678 đã được cấp"):
        cards.card_register(acting_user=world.users["upper"], card=card, number="12345678")
    with pytest.raises(ValidationError, match="Số thẻ 01234567 đã được cấp"):
        cards.card_register(acting_user=world.users["upper"], card=card, number="01234567")
    with pytest.raises(ValidationError, match="không đúng mẫu"):
        cards.card_register(acting_user=world.users["upper"], card=card, number="1234")
    assert PartyCard.objects.get(pk=card.pk).state == CardState.REQUESTED


def test_probationary_members_get_no_card(world):
    young = make_member("Lý Văn Trẻ", world.cell_a, status=Status.PROBATIONARY,
                        admission_date=D(2026, 1, 2))  # fmt: skip
    with pytest.raises(ValidationError, match="chỉ cấp cho đảng viên chính thức"):
        cards.card_request(acting_user=world.users["upper"], member=young)


def test_a_lost_card_is_reissued(world, recognised):
    old = _issued(world, recognised)
    new = cards.card_reissue(acting_user=world.users["upper"], card=old, on=D(2026, 2, 1),
                             reason=CardVoidReason.LOST, note="Mất khi đi công tác")  # fmt: skip
    old.refresh_from_db()
    recognised.refresh_from_db()
    assert (old.state, old.void_reason, old.ended_on) == (CardState.VOID, "lost", D(2026, 2, 1))
    assert recognised.party_card_number is None  # the void card is no longer the record's
    assert new.replaces == old and new.state == CardState.REQUESTED
    cards.card_register(acting_user=world.users["upper"], card=new, number="22345678",
                        on=D(2026, 2, 10))  # fmt: skip
    cards.card_hand(acting_user=world.users["secretary"], card=new, on=D(2026, 2, 15))
    recognised.refresh_from_db()
    assert recognised.party_card_number == "22345678"
    assert [c.state for c in cards.card_history(world.users["secretary"], recognised)] == [
        CardState.HANDED, CardState.VOID
    ]  # fmt: skip
    # The void number is never issued again.
    with pytest.raises(ValidationError, match="mỗi số thẻ chỉ cấp một lần"):
        other = make_member("Hà Văn Khác", world.cell_a, recognition_date=D(2025, 1, 1))
        card = cards.card_request(acting_user=world.users["upper"], member=other)
        cards.card_register(acting_user=world.users["upper"], card=card, number="12345678")


def test_withdrawal_on_leaving_the_party(world, recognised):
    card = _issued(world, recognised)
    member_set_status(acting_user=None, member=recognised, status=Status.STRUCK_OFF,
                      on=D(2026, 3, 1))  # fmt: skip
    withdrawn = cards.card_withdraw(acting_user=world.users["upper"], member=recognised,
                                    on=D(2026, 3, 1), reason="Xóa tên")  # fmt: skip
    assert withdrawn == card
    card.refresh_from_db()
    assert (card.state, card.ended_on, card.end_note) == (CardState.WITHDRAWN, D(2026, 3, 1),
                                                          "Xóa tên")  # fmt: skip
    assert Member.objects.get(pk=recognised.pk).party_card_number is None
    # A member with no card: nothing to withdraw.
    assert cards.card_withdraw(acting_user=None, member=world.a2, on=D(2026, 3, 1),
                               reason="Xóa tên") is None  # fmt: skip


def test_the_queue_and_its_counts(world, recognised):
    province = world.users["province"]
    assert recognised in cards.queue_members(province, world.province)
    cards.card_request(acting_user=world.users["upper"], member=recognised, on=D(2026, 1, 5))
    stages, children = cards.queue_counts(province, world.province)
    by_code = {s.code: s.count for s in stages}
    assert by_code["cho-so"] == 1
    assert recognised not in cards.queue_members(province, world.province)
    assert [(c.org.name, c.counts[1]) for c in children] == [
        ("Đảng bộ quận Ba Đình", 1), ("Đảng bộ quận Tây Hồ", 0)
    ]  # fmt: skip
    # The other district sees none of cell A's.
    assert not cards.queue_cards(world.users["other_upper"], world.province, "requested").exists()


def test_the_to_do_list_says_who_acts_on_cards(world, recognised):
    from dangvien.procedures.todo import todo_for

    today = D(2025, 6, 1)

    def whats(persona):
        return {line.what: line.subject for line in todo_for(world.users[persona], today).lines}

    assert whats("upper")["Đề nghị cấp thẻ đảng viên (đã công nhận chính thức)"] == "1 đảng viên"
    assert not any("thẻ" in what for what in whats("secretary"))
    assert not any("thẻ" in what for what in whats("other_upper"))
    card = cards.card_request(acting_user=world.users["upper"], member=recognised, on=today)
    assert "Ghi số thẻ đảng viên đã đề nghị cấp" in whats("upper")
    cards.card_register(acting_user=world.users["upper"], card=card, number="33333333", on=today)
    assert whats("secretary")["Trao thẻ đảng viên tại buổi sinh hoạt chi bộ"] == "1 đảng viên"


def test_a_record_created_with_a_card_number_registers_it(world):
    card = PartyCard.objects.get(member=world.a1)
    assert (card.number, card.state) == ("01234567", CardState.HANDED)
    # A number some record holds outside the registry is refused too.
    Member.objects.filter(pk=world.a2.pk).update(party_card_number="02345678")
    other = make_member("Hà Văn Khác", world.cell_a, recognition_date=D(2025, 1, 1))
    card = cards.card_request(acting_user=world.users["upper"], member=other)
    with pytest.raises(ValidationError, match="đã có trong hồ sơ của đảng viên khác"):
        cards.card_register(acting_user=world.users["upper"], card=card, number="02345678")


def test_an_import_registers_the_card_numbers_it_writes(world, as_persona):
    """The import writes records in bulk; the numbers they carry become registry cards, and a
    number the file corrects corrects the active card."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse
    from tests.members.import_files import row, xlsx

    from dangvien.jobs.models import Job

    staff = as_persona("grassroots")

    def imported(rows):
        staff.post(reverse("import_start"), {"file": SimpleUploadedFile("ds.xlsx", xlsx(rows))})
        task = Job.objects.order_by("-id").first()
        staff.post(reverse("import_commit", args=[task.pk]))
        assert Job.objects.order_by("-id").first().status == "done"

    imported([row(1), row(2)])
    member = Member.objects.get(citizen_id="001080000001")
    assert PartyCard.objects.get(member=member).number == member.party_card_number == "90000001"
    imported([row(1, **{"Số thẻ đảng viên": "91000001"})])
    assert PartyCard.objects.get(member=member, state=CardState.HANDED).number == "91000001"
