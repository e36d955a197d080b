"""Restructuring pages in the permission walk.

Who may is the oracle's table for the declared action (restructure: RESTRUCTURE_ORGS, written out
by hand from the rule; tests/walk/oracle.py explains why): a node is restructured by province
staff, by upper committee staff above it, and by administrators. Grassroots staff and cell
secretaries work on the records of their subtree but do not restructure it; members and content
editors never do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.walk.kinds import MISSING_ID, Check, OrgKind, UrlMaker, login_url
from tests.walk.oracle import ALL_ORGS, PERSONAS


@dataclass(frozen=True)
class RestructuringPage(OrgKind):
    """A restructuring page of a node: anonymous → login; those the action reaches it for → 200 on
    GET and on an empty POST (the form again, nothing written); anyone else, or a missing node
    → 404."""

    methods: ClassVar[tuple[str, ...]] = ("GET", "POST")
    post: bool = True  # the operation pages take a POST; the page that lists them does not

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        methods = ("get", "post") if self.post else ("get",)
        reached = self.reached(action)
        for persona in PERSONAS:
            nodes = [(url(getattr(world, n).pk), n in reached[persona]) for n in ALL_ORGS]
            for target, allowed in [*nodes, (url(MISSING_ID), False)]:
                for method in methods:
                    if persona == "anonymous":
                        yield Check(persona, target, 302, location=login_url, method=method)
                    else:
                        yield Check(persona, target, 200 if allowed else 404, method=method)
