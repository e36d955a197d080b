"""Thẻ đảng viên: the card registry and its issue queue.

A card is a `PartyCard` row, never deleted: requested by the committee above the grassroots once
the member is recognised as official, registered with its number and issue day (the number judged
by the format of that day, `rules.card`, and unique across every card ever registered), handed to
the member at a cell meeting (then it is the member's active card), and in the end void (lost,
damaged, wrongly printed: a new card is requested in its place) or withdrawn (the member left the
Party). The record's `party_card_number` and `party_card_issued_date` copy the active card; only
the services here write them, so the record, the registry and the reports cannot disagree.

Who may act is the policy's answer for a case of the member's cell: requesting, registering and
withdrawing are the committee's (`decide`), handing out and reporting a card lost the cell's
(`propose`). The services trust their callers (the pages ask `allowed`, a striking off decided
elsewhere withdraws the card).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from dangvien.accounts.access import DECIDE, PROPOSE, REPORT, VIEW, allowed, restrict, restrict_q
from dangvien.accounts.types import ActingUser, Actor
from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.core.paths import SEGMENT, subtree_q
from dangvien.members.models import Member, Status
from dangvien.orgs.models import Organization
from dangvien.procedures.models import (
    CARD_IN_PROGRESS,
    CardState,
    CardVoidReason,
    Case,
    PartyCard,
)
from dangvien.procedures.rules.card import number_problems

OFFICIAL = (Status.OFFICIAL, Status.EXEMPTED)  # in the Party and recognised: a card is theirs
HELD = (*CARD_IN_PROGRESS, CardState.HANDED)

# The stages of the queue, in order: (code in the address, title, the card state it lists).
STAGES = (
    ("de-nghi", "Chờ đề nghị cấp thẻ", None),
    ("cho-so", "Đã đề nghị, chờ số thẻ", CardState.REQUESTED),
    ("cho-trao", "Đã có số thẻ, chờ trao thẻ", CardState.REGISTERED),
    ("da-trao", "Đã trao thẻ trong năm", CardState.HANDED),
)
STAGE_CODES = tuple(code for code, _, _ in STAGES)


# --- Who may act --------------------------------------------------------------------------------


def may_decide(user: Actor, member: Member) -> bool:
    """Request, register, withdraw: the committee above the member's cell."""
    return allowed(user, DECIDE, Case(org_path=member.org_path))


def may_propose(user: Actor, member: Member) -> bool:
    """Hand out, report lost or damaged: those who keep the cell's records."""
    return allowed(user, PROPOSE, Case(org_path=member.org_path))


# --- Reads ---------------------------------------------------------------------------------------


def cards_visible_to(user: Actor) -> QuerySet[PartyCard]:
    """The cards of the members the user sees (the card follows its member's record)."""
    return PartyCard.objects.filter(restrict_q(user, Member, VIEW, prefix="member__"))


def card_history(user: Actor, member: Member) -> list[PartyCard]:
    """Every card the member held or was issued, newest first (none for who may not see them)."""
    if not allowed(user, VIEW, member):
        return []
    return list(
        PartyCard.objects.filter(member=member)
        .select_related("replaces")
        .order_by(F("issued_on").desc(nulls_first=True), "-pk")
    )


def card_lookup(user: Actor, number: str) -> PartyCard | None:
    """The card with exactly this number, if its member is one the user sees."""
    number = number.strip()
    if not number:
        return None
    return cards_visible_to(user).filter(number=number).select_related("member__org").first()


def _to_request(members: QuerySet[Member]) -> QuerySet[Member]:
    """Recognised official members with no card active nor in progress."""
    held = PartyCard.objects.filter(member=OuterRef("pk"), state__in=HELD)
    return members.filter(status__in=OFFICIAL, recognition_date__isnull=False).filter(~Exists(held))


def _year_start(today: dt.date) -> dt.date:
    return today.replace(month=1, day=1)


def queue_members(user: Actor, org: Organization | None) -> QuerySet[Member]:
    """Stage 1: the members of `org`'s subtree (None: all) the user sees who wait for a card
    request."""
    members = restrict(Member.objects.all(), user, VIEW)
    if org is not None:
        members = members.filter(subtree_q("org_path", org.path))
    return _to_request(members).order_by("recognition_date", "name_sort", "pk")


