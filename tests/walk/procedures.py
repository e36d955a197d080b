"""Procedures in the permission walk: a candidate, an admission case, a step and a document in
cell A and the same in cell C. Who reaches them is the oracle's table for the declared action
(tests/walk/oracle.py, `_cells_ac`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from tests.walk.cards import world_cards
from tests.walk.exits import world_exits
from tests.walk.kinds import MISSING_ID, Check, Kind, UrlMaker, login_url
from tests.walk.oracle import PERSONAS
from tests.walk.transfers import world_transfers

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def world_procedures(world: Any) -> dict[str, dict[str, Any]]:
    """label → name → object, made once per world (found again on later calls)."""
    from django.core.files.base import ContentFile

    from dangvien.procedures.models import (
        Candidate,
        Case,
        CaseDocument,
        CaseKind,
        Step,
    )

    def make(cell: Any, suffix: str) -> dict[str, Any]:
        candidate = Candidate.objects.filter(full_name=f"Ứng viên {suffix}").first()
        if candidate is None:
            candidate = Candidate.objects.create(
                org=cell,
                org_path=cell.path,
                full_name=f"Ứng viên {suffix}",
                gender="M",
                date_of_birth=dt.date(1996, 4, 1),
                source="youth_union",
                class_certificate_date=dt.date(2026, 1, 10),
                registered_on=dt.date(2026, 1, 5),
            )
            case = Case.objects.create(
                kind=CaseKind.ADMISSION,
                candidate=candidate,
                org=cell,
                org_path=cell.path,
                opened_on=dt.date(2026, 3, 2),
            )
            document = CaseDocument(
                case=case,
                form_code="1-KNĐ",
                title="Đơn xin vào Đảng",
                file_name="1-KNĐ.pdf",
                content_type="application/pdf",
                size=len(TINY_PDF),
            )
            document.file.save("1-KNĐ.pdf", ContentFile(TINY_PDF), save=False)
            document.save()
            Step.objects.create(case=case, kind="dossier", done_on=dt.date(2026, 3, 3))
        case = Case.objects.get(candidate=candidate)
        return {
            "candidate": candidate,
            "case": case,
            "step": case.steps.get(),
            "document": case.documents.get(),
        }

    a, c = make(world.cell_a, "a"), make(world.cell_c, "c")
    transfer = world_transfers(world)
    leaving = world_exits(world)
    world_cards(world)
    return {
        "procedures.candidate": {"candidate_a": a["candidate"], "candidate_c": c["candidate"]},
        "procedures.case": {
            "case_a": a["case"],
            "case_c": c["case"],
            **transfer["procedures.case"],
            **leaving["procedures.case"],
        },
        "procedures.step": {
            "step_a": a["step"],
            "step_c": c["step"],
            **transfer["procedures.step"],
            **leaving["procedures.step"],
        },
        "procedures.casedocument": {
            "document_a": a["document"],
            "document_c": c["document"],
            **transfer["procedures.casedocument"],
        },
    }


@dataclass(frozen=True)
class ProcedurePage(Kind):
    """A page about one candidate or case (`label`), its URL the object's id then `extra`:
    anonymous → login (API: 401); those the declared action reaches it for → 200 (a POST
    action: GET 405, POST 302); else, or a missing id → 404."""

    label: str
    extra: tuple[Any, ...] = ()
    post: bool = False
    api: bool = False

    @property
    def model(self) -> str | None:
        return self.label

    @property
    def methods(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("POST",) if self.post else ("GET",)

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        objects = world_procedures(world)[self.label]
        if self.label == "procedures.case" and self.extra:
            # A step is walked on the cases whose flow has it (a transfer has no resolution).
            from dangvien.procedures.flows import spec_of

            objects = {n: c for n, c in objects.items() if spec_of(c.kind, self.extra[0])}
        reached = self.reached(action)
        seen = self.reached("view")
        method = "post" if self.post else "get"
        for persona in PERSONAS:
            # Seen but not the user's to act on (a transfer's receiving end asked for a step of
            # the sending cell): 403, as for a decision asked for by a cell's secretary.
            targets = [
                (url(obj.pk, *self.extra), name in reached[persona],
                 name in seen[persona] and action != "view")
                for name, obj in sorted(objects.items())
            ]  # fmt: skip
            for target, allowed, refused in [
                *targets,
                (url(MISSING_ID, *self.extra), False, False),
            ]:
                if persona == "anonymous":
                    if self.api:
                        yield Check(persona, target, 401)
                    else:
                        yield Check(persona, target, 302, location=login_url, method=method)
                    continue
                if self.post:
                    yield Check(persona, target, 405)
                ok = 302 if self.post else 200
                yield Check(
                    persona, target, ok if allowed else 403 if refused else 404, method=method
                )


@dataclass(frozen=True)
class CaseDocumentFile(Kind):
    """A document of a case: anonymous → login; who may see it → 200; others → 404, and so is a
    missing document or one asked for under another case than its own."""

    methods: ClassVar[tuple[str, ...]] = ("GET",)

    @property
    def model(self) -> str | None:
        return "procedures.casedocument"

    def checks(self, world: Any, url: UrlMaker, action: str) -> Iterator[Check]:
        made = world_procedures(world)
        cases, documents = made["procedures.case"], made["procedures.casedocument"]
        reached = self.reached(action)
        mismatched = url(cases["case_a"].pk, documents["document_c"].pk)
        for persona in PERSONAS:
            targets = [
                (url(cases[f"case_{cell}"].pk, documents[f"document_{cell}"].pk),
                 f"document_{cell}" in reached[persona])
                for cell in ("a", "c")
            ]  # fmt: skip
            missing = [url(MISSING_ID, MISSING_ID), url(cases["case_a"].pk, MISSING_ID)]
            for target, allowed in [*targets, *((m, False) for m in [*missing, mismatched])]:
                if persona == "anonymous":
                    yield Check(persona, target, 302, location=login_url)
                else:
                    yield Check(persona, target, 200 if allowed else 404)
