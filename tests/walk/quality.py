"""Data quality in the permission walk: a POST action on a node (start a check).

Written out by hand from the rules (tests/walk/oracle.py explains why): those the declared action
(check_quality) reaches the node for start it and are sent back to its dashboard; anyone else
gets 404.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.walk.kinds import MISSING_ID, Check, OrgKind, UrlMaker, login_url
from tests.walk.oracle import ALL_ORGS, PERSONAS


@dataclass(frozen=True)
class ReportAction(OrgKind):
    """A POST action on a node: anonymous → login; logged in, GET → 405; POST: those the action
    reaches the node for → 302 (back to its page); others, or a missing node → 404."""

    methods: ClassVar[tuple[str, ...]] = ("POST",)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached = self.reached(action)
        for persona in PERSONAS:
            nodes = [(url(getattr(world, n).pk), n in reached[persona]) for n in ALL_ORGS]
            for target, allowed in [*nodes, (url(MISSING_ID), False)]:
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url, method="post")
                    continue
                yield Check(persona, target, 405)
                yield Check(persona, target, 302 if allowed else 404, method="post")