def queue_cards(
    user: Actor, org: Organization | None, state: str, *, today: dt.date | None = None
) -> QuerySet[PartyCard]:
    """Stages 2–4: the cards of `org`'s subtree (None: all the user sees) in `state` (handed:
    since the year's start)."""
    cards = cards_visible_to(user).filter(state=state)
    if org is not None:
        cards = cards.filter(subtree_q("member__org_path", org.path))
    if state == CardState.HANDED:
        cards = cards.filter(handed_on__gte=_year_start(today or timezone.localdate()))
    return cards.select_related("member", "member__org").order_by(
        "requested_on", "member__name_sort", "pk"
    )


@dataclass(frozen=True)
class StageCount:
    code: str
    title: str
    count: int


@dataclass(frozen=True)
class ChildCounts:
    org: Organization
    counts: tuple[int, ...]  # per stage, in STAGES' order


def queue_counts(
    user: Actor, org: Organization, *, today: dt.date | None = None
) -> tuple[list[StageCount], list[ChildCounts]]:
    """How many wait at each stage in `org`'s subtree, and the same per child organization (one
    grouped query per stage, whatever the number of children)."""
    today = today or timezone.localdate()
    width = len(org.path) + SEGMENT
    children = list(
        restrict(Organization.objects.filter(parent=org), user, REPORT).order_by("name", "pk")
    )
    members = restrict(Member.objects.all(), user, VIEW).filter(subtree_q("org_path", org.path))
    grouped: list[dict[str, int]] = []
    totals: list[int] = []
    for _, _, state in STAGES:
        rows: QuerySet[Any]
        if state is None:
            rows = _to_request(members).annotate(child=Substr("org_path", 1, width))
        else:
            rows = queue_cards(user, org, state, today=today).annotate(
                child=Substr("member__org_path", 1, width)
            )
        by_child = {
            r["child"]: r["n"] for r in rows.order_by().values("child").annotate(n=Count("pk"))
        }
        grouped.append(by_child)
        totals.append(sum(by_child.values()))
    stages = [
        StageCount(code, title, total)
        for (code, title, _), total in zip(STAGES, totals, strict=True)
    ]
    return stages, [
        ChildCounts(child, tuple(g.get(child.path, 0) for g in grouped)) for child in children
    ]


# --- Writes --------------------------------------------------------------------------------------


def _day(on: dt.date | None, what: str) -> dt.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError(f"Ngày {what} {on:%d/%m/%Y} chưa tới.")
    return on


def _not_before(on: dt.date, earlier: dt.date | None, what: str, than: str) -> None:
    if earlier is not None and on < earlier:
        raise ValidationError(
            f"Ngày {what} {on:%d/%m/%Y} không thể trước ngày {than} {earlier:%d/%m/%Y}."
        )


def _locked(card: PartyCard) -> PartyCard:
    return PartyCard.objects.select_for_update().select_related("member").get(pk=card.pk)


def _audit(acting_user: ActingUser, card: PartyCard, summary: str, **after: object) -> None:
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=card.member,
        summary=summary,
        after={"card": card.pk, "number": card.number, "state": card.state, **after},
    )


def _record_follows(member: Member, card: PartyCard | None) -> None:
    """The record copies the member's active card (none: both fields empty)."""
    Member.objects.filter(pk=member.pk).update(
        party_card_number=card.number if card else None,
        party_card_issued_date=card.issued_on if card else None,
        version=F("version") + 1,
    )


