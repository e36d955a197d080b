"""Writing to member records in the permission walk."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.walk.kinds import MISSING_ID, Check, MemberKind, UrlMaker
from tests.walk.oracle import ALL_MEMBERS, PERSONAS


@dataclass(frozen=True)
class ApiPatchMember(MemberKind):
    """PATCH without a body: anonymous → 401; whom the action (manage) reaches the record for
    → 422 (the version is missing, nothing written); anyone else, or a missing record → 404."""

    methods: ClassVar[tuple[str, ...]] = ("PATCH",)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        reached = self.reached(action)
        for persona in PERSONAS:
            for name in ALL_MEMBERS:
                target = url(getattr(world, name).pk)
                if persona == "anonymous":
                    yield Check(persona, target, 401, method="patch")
                else:
                    yield Check(
                        persona, target, 422 if name in reached[persona] else 404, method="patch"
                    )
            if persona != "anonymous":
                yield Check(persona, url(MISSING_ID), 404, method="patch")
