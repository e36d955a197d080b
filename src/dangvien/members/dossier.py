"""Writes to the dossier: photo, rows of the history tables, yearly supplements.

Each service is one transaction with its audit row, whose target is the member, so every change
shows in the record's history. Re-exported by `dangvien.members.services`.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.db.models import F

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.members.models import (
    AcademicTitle,
    Award,
    Discipline,
    EducationLevel,
    FamilyMember,
    Member,
    Occupation,
    Position,
    ProfessionalLevel,
    Supplement,
    TheoryLevel,
    TrainingCourse,
    WorkPeriod,
)
from dangvien.members.photos import check_photo

# The history tables by the name used in services and the API.
DOSSIER_TABLES: dict[str, type[models.Model]] = {
    "family": FamilyMember,
    "work_history": WorkPeriod,
    "training": TrainingCourse,
    "awards": Award,
    "disciplines": Discipline,
    "positions": Position,
}

# Fields a yearly supplement may change, by model field name. Identity, status and cell are not
# among them: those change through their own procedures (status changes, transfers).
SUPPLEMENT_FIELDS = [
    "other_names",
    "phone",
    "residence_address",
    "residence_province_code",
    "residence_ward_code",
    "current_address",
    "current_province_code",
    "current_ward_code",
    "education",
    "professional_level",
    "professional_field",
    "academic_title",
    "theory_level",
    "foreign_languages",
    "it_skills",
    "occupation",
]

_REFERENCES: dict[str, type[models.Model]] = {
    "education": EducationLevel,
    "professional_level": ProfessionalLevel,
    "academic_title": AcademicTitle,
    "theory_level": TheoryLevel,
    "occupation": Occupation,
}


def phone_normalize(text: str) -> str:
    """Digits only, the national form: "+84 912.345.678" → "0912345678"."""
    digits = re.sub(r"\D", "", text or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _member_locked(member: Member) -> Member:
    return Member.objects.select_for_update().get(pk=member.pk)


def _bump(member: Member) -> None:
    Member.objects.filter(pk=member.pk).update(version=F("version") + 1)
    member.refresh_from_db(fields=["version", "updated_at"])


@transaction.atomic
def member_photo_set(*, acting_user: ActingUser, member: Member, upload: Any) -> Member:
    """Check and store a 3×4 photo, replacing the previous one. `upload` is a file or bytes."""
    data = upload if isinstance(upload, bytes) else upload.read()
    photo = check_photo(data)
    locked = _member_locked(member)
    old_name = locked.photo.name
    locked.photo.save(
        f"photos/{locked.pk}-{uuid.uuid4().hex[:12]}.jpg", ContentFile(photo.content), save=False
    )
    Member.objects.filter(pk=locked.pk).update(photo=locked.photo.name, version=F("version") + 1)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        summary=f"Cập nhật ảnh 3×4 ({photo.width}×{photo.height} điểm ảnh)",
        before={"photo": bool(old_name)},
        after={"photo": True},
    )
    if old_name:
        # Removed only once the new photo is committed: a rollback keeps the old one.
        storage = locked.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    member.refresh_from_db(fields=["photo", "version", "updated_at"])
    return member


def _table(name: str) -> type[models.Model]:
    try:
        return DOSSIER_TABLES[name]
    except KeyError:
        raise ValidationError(f"Không có mục hồ sơ «{name}».") from None


def _row_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name for f in model._meta.concrete_fields if f.name not in ("id", "member") and f.editable
    ]


def _row_clean(row: models.Model, fields: list[str]) -> None:
    start, end = getattr(row, "start", None), getattr(row, "end", None)
    if start and end and end < start:
        raise ValidationError({"end": "Ngày kết thúc trước ngày bắt đầu."})
    row.full_clean(exclude=["member"])


@transaction.atomic
def dossier_row_add(
    *, acting_user: ActingUser, member: Member, table: str, values: dict[str, Any]
) -> models.Model:
    """Add a row (a relative, a work period, an award …) to one of the member's history tables."""
    model = _table(table)
    fields = _row_fields(model)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(f"Mục không hợp lệ: {', '.join(sorted(unknown))}.")
    locked = _member_locked(member)
    row = model(member=locked, **values)
    _row_clean(row, fields)
    row.save()
    _bump(locked)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        summary=f"Thêm {model._meta.verbose_name}: {row}",
        after={"table": table, "id": row.pk, **snapshot(row, fields)},
    )
    return row