@transaction.atomic
def card_request(
    *,
    acting_user: ActingUser,
    member: Member,
    on: dt.date | None = None,
    reference: str = "",
    replaces: PartyCard | None = None,
) -> PartyCard:
    """The committee requests a card for `member` (on `on`, today by default): an official member
    with no active card and none in progress. After a card recorded void, the new one replaces
    it (a re-issue)."""
    on = _day(on, "đề nghị cấp thẻ")
    member = Member.objects.select_for_update(of=("self",)).get(pk=member.pk)
    if member.status not in OFFICIAL:
        raise ValidationError(
            f"{member.full_name} là đảng viên «{member.get_status_display().lower()}»: thẻ đảng "
            "viên chỉ cấp cho đảng viên chính thức."
        )
    _not_before(on, member.recognition_date, "đề nghị cấp thẻ", "công nhận chính thức")
    current = PartyCard.objects.filter(member=member, state__in=HELD).first()
    if current is not None:
        raise ValidationError(
            f"{member.full_name} đang có thẻ số {current.number}: báo mất hoặc hỏng thẻ đó trước "
            "khi đề nghị cấp lại."
            if current.state == CardState.HANDED
            else f"Thẻ đảng viên của {member.full_name} đã được đề nghị cấp "
            f"({current.get_state_display().lower()})."
        )
    if replaces is None:
        # A card requested after one was recorded void replaces it: a re-issue.
        replaces = (
            PartyCard.objects.filter(member=member, state=CardState.VOID, replaced_by__isnull=True)
            .order_by("-ended_on", "-pk")
            .first()
        )
    try:
        with transaction.atomic():
            card = PartyCard.objects.create(
                member=member,
                state=CardState.REQUESTED,
                requested_on=on,
                reference=reference.strip()[:100],
                replaces=replaces,
                recorded_by=acting_user,
            )
    except IntegrityError as taken:  # requested meanwhile
        raise ValidationError(
            f"Thẻ đảng viên của {member.full_name} đã được đề nghị cấp."
        ) from taken
    _audit(acting_user, card, f"Đề nghị cấp thẻ đảng viên cho {member.full_name}",
           requested_on=on.isoformat(), reference=card.reference)  # fmt: skip
    return card


def cards_request(
    *,
    acting_user: ActingUser,
    members: Iterable[Member],
    on: dt.date | None = None,
    reference: str = "",
) -> tuple[int, list[str]]:
    """Request a card for each member; how many were requested and, for the others, why not
    (each in its own transaction: one refusal does not undo the rest)."""
    done, refused = 0, []
    for member in members:
        try:
            card_request(acting_user=acting_user, member=member, on=on, reference=reference)
            done += 1
        except ValidationError as error:
            refused.append(f"{member.full_name}: {' '.join(error.messages)}")
    return done, refused


@transaction.atomic
def card_register(
    *,
    acting_user: ActingUser,
    card: PartyCard,
    number: str,
    issued_on: dt.date | None = None,
    on: dt.date | None = None,
    reference: str = "",
) -> PartyCard:
    """Record the number of a requested card and its issue day (the day of registration by
    default): the number must fit the format of that day and belong to no other card."""
    on = _day(on, "ghi số thẻ")
    issued_on = issued_on or on
    card = _locked(card)
    if card.state != CardState.REQUESTED:
        raise ValidationError(
            f"Thẻ này đang ở tình trạng «{card.get_state_display().lower()}»: chỉ ghi số cho thẻ "
            "đã đề nghị cấp."
        )
    if issued_on > timezone.localdate():
        raise ValidationError(f"Ngày cấp thẻ {issued_on:%d/%m/%Y} chưa tới.")
    _not_before(on, card.requested_on, "ghi số thẻ", "đề nghị cấp")
    _not_before(issued_on, card.member.recognition_date, "cấp thẻ", "công nhận chính thức")
    number = "".join(number.split())
    if not number:
        raise ValidationError("Xin nhập số thẻ đảng viên.")
    problems = number_problems(number, issued_on)
    if problems:
        raise ValidationError([message for _, message in problems])
    _number_free(number, card.member)
    card.number, card.issued_on, card.registered_on = number, issued_on, on
    card.state, card.recorded_by = CardState.REGISTERED, acting_user
    if reference.strip():
        card.reference = reference.strip()[:100]
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError as taken:  # registered meanwhile
        raise ValidationError(f"Số thẻ {number} đã được ghi cho một thẻ khác.") from taken
    _audit(acting_user, card, f"Ghi số thẻ đảng viên {number} cho {card.member.full_name}",
           issued_on=issued_on.isoformat())  # fmt: skip
    return card


