"""Editing a member record: checked against the rules, refused when someone else saved it first
(optimistic concurrency on `version`), every change audited with before and after.

Status and cell change only through the procedures (admission, transfer, leaving …), not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.members.models import Member
from dangvien.members.search import name_keys_refresh
from dangvien.members.selectors import party_age_start
from dangvien.members.services import member_names
from dangvien.members.validation import Problem, blocking, member_problems, warnings

# The card number and its issue day are not here: they copy the member's active card in the
# card registry, whose services alone write them (the record shows them with a link there).
EDITABLE = (
    "full_name", "gender", "date_of_birth", "citizen_id", "record_number",
    "ethnicity", "religion", "birth_name", "other_names", "phone", "birthplace", "hometown",
    "residence_address", "current_address", "education", "professional_level",
    "professional_field", "academic_title", "theory_level", "foreign_languages", "it_skills",
    "occupation", "admission_date", "admission_ceremony_date", "admission_org_name",
    "introducer_1", "introducer_2", "recognition_date", "recognition_org_name",
)  # fmt: skip


@dataclass
class Change:
    field: str
    label: str
    yours: Any
    saved: Any


class VersionConflict(Exception):
    """Someone saved the record after the user opened it: nothing was written."""

    def __init__(self, changes: list[Change], version: int) -> None:
        super().__init__("Hồ sơ vừa được người khác sửa.")
        self.changes = changes
        self.version = version


class RecordProblems(ValidationError):
    """Blocking errors, or warnings not confirmed: nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__([p.message for p in problems])
        self.problems = problems


def label_of(field: str) -> str:
    return str(getattr(Member._meta.get_field(field), "verbose_name", field))


def _same(current: Any, value: Any) -> bool:
    if hasattr(current, "pk") or hasattr(value, "pk"):
        return getattr(current, "pk", current) == getattr(value, "pk", value)
    return (current or None) == (value or None)


@transaction.atomic
def member_update(
    *,
    acting_user: ActingUser,
    member: Member,
    values: dict[str, Any],
    expected_version: int,
    confirm_warnings: bool = False,
) -> Member:
    """Save `values` (model field names) on the record the user saw at `expected_version`."""

    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"Không sửa được các trường: {', '.join(unknown)}.")
    locked = Member.objects.select_for_update().get(pk=member.pk)
    changed = {k: v for k, v in values.items() if not _same(getattr(locked, k), v)}
    if locked.version != expected_version:
        conflicts = [
            Change(k, label_of(k), v, getattr(locked, k))
            for k, v in values.items()
            if not _same(getattr(locked, k), v)
        ]
        raise VersionConflict(conflicts, locked.version)
    if not changed:
        return locked
    problems = member_problems(changed, member=locked)
    if blocking(problems) or (warnings(problems) and not confirm_warnings):
        raise RecordProblems(blocking(problems) or warnings(problems))
    before = snapshot(locked, list(changed))
    for field, value in changed.items():
        setattr(locked, field, value)
    update = [*changed, "version", "updated_at"]
    if "full_name" in changed:
        names = member_names(changed["full_name"])
        for field, value in names.items():
            setattr(locked, field, value)
        update += ["name_fold", "name_sort"]
    if "admission_date" in changed:
        locked.party_age_from = party_age_start(locked)  # the gaps count from the new date
        update.append("party_age_from")
    locked.version = F("version") + 1
    locked.save(update_fields=sorted(set(update)))
    locked.refresh_from_db()
    if "full_name" in changed:
        name_keys_refresh(locked)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=locked,
        summary="Sửa hồ sơ: " + ", ".join(label_of(k) for k in changed),
        before=before,
        after=snapshot(locked, list(changed)),
    )
    return locked
