"""Party cards in the permission walk: a1's card in the registry (the walk's pages and API routes
of cards read it). Who reaches a card is who reaches its member: the routes are declared with
the member's and the node's actions (tests/walk/declarations.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def world_cards(world: Any) -> dict[str, Any]:
    """name → card, made once per world (found again on later calls)."""
    from dangvien.procedures.models import CardState, PartyCard

    card, _ = PartyCard.objects.get_or_create(
        member=world.a1,
        number="01234567",
        defaults={"state": CardState.HANDED, "issued_on": dt.date(2012, 5, 1)},
    )
    return {"card_a1": card}