def _number_free(number: str, member: Member) -> None:
    """A number belongs to one card for ever, and to no other member's record."""
    holder = PartyCard.objects.filter(number=number).select_related("member").first()
    if holder is not None:
        whose = "của chính đồng chí này" if holder.member_id == member.pk else "của đảng viên khác"
        raise ValidationError(
            f"Số thẻ {number} đã được cấp ({whose}, {holder.get_state_display().lower()}): mỗi "
            "số thẻ chỉ cấp một lần."
        )
    if Member.objects.filter(party_card_number=number).exclude(pk=member.pk).exists():
        raise ValidationError(f"Số thẻ {number} đã có trong hồ sơ của đảng viên khác.")


@transaction.atomic
def card_hand(
    *, acting_user: ActingUser, card: PartyCard, on: dt.date | None = None, note: str = ""
) -> PartyCard:
    """The card was handed to the member at a cell meeting on `on`: it becomes the active card
    and the record shows it."""
    on = _day(on, "trao thẻ")
    card = _locked(card)
    if card.state != CardState.REGISTERED:
        raise ValidationError(
            f"Thẻ này đang ở tình trạng «{card.get_state_display().lower()}»: chỉ trao thẻ đã có "
            "số."
        )
    _not_before(on, card.issued_on, "trao thẻ", "cấp thẻ")
    member = Member.objects.select_for_update(of=("self",)).get(pk=card.member_id)
    if member.status not in OFFICIAL:
        raise ValidationError(
            f"{member.full_name} là đảng viên «{member.get_status_display().lower()}»: không trao "
            "thẻ."
        )
    card.state, card.handed_on, card.recorded_by = CardState.HANDED, on, acting_user
    card.handed_note = note.strip()[:500]
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError as taken:
        raise ValidationError(f"{member.full_name} đã có một thẻ đang dùng.") from taken
    _record_follows(member, card)
    _audit(acting_user, card, f"Trao thẻ đảng viên số {card.number} cho {member.full_name}",
           handed_on=on.isoformat(), note=card.handed_note)  # fmt: skip
    return card


def _end(
    acting_user: ActingUser, card: PartyCard, state: str, on: dt.date, note: str,
    void_reason: str = "",
) -> PartyCard:  # fmt: skip
    was_active = card.state == CardState.HANDED
    _not_before(on, card.handed_on or card.registered_on or card.requested_on, "hủy/thu hồi",
                "của bước trước")  # fmt: skip
    card.state, card.ended_on, card.end_note = state, on, note.strip()[:500]
    card.void_reason, card.recorded_by = void_reason, acting_user
    card.save()
    if was_active:
        _record_follows(card.member, None)
    return card


@transaction.atomic
def card_void(
    *,
    acting_user: ActingUser,
    card: PartyCard,
    on: dt.date | None,
    reason: str,
    note: str = "",
) -> PartyCard:
    """The card is lost, damaged or wrongly printed (on `on`): recorded void, never used again;
    the record no longer shows it."""
    on = _day(on, "báo hủy thẻ")
    if reason not in CardVoidReason.values:
        raise ValidationError("Xin chọn lý do hủy thẻ: mất thẻ, thẻ hư hỏng hoặc thẻ in sai.")
    card = _locked(card)
    if card.state not in (*CARD_IN_PROGRESS, CardState.HANDED):
        raise ValidationError(f"Thẻ này đã «{card.get_state_display().lower()}».")
    _end(acting_user, card, CardState.VOID, on, note, reason)
    _audit(acting_user, card, f"Hủy thẻ đảng viên số {card.number or '(chưa có số)'} của "
           f"{card.member.full_name}: {card.get_void_reason_display()}",
           ended_on=on.isoformat(), reason=reason, note=card.end_note)  # fmt: skip
    return card


@transaction.atomic
def card_reissue(
    *,
    acting_user: ActingUser,
    card: PartyCard,
    on: dt.date | None,
    reason: str,
    note: str = "",
    reference: str = "",
) -> PartyCard:
    """Re-issue: the card is recorded void with its reason and a new one requested in its place
    (it then goes through registration and handing like any card)."""
    old = card_void(acting_user=acting_user, card=card, on=on, reason=reason, note=note)
    return card_request(acting_user=acting_user, member=old.member, on=old.ended_on,
                        reference=reference, replaces=old)  # fmt: skip


