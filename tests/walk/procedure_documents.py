"""Documents of procedures in the permission walk: making a case's document (POST) and its PDF
(GET), on the admission case and its document in cell A and in cell C (tests/walk/procedures.py).

Who may is the oracle's table: a document is made by those the producing step's action reaches
(6-KNĐ: `propose`, the cell's and the grassroots'; 9-KNĐ: `decide`, the committee above's), so
the route is walked with both; one who sees the case but may not make that document gets 403,
anyone else 404. A PDF is for those who see the document (`view` on case documents).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.walk.kinds import MISSING_ID, Check, Kind, UrlMaker, login_url
from tests.walk.oracle import ACTIONS, PERSONAS
from tests.walk.procedures import world_procedures

CASES = "procedures.case"
CASE_DOCUMENTS = "procedures.casedocument"
# The admission document each action makes, walked whichever of the two the route declares.
FORMS = {"propose": "6-KNĐ", "decide": "9-KNĐ"}


@dataclass(frozen=True)
class CaseDocumentMake(Kind):
    """POST: anonymous → login; those the form's action reaches → 302 back to the case, having
    made it; those who only see the case → 403; else (or a missing case) → 404. GET → 405."""

    methods: ClassVar[tuple[str, ...]] = ("POST",)

    @property
    def model(self) -> str | None:
        return CASES

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        # Read once (each POST adds a document); admission cases only, whose forms these are.
        cases = {
            name: case
            for name, case in world_procedures(world)[CASES].items()
            if case.kind == "admission"
        }
        assert cases, "the walk's world has no admission case"
        seen = ACTIONS[(CASES, "view")]
        for form_action in dict.fromkeys((action, *FORMS)):
            reached = self.reached(form_action)
            code = FORMS[form_action]
            for persona in PERSONAS:
                targets = [(url(case.pk, code), name) for name, case in sorted(cases.items())]
                for target, name in [*targets, (url(MISSING_ID, code), "")]:
                    if persona == "anonymous":
                        yield Check(persona, target, 302, method="post", location=login_url)
                        continue
                    yield Check(persona, target, 405)
                    status = (
                        302 if name in reached[persona] else 403 if name in seen[persona] else 404
                    )
                    yield Check(persona, target, status, method="post")


@dataclass(frozen=True)
class CaseDocumentFile(Kind):
    """GET a form of a case's document: anonymous → login; those who see it → 200; else 404."""

    @property
    def model(self) -> str | None:
        return CASE_DOCUMENTS

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        # A scan in PDF is served as it is, a Word file converted (an image has no PDF).
        found = {
            name: document
            for name, document in world_procedures(world)[CASE_DOCUMENTS].items()
            if document.content_type.startswith("application/")
        }
        assert found, "the walk's world has no case document in PDF or Word"
        reached = self.reached(action)
        for persona in PERSONAS:
            targets = [
                (url(document.case_id, document.pk), name)
                for name, document in sorted(found.items())
            ]
            for target, name in [*targets, (url(MISSING_ID, MISSING_ID), "")]:
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if name in reached[persona] else 404)