@transaction.atomic
def dossier_row_update(
    *, acting_user: ActingUser, row: models.Model, values: dict[str, Any]
) -> models.Model:
    """Change a row of a history table (rows are corrected, not deleted: the history stays)."""
    model = type(row)
    table = next((k for k, v in DOSSIER_TABLES.items() if v is model), None)
    if table is None:
        raise ValidationError("Không phải một mục hồ sơ.")
    fields = _row_fields(model)
    unknown = set(values) - set(fields)
    if unknown:
        raise ValidationError(f"Mục không hợp lệ: {', '.join(sorted(unknown))}.")
    locked = _member_locked(row.member)  # type: ignore[attr-defined]
    row = model._default_manager.select_for_update().get(pk=row.pk)
    before = snapshot(row, fields)
    for name, value in values.items():
        setattr(row, name, value)
    _row_clean(row, fields)
    row.save()
    _bump(locked)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        summary=f"Sửa {model._meta.verbose_name}: {row}",
        before={"table": table, "id": row.pk, **before},
        after={"table": table, "id": row.pk, **snapshot(row, fields)},
    )
    return row


def _supplement_value(name: str, value: Any) -> Any:
    """A value of a supplement as the model takes it: reference lists by code, dates parsed."""
    if name in _REFERENCES:
        if value in (None, ""):
            return None
        if isinstance(value, models.Model):
            return value
        found = _REFERENCES[name]._default_manager.filter(code=value).first()
        if found is None:
            label = _label(name)
            raise ValidationError({name: f"Không có «{value}» trong danh mục {label}."})
        return found
    if name == "phone":
        return phone_normalize(str(value or ""))
    if value is None and not _member_field(name).null:
        return ""
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return getattr(value, "code", value.pk)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


@transaction.atomic
def supplement_record(
    *,
    acting_user: ActingUser,
    member: Member,
    year: int,
    changes: dict[str, Any],
    note: str = "",
    submitted: dt.date | None = None,
) -> Supplement:
    """Store the yearly phiếu bổ sung hồ sơ and apply its changes to the record, together.

    `changes` maps field names (SUPPLEMENT_FIELDS) to new values; reference lists by code. One
    supplement per member per year: a second one for the same year is refused.
    """
    today = dt.date.today()
    if not 1930 <= year <= today.year:
        raise ValidationError({"year": f"Năm bổ sung không hợp lệ: {year}."})
    unknown = set(changes) - set(SUPPLEMENT_FIELDS)
    if unknown:
        raise ValidationError(
            "Phiếu bổ sung không thay đổi được các mục: "
            + ", ".join(sorted(_label(n) if n in _field_names() else n for n in unknown))
            + "."
        )
    locked = _member_locked(member)
    if Supplement.objects.filter(member=locked, year=year).exists():
        raise ValidationError({"year": f"Đảng viên đã có phiếu bổ sung hồ sơ năm {year}."})
    values = {name: _supplement_value(name, value) for name, value in changes.items()}
    before = snapshot(locked, list(values))
    for name, value in values.items():
        setattr(locked, name, value)
    locked.clean_fields(exclude=[f.name for f in Member._meta.fields if f.name not in values])
    applied = {name: _plain(value) for name, value in values.items()}
    try:
        with transaction.atomic():
            supplement = Supplement.objects.create(
                member=locked, year=year, submitted=submitted or today, changes=applied, note=note
            )
    except IntegrityError:  # a concurrent supplement for the same year
        raise ValidationError(
            {"year": f"Đảng viên đã có phiếu bổ sung hồ sơ năm {year}."}
        ) from None
    if values:
        locked.version = F("version") + 1
        locked.save(update_fields=[*values, "version", "updated_at"])
        locked.refresh_from_db(fields=["version"])
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        summary=f"Phiếu bổ sung hồ sơ năm {year}",
        before=before,
        after=snapshot(locked, list(values)),
    )
    member.refresh_from_db()
    return supplement


def _field_names() -> set[str]:
    return {f.name for f in Member._meta.fields}


def _member_field(name: str) -> models.Field:
    field = Member._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def _label(name: str) -> str:
    return str(_member_field(name).verbose_name)