@transaction.atomic
def card_withdraw(
    *, acting_user: ActingUser, member: Member, on: dt.date, reason: str
) -> PartyCard | None:
    """The member leaves the Party (striking off, expulsion, discharge) on `on`: the active card,
    or the one in progress, is recorded withdrawn with `reason`. None when there was none."""
    card = (
        PartyCard.objects.select_for_update()
        .select_related("member")
        .filter(member=member, state__in=HELD)
        .order_by("-pk")
        .first()
    )
    if card is None:
        return None
    if not reason.strip():
        raise ValidationError("Xin ghi lý do thu hồi thẻ.")
    _end(acting_user, card, CardState.WITHDRAWN, on, reason)
    _audit(acting_user, card, f"Thu hồi thẻ đảng viên số {card.number or '(chưa có số)'} của "
           f"{card.member.full_name}", ended_on=on.isoformat(), reason=card.end_note)  # fmt: skip
    return card


@transaction.atomic
def card_correct(
    *, acting_user: ActingUser, card: PartyCard, number: str, issued_on: dt.date | None
) -> PartyCard:
    """Correct the number or issue day a card was registered with when they were written wrong
    (the card itself is right: a wrongly printed card is void and re-issued instead); the record
    follows when it is the active card."""
    card = _locked(card)
    if card.state not in (CardState.REGISTERED, CardState.HANDED):
        raise ValidationError("Chỉ sửa số của thẻ đã có số, đang chờ trao hoặc đang dùng.")
    number = "".join(number.split())
    if not number:
        raise ValidationError("Xin nhập số thẻ đảng viên.")
    if issued_on is not None and issued_on > timezone.localdate():
        raise ValidationError(f"Ngày cấp thẻ {issued_on:%d/%m/%Y} chưa tới.")
    problems = number_problems(number, issued_on)
    if problems:
        raise ValidationError([message for _, message in problems])
    before = {"number": card.number, "issued_on": str(card.issued_on or "")}
    if number != card.number:
        _number_free(number, card.member)
    card.number, card.issued_on, card.recorded_by = number, issued_on, acting_user
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError as taken:
        raise ValidationError(f"Số thẻ {number} đã được ghi cho một thẻ khác.") from taken
    if card.state == CardState.HANDED:
        _record_follows(card.member, card)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=card.member,
        summary=f"Sửa số thẻ đảng viên ghi sai của {card.member.full_name}: {number}",
        before=before,
        after={"card": card.pk, "number": number, "issued_on": str(issued_on or "")},
    )
    return card


# --- The to-do list ------------------------------------------------------------------------------

RECENT_DAYS = 366  # recognitions this recent wait on the to-do list; older gaps are in the queue


@dataclass(frozen=True)
class Due:
    what: str
    count: int
    org: str  # the queue's organization
    url: str


def card_todo(user: Actor, today: dt.date) -> list[Due]:
    """What waits on the user in the card queue: requests and numbers for the committee above
    (`decide`), handing out for the cell (`propose`); counted in SQL over the user's scope, each
    linking to the queue of the user's first organization."""
    from django.urls import reverse

    from dangvien.orgs.selectors import reportable_roots

    decide = restrict_q(user, Case, DECIDE)  # a case's path field is the member's: org_path
    propose = restrict_q(user, Case, PROPOSE, prefix="member__")
    deciding = restrict_q(user, Case, DECIDE, prefix="member__")
    counts = [
        (
            "de-nghi",
            "Đề nghị cấp thẻ đảng viên (đã công nhận chính thức)",
            _to_request(
                Member.objects.filter(
                    decide, recognition_date__gte=today - dt.timedelta(RECENT_DAYS)
                )
            ).count(),
        ),
        (
            "cho-so",
            "Ghi số thẻ đảng viên đã đề nghị cấp",
            PartyCard.objects.filter(deciding, state=CardState.REQUESTED).count(),
        ),
        (
            "cho-trao",
            "Trao thẻ đảng viên tại buổi sinh hoạt chi bộ",
            PartyCard.objects.filter(propose, state=CardState.REGISTERED).count(),
        ),
    ]
    if not any(n for _, _, n in counts):
        return []
    roots = reportable_roots(user)
    if not roots:
        return []
    queue = reverse("card_queue", args=[roots[0].pk])
    return [
        Due(what, n, roots[0].name, f"{queue}?giai-doan={code}") for code, what, n in counts if n
    ]


# --- Report figures ------------------------------------------------------------------------------


