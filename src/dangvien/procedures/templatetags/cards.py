"""The member record's party cards, so that `members` shows them without importing procedures."""

from __future__ import annotations

from typing import Any

from django import template

from dangvien.accounts.access import MANAGE, allowed
from dangvien.accounts.types import Actor
from dangvien.procedures import cards
from dangvien.procedures.models import CARD_IN_PROGRESS, CardState

register = template.Library()


@register.simple_tag
def member_cards(user: Actor, member: Any) -> list[Any]:
    """Every card the member held (none for who may not see the member)."""
    return cards.card_history(user, member)


@register.filter
def may_manage_cards(user: Actor, member: Any) -> bool:
    """Whether the card pages of this member are the user's (those who keep the record)."""
    return allowed(user, MANAGE, member)


@register.simple_tag
def own_card(user: Actor, member: Any) -> dict[str, Any]:
    """The handbook's card lines: the member's active card and one being issued (a re-issue)."""
    history = cards.card_history(user, member)
    return {
        "active": next((c for c in history if c.state == CardState.HANDED), None),
        "coming": next((c for c in history if c.state in CARD_IN_PROGRESS), None),
    }
