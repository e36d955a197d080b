"""Procedures in the permission walk: a candidate, an admission case, a step and a document in
cell A and the same in cell C. Who reaches them is the oracle's table for the declared action
(tests/walk/oracle.py, `_cells_ac`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
            Step.objects.create(case=case, kind="withdrawal", done_on=dt.date(2026, 3, 3))
        case = Case.objects.get(candidate=candidate)
        return {
            "candidate": candidate,
            "case": case,
            "step": case.steps.get(),
            "document": case.documents.get(),
        }

    a, c = make(world.cell_a, "a"), make(world.cell_c, "c")
    transfer = world_transfers(world)
    return {
        "procedures.candidate": {"candidate_a": a["candidate"], "candidate_c": c["candidate"]},
        "procedures.case": {
            "case_a": a["case"],
            "case_c": c["case"],
            **transfer["procedures.case"],
        },
        "procedures.step": {
            "step_a": a["step"],
            "step_c": c["step"],
            **transfer["procedures.step"],
        },
        "procedures.casedocument": {
            "document_a": a["document"],
            "document_c": c["document"],
            **transfer["procedures.casedocument"],
        },
    }
