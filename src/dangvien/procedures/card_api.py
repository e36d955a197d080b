"""API of party cards: the issue queue by stage (scoped, paged), the lookup by card number and a
member's cards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Schema
from ninja.pagination import paginate

from dangvien.accounts.access import REPORT
from dangvien.accounts.http import ApiRequest
from dangvien.members.models import Member
from dangvien.members.selectors import members_visible_to
from dangvien.members.services import member_viewed
from dangvien.orgs.selectors import org_for
from dangvien.procedures import cards
from dangvien.procedures.api import router
from dangvien.procedures.models import PartyCard
from dangvien.web.api import ERRORS, NextOffsetPagination, acting_user, not_found


class CardOut(Schema):
    id: int
    member_id: int
    full_name: str
    number: str | None
    state: str
    state_label: str
    requested_on: dt.date | None
    registered_on: dt.date | None
    issued_on: dt.date | None
    handed_on: dt.date | None
    ended_on: dt.date | None
    void_reason: str
    end_note: str
    reference: str
    replaces_id: int | None

    @staticmethod
    def resolve_full_name(obj: PartyCard) -> str:
        return obj.member.full_name

    @staticmethod
    def resolve_state_label(obj: PartyCard) -> str:
        return obj.get_state_display()


class QueueOut(Schema):
    member_id: int
    full_name: str
    org_id: int | None
    org_name: str
    recognition_date: dt.date | None
    card: CardOut | None  # none at the first stage (no card requested yet)


class _Waiting:
    """Stage 1 read a page at a time: members, no card yet."""

    def __init__(self, members: Any) -> None:
        self.members = members

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_row(m, None) for m in self.members.select_related("org")[page]]


class _Carded:
    def __init__(self, found: Any) -> None:
        self.found = found

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_row(c.member, c) for c in self.found[page]]


def _row(member: Member, card: PartyCard | None) -> dict[str, Any]:
    return {
        "member_id": member.pk,
        "full_name": member.full_name,
        "org_id": member.org_id,
        "org_name": member.org.name if member.org else "",
        "recognition_date": member.recognition_date,
        "card": card,
    }


@router.get(
    "/cards",
    response={200: list[QueueOut], **ERRORS},
    summary="Cấp thẻ đảng viên: danh sách theo giai đoạn",
)
@paginate(NextOffsetPagination)
def card_queue(
    request: ApiRequest,
    org: int | None = Query(None, description="chỉ cây tổ chức của tổ chức này"),
    stage: str = Query(
        "de-nghi",
        description="de-nghi (chờ đề nghị cấp), cho-so (chờ số thẻ), cho-trao (chờ trao), "
        "da-trao (đã trao trong năm)",
    ),
) -> Any:
    user = acting_user(request)
    node = None
    if org is not None:
        node = org_for(user, REPORT, org)
        if node is None:
            raise not_found()
    _, _, state = next((s for s in cards.STAGES if s[0] == stage), cards.STAGES[0])
    if state is None:
        return _Waiting(cards.queue_members(user, node))
    return _Carded(cards.queue_cards(user, node, state))


@router.get(
    "/cards/lookup",
    response={200: list[CardOut], **ERRORS},
    summary="Tra cứu thẻ đảng viên theo số thẻ",
)
def card_lookup(
    request: ApiRequest, number: str = Query("", description="số thẻ, đúng từng chữ số")
) -> list[PartyCard]:
    """The card with exactly this number, if its member is one the user sees (a list of one or
    none); the view is logged as opening the record is."""
    user = acting_user(request)
    card = cards.card_lookup(user, number)
    if card is None:
        return []
    member_viewed(acting_user=user, member=card.member)
    return [card]


@router.get(
    "/cards/members/{member_id}",
    response={200: list[CardOut], **ERRORS},
    summary="Các thẻ đảng viên của một đảng viên",
)
def member_cards(request: ApiRequest, member_id: int) -> list[PartyCard]:
    user = acting_user(request)
    member = members_visible_to(user).filter(pk=member_id).first()
    if member is None:
        raise not_found()
    history = cards.card_history(user, member)
    for card in history:
        card.member = member
    return history