def _figure_filters(start: dt.date, end: dt.date) -> dict[str, tuple[str, Q]]:
    """key → (label, the cards it counts) over a period (the day each event was recorded)."""
    handed = Q(handed_on__gte=start, handed_on__lte=end)
    ended = Q(ended_on__gte=start, ended_on__lte=end)
    return {
        "cards_issued": ("Trao thẻ đảng viên (cấp mới)", handed & Q(replaces__isnull=True)),
        "cards_reissued": ("Trao thẻ đảng viên cấp lại", handed & Q(replaces__isnull=False)),
        "cards_void": ("Hủy thẻ đảng viên (mất, hỏng, in sai)", ended & Q(state=CardState.VOID)),
        "cards_withdrawn": ("Thu hồi thẻ đảng viên", ended & Q(state=CardState.WITHDRAWN)),
    }


FIGURE_KEYS = ("cards_issued", "cards_reissued", "cards_void", "cards_withdrawn")


def card_figures(
    user: Actor, org: Organization, start: dt.date, end: dt.date
) -> list[tuple[str, str, int]]:
    """(key, label, count) of each card figure of `org`'s subtree over the period, counted over
    the cards of the members the user sees (where they are now), in one query."""
    filters = _figure_filters(start, end)
    counts = (
        cards_visible_to(user)
        .filter(subtree_q("member__org_path", org.path))
        .aggregate(**{key: Count("pk", filter=q) for key, (_, q) in filters.items()})
    )
    return [(key, filters[key][0], counts[key] or 0) for key in FIGURE_KEYS]


def figure_cards(
    user: Actor, org: Organization, key: str, start: dt.date, end: dt.date
) -> tuple[str, QuerySet[PartyCard]] | None:
    """The label and the cards behind one figure (the same filter as its count); None for an
    unknown key."""
    filters = _figure_filters(start, end)
    if key not in filters:
        return None
    label, q = filters[key]
    found = cards_visible_to(user).filter(subtree_q("member__org_path", org.path)).filter(q)
    return label, found.select_related("member", "member__org").order_by("member__name_sort", "pk")


# --- Records written with a card number (the import, a record created with one) ----------------

FOLLOW_CHUNK = 5000


def cards_from_records(member_ids: Iterable[int]) -> None:
    """Register the card numbers these records hold: a member with no card active nor in
    progress gets the record's card as the active one (issued, and taken as handed, on the
    record's issue day), one INSERT … SELECT per chunk; a member whose active card has another
    number (the import corrected it) gets that card's number and issue day corrected. A number
    the registry already gives another card is left out: the quality checks show the record."""
    from django.db import connection

    quote = connection.ops.quote_name
    cards_table, members_table = quote(PartyCard._meta.db_table), quote(Member._meta.db_table)
    held = ", ".join(f"'{state}'" for state in HELD)
    ids = list(member_ids)
    for start in range(0, len(ids), FOLLOW_CHUNK):
        chunk = ids[start : start + FOLLOW_CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {cards_table} (member_id, number, state, issued_on, handed_on, "
                "void_reason, end_note, reference, handed_note) "
                "SELECT m.id, m.party_card_number, 'handed', m.party_card_issued_date, "
                f"m.party_card_issued_date, '', '', '', '' FROM {members_table} m "
                f"WHERE m.id IN ({marks}) AND m.party_card_number IS NOT NULL "
                "AND m.party_card_number <> '' "
                f"AND NOT EXISTS (SELECT 1 FROM {cards_table} c WHERE c.member_id = m.id "
                f"AND c.state IN ({held})) "
                f"AND NOT EXISTS (SELECT 1 FROM {cards_table} c "
                "WHERE c.number = m.party_card_number)",
                chunk,
            )
        differing = (
            PartyCard.objects.filter(member_id__in=chunk, state=CardState.HANDED)
            .exclude(member__party_card_number=F("number"))
            .exclude(member__party_card_number__isnull=True)
            .exclude(member__party_card_number="")
            .select_related("member")
        )
        for card in differing:
            number = card.member.party_card_number
            if PartyCard.objects.filter(number=number).exists():
                continue
            card.number, card.issued_on = number, card.member.party_card_issued_date
            card.save(update_fields=["number", "issued_on"])
