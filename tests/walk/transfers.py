"""Transfers in the permission walk: a1's official transfer from cell A to cell C, its letter
sent (so both ends see it), with its letter step and a document. Who reaches them is the
oracle's table for the declared action (tests/walk/oracle.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def world_transfers(world: Any) -> dict[str, dict[str, Any]]:
    """label → name → object, made once per world (found again on later calls)."""
    from django.core.files.base import ContentFile

    from dangvien.procedures.models import Case, CaseDocument, CaseKind, Step, Transfer

    case = Case.objects.filter(kind=CaseKind.TRANSFER_OFFICIAL, member=world.a1).first()
    if case is None:
        case = Case.objects.create(
            kind=CaseKind.TRANSFER_OFFICIAL,
            member=world.a1,
            org=world.cell_a,
            org_path=world.cell_a.path,
            other_org=world.cell_c,
            other_org_path=world.cell_c.path,
            opened_on=dt.date(2026, 3, 2),
        )
        Transfer.objects.create(case=case, reason="new_job")
        document = CaseDocument(
            case=case,
            form_code="GGT-SHĐ",
            title="Giấy giới thiệu sinh hoạt đảng",
            file_name="GGT-SHĐ.pdf",
            content_type="application/pdf",
            size=len(TINY_PDF),
        )
        document.file.save("GGT-SHD.pdf", ContentFile(TINY_PDF), save=False)
        document.save()
        Step.objects.create(
            case=case, kind="letter", done_on=dt.date(2026, 3, 10), document=document
        )
    return {
        "procedures.case": {"transfer_ac": case},
        "procedures.step": {"transfer_step": case.steps.get(kind="letter")},
        "procedures.casedocument": {"transfer_document": case.documents.get()},
    }
