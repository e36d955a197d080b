"""Building procedures' data for tests: a candidate of cell A, an admission case with its
dossier ready."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dangvien.members.models import EducationLevel, Gender
from dangvien.procedures import services
from dangvien.procedures.models import Candidate, CandidateSource, Case

D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOSSIER_CODES = ("1-KNĐ", "2-KNĐ", "3-KNĐ", "3-KNĐ", "5-KNĐ")


def make_candidate(world: Any, **values: Any) -> Candidate:
    defaults: dict[str, Any] = {
        "full_name": "Hoàng Văn Em",
        "gender": Gender.MALE,
        "date_of_birth": D(1995, 6, 1),
        "education": EducationLevel.objects.get(code="12/12"),
        "source": CandidateSource.YOUTH_UNION,
        "class_name": "Lớp nhận thức về Đảng khóa 1/2026",
        "class_certificate_date": D(2026, 1, 10),
        "registered_on": D(2026, 1, 5),
    }
    defaults.update(values)
    return services.candidate_register(
        acting_user=world.users["secretary"], org=world.cell_a, values=defaults
    )


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def make_admission(world: Any, *, dossier: bool = True, **candidate: Any) -> Case:
    """An admission case of cell A opened on 02/03/2026 with two introducers (a1, a2); with
    `dossier`, its documents uploaded and the dossier step recorded on 10/03/2026."""
    secretary = world.users["secretary"]
    case = services.admission_open(
        acting_user=secretary, candidate=make_candidate(world, **candidate), opened_on=D(2026, 3, 2)
    )
    for member in (world.a1, world.a2):
        services.introducer_add(
            acting_user=secretary, case=case, member=member, known_since=D(2020, 1, 1)
        )
    if dossier:
        for code in DOSSIER_CODES:
            services.document_upload(acting_user=secretary, case=case, form_code=code, upload=pdf())
        services.step_record(acting_user=secretary, case=case, kind="dossier", on=D(2026, 3, 10))
    return Case.objects.get(pk=case.pk)
