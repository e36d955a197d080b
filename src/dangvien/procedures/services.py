"""Writes of procedures: candidates, cases, their documents and introducers, and `step_record`,
the one way a step is recorded. One transaction each, the audit row inside it.

`step_record` judges a step by the rules in force on its day: the order of the case's flow, the
documents it needs, the vote, the eligibility of the person, the deadline. A refusal raises
`StepRefused` with the Vietnamese sentence naming the rule that decided; nothing is written.
A step after its deadline is accepted only with a reason, and stays marked late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.functions import Length, Substr
from django.utils import timezone

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record, snapshot
from dangvien.core.models import AuditEvent
from dangvien.core.paths import SEGMENT, rebase_field, subtree_q
from dangvien.core.text import name_sort_key, normalize
from dangvien.members.editing import member_update
from dangvien.members.models import Member, Status, StatusPeriod
from dangvien.members.selectors import members_of_org_on
from dangvien.members.services import member_create
from dangvien.members.validation import blocking, member_problems
from dangvien.orgs.models import Organization
from dangvien.procedures import badges, exemptions, exits, readmission, recognition, transfers
from dangvien.procedures.flows import (
    FORM_CODES,
    StepSpec,
    main_next,
    skipped,
    spec_of,
)
from dangvien.procedures.models import (
    AdmissionTarget,
    Candidate,
    Case,
    CaseDocument,
    CaseKind,
    CaseState,
    Introducer,
    ScreeningItem,
    Step,
)
from dangvien.procedures.rules import Verdict, judge, rule_in_force
from dangvien.procedures.rules import admission as admission_rules
from dangvien.procedures.rules import votes as vote_rules

MAX_UPLOAD = 20 * 1024 * 1024
# What an uploaded scan may be, recognised by its first bytes whatever its name says.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"PK\x03\x04", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     ".docx"),
)  # fmt: skip

# The personal data of a candidate, in the member record's field names.
PERSON_FIELDS = (
    "full_name", "gender", "date_of_birth", "citizen_id", "ethnicity", "religion", "phone",
    "birthplace", "hometown", "residence_address", "current_address", "education",
    "professional_level", "professional_field", "occupation",
)  # fmt: skip
CANDIDATE_FIELDS = (
    *PERSON_FIELDS, "education_exception", "source", "class_name", "class_certificate_date",
    "registered_on", "note",
)  # fmt: skip


class StepRefused(ValidationError):
    """A step the rules do not allow: the message says which rule, nothing was written."""


def _today() -> dt.date:
    return timezone.localdate()


def _require_cell(org: Organization) -> None:
    if not org.level.holds_members:
        raise ValidationError(f"«{org.name}» không phải chi bộ.")
    if org.dissolved_on is not None:
        raise ValidationError(f"«{org.name}» đã giải thể ngày {org.dissolved_on:%d/%m/%Y}.")


def person_problems(values: dict[str, Any], *, former: Member | None = None) -> list[str]:
    """The blocking problems of a candidate's personal data, by the member record's validators
    (a CCCD already on a member record is one: that person is a member already, unless it is the
    `former` member's own record being re-admitted)."""
    checked = {k: v for k, v in values.items() if k in PERSON_FIELDS and v not in (None, "")}
    return [p.message for p in blocking(member_problems(checked, member=former))]


# --- Candidates -------------------------------------------------------------------------------


@transaction.atomic
def candidate_register(
    *,
    acting_user: ActingUser,
    org: Organization,
    values: dict[str, Any],
    helpers: Iterable[Member] = (),
) -> Candidate:
    org.refresh_from_db()
    _require_cell(org)
    problems = person_problems(values)
    if problems:
        raise ValidationError(problems)
    fields = {k: v for k, v in values.items() if k in CANDIDATE_FIELDS}
    fields["full_name"] = normalize(fields["full_name"])
    candidate = Candidate.objects.create(
        org=org,
        org_path=org.path,
        name_sort=name_sort_key(fields["full_name"])[:400],
        created_by=acting_user,
        **fields,
    )
    candidate.helpers.set(list(helpers))
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=candidate,
        summary=f"Đưa {candidate.full_name} vào danh sách quần chúng ưu tú",
        after=snapshot(candidate, ["full_name", "date_of_birth", "org", "source"]),
    )
    return candidate


@transaction.atomic
def candidate_update(
    *,
    acting_user: ActingUser,
    candidate: Candidate,
    values: dict[str, Any],
    helpers: Iterable[Member] | None = None,
) -> Candidate:
    former = Member.objects.filter(readmissions__case__candidate=candidate).first()
    problems = person_problems(values, former=former)
    if problems:
        raise ValidationError(problems)
    changed = {
        k: v for k, v in values.items() if k in CANDIDATE_FIELDS and getattr(candidate, k) != v
    }
    before = snapshot(candidate, list(changed))
    for name, value in changed.items():
        setattr(candidate, name, value)
    if "full_name" in changed:
        candidate.full_name = normalize(candidate.full_name)
        candidate.name_sort = name_sort_key(candidate.full_name)[:400]
    candidate.save()
    if helpers is not None:
        candidate.helpers.set(list(helpers))
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=candidate,
        summary=f"Sửa thông tin quần chúng ưu tú {candidate.full_name}",
        before=before,
        after=snapshot(candidate, list(changed)),
    )
    return candidate


# --- Cases ------------------------------------------------------------------------------------


@transaction.atomic
def admission_open(
    *, acting_user: ActingUser, candidate: Candidate, opened_on: dt.date | None = None
) -> Case:
    """An admission case for a candidate of a cell (one open case per candidate)."""
    opened_on = opened_on or _today()
    if opened_on > _today():
        raise ValidationError("Ngày mở hồ sơ chưa tới.")
    if Case.objects.filter(candidate=candidate, state=CaseState.OPEN).exists():
        raise ValidationError(f"{candidate.full_name} đang có hồ sơ kết nạp chưa kết thúc.")
    org = Organization.objects.get(pk=candidate.org_id)
    _require_cell(org)
    case = Case.objects.create(
        kind=CaseKind.ADMISSION,
        candidate=candidate,
        org=org,
        org_path=org.path,
        opened_on=opened_on,
        opened_by=acting_user,
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.CREATE,
        target=case,
        summary=f"Mở hồ sơ kết nạp {candidate.full_name}",
        after=snapshot(case, ["kind", "candidate", "org", "opened_on"]),
    )
    return case


def _official_on(member: Member, day: dt.date) -> bool:
    return StatusPeriod.objects.on(day).filter(member=member, status=Status.OFFICIAL).exists()


@transaction.atomic
def introducer_add(
    *, acting_user: ActingUser, case: Case, member: Member, known_since: dt.date
) -> Introducer:
    """One of the two introducers, checked today by the rule in force (and again on the cell's
    day of consideration)."""
    _require_open(case)
    if case.introducers.count() >= 2:
        raise ValidationError("Hồ sơ đã có đủ hai người giới thiệu.")
    if case.introducers.filter(member=member).exists():
        raise ValidationError(f"{member.full_name} đã là người giới thiệu của hồ sơ này.")
    today = _today()
    verdict = judge(
        admission_rules.INTRODUCER,
        today,
        name=member.full_name,
        official_on_day=_official_on(member, today),
        known_since=known_since,
        day=today,
    )
    if not verdict.ok:
        raise StepRefused(verdict.text)
    row = Introducer.objects.create(case=case, member=member, known_since=known_since)
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=case,
        summary=f"Thêm người giới thiệu {member.full_name}",
        after={"introducer": member.pk, "known_since": known_since.isoformat()},
    )
    return row


def _content_type(head: bytes) -> tuple[str, str]:
    for signature, content_type, suffix in _SIGNATURES:
        if head.startswith(signature):
            return content_type, suffix
    raise ValidationError("Tệp phải là bản quét PDF, ảnh JPEG/PNG hoặc tệp Word (.docx).")


@transaction.atomic
def document_upload(
    *, acting_user: ActingUser, case: Case, form_code: str, upload: UploadedFile, title: str = ""
) -> CaseDocument:
    _require_open(case)
    codes = dict(FORM_CODES.get(case.kind, ()))
    if form_code not in codes:
        raise ValidationError(f"Mẫu «{form_code}» không thuộc hồ sơ này.")
    if upload.size is None or upload.size > MAX_UPLOAD:
        raise ValidationError("Tệp lớn quá 20 MB.")
    upload.seek(0)
    content_type, suffix = _content_type(upload.read(8))
    upload.seek(0)
    document = CaseDocument(
        case=case,
        form_code=form_code,
        title=title or codes[form_code],
        file_name=f"{form_code}{suffix}",
        content_type=content_type,
        size=upload.size,
        uploaded_by=acting_user,
    )
    document.file.save(f"{form_code}{suffix}", upload, save=False)
    try:
        document.save()
        audit_record(
            actor=acting_user,
            action=AuditEvent.Action.UPDATE,
            target=case,
            summary=f"Thêm tài liệu {form_code}: {document.title}",
            after={"document": document.pk, "form_code": form_code},
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def _require_open(case: Case) -> None:
    if case.state != CaseState.OPEN:
        raise StepRefused(f"Hồ sơ đã kết thúc ngày {case.closed_on:%d/%m/%Y}.")


# --- Steps ------------------------------------------------------------------------------------


def steps_done(case: Case) -> dict[str, Step]:
    return {step.kind: step for step in case.steps.all()}


def steps_skipped(case: Case) -> set[str]:
    """The steps of the case's flow that do not exist for its cell's level."""
    return skipped(case.kind, case.org.level.code)


def deadline_of(case: Case, spec: StepSpec, done: dict[str, Step]) -> tuple[dt.date, str] | None:
    """The day `spec` is due on this case and the rule's words, once the step it counts from is
    done; None when it has no deadline (yet)."""
    if spec.deadline is None:
        return None
    anchor = DEADLINE_ANCHORS.get((case.kind, spec.deadline.since))
    if anchor is not None:
        start = anchor(case)
    elif spec.deadline.since not in done:
        return None
    else:
        since = done[spec.deadline.since]
        start = getattr(since, spec.deadline.field, None) or since.done_on
    rule = rule_in_force(spec.deadline.rule, start)
    due = rule(**{spec.deadline.argument: start})
    return due, f"{rule.title}, {rule.citation}"


# (case kind, name) → the day a deadline counts from when it is not a step's (a recognition's
# consideration counts from the member's 12-month date).
DEADLINE_ANCHORS: dict[tuple[str, str], Callable[[Case], dt.date]] = {
    **recognition.DEADLINE_ANCHORS,
}


def _eligible_officials(case: Case, day: dt.date) -> int:
    return members_of_org_on(case.org, day).count()


def _admission_eligibility(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    """On the cell's day of consideration: age, education, certificate, the two introducers."""
    candidate = case.candidate
    assert candidate is not None
    verdicts = [
        judge(
            admission_rules.AGE,
            on,
            born=candidate.date_of_birth,
            day=on,
            higher_approval="higher_approval" in done,
        ),
        judge(
            admission_rules.EDUCATION,
            on,
            code=candidate.education.code if candidate.education else None,
            name=candidate.education.name if candidate.education else "",
            exception=candidate.education_exception,
        ),
        judge(admission_rules.CERTIFICATE, on, issued=candidate.class_certificate_date, day=on),
    ]
    introducers = list(case.introducers.select_related("member"))
    if len(introducers) < 2:
        rule = rule_in_force(admission_rules.INTRODUCER, on)
        verdicts.append(Verdict(False, "Hồ sơ chưa có đủ hai người giới thiệu.", rule))
    for row in introducers:
        verdicts.append(
            judge(
                admission_rules.INTRODUCER,
                on,
                name=row.member.full_name,
                official_on_day=_official_on(row.member, on),
                known_since=row.known_since,
                day=on,
            )
        )
    return verdicts


def _admission_dossier(case: Case, on: dt.date, done: dict[str, Step]) -> list[Verdict]:
    if case.introducers.count() >= 2:
        return []
    rule = rule_in_force(admission_rules.INTRODUCER, on)
    return [Verdict(False, "Hồ sơ chưa có đủ hai người giới thiệu.", rule)]


# (case kind, step kind) → further checks on the step's day.
Check = Callable[[Case, dt.date, dict[str, Step]], list[Verdict]]
CHECKS: dict[tuple[str, str], Check] = {
    (CaseKind.ADMISSION, "dossier"): _admission_dossier,
    (CaseKind.ADMISSION, "cell_resolution"): _admission_eligibility,
    **recognition.CHECKS,
}


def _admit(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    """The decision creates the probationary member through the members' service."""
    if readmission.readmission_of(case) is not None:
        readmission.readmit(acting_user=acting_user, case=case, step=step)
        return
    candidate = case.candidate
    assert candidate is not None
    values = {name: getattr(candidate, name) for name in PERSON_FIELDS}
    values["citizen_id"] = values["citizen_id"] or None
    problems = [p.message for p in blocking(member_problems(values, today=step.done_on))]
    if problems:
        raise StepRefused(problems)
    names = [row.member.full_name for row in case.introducers.select_related("member")]
    member = member_create(
        acting_user=acting_user,
        org=case.org,
        admission_date=step.done_on,
        status=Status.PROBATIONARY,
        introducer_1=names[0] if names else "",
        introducer_2=names[1] if len(names) > 1 else "",
        **{k: v for k, v in values.items() if v not in (None, "") or k == "citizen_id"},
    )
    case.member = member


def _ceremony(*, acting_user: ActingUser, case: Case, step: Step) -> None:
    member = case.member
    assert member is not None
    member_update(
        acting_user=acting_user,
        member=member,
        values={"admission_ceremony_date": step.done_on, "admission_org_name": case.org.name},
        expected_version=Member.objects.get(pk=member.pk).version,
        confirm_warnings=True,
    )


def _both(first: Check | None, second: Check) -> Check:
    """Two checks of one step, the first's verdicts first."""
    if first is None:
        return second
    return lambda case, on, done: [*first(case, on, done), *second(case, on, done)]


EFFECTS: dict[tuple[str, str], Callable[..., None]] = {
    (CaseKind.ADMISSION, "decision"): _admit,
    (CaseKind.ADMISSION, "ceremony"): _ceremony,
    **recognition.EFFECTS,
}
CHECKS.update(transfers.CHECKS)
EFFECTS.update(transfers.EFFECTS)
CHECKS.update(badges.CHECKS)
EFFECTS.update(badges.EFFECTS)
CHECKS.update(exits.CHECKS)
EFFECTS.update(exits.EFFECTS)
CHECKS.update(exemptions.CHECKS)
EFFECTS.update(exemptions.EFFECTS)
for _key, _check in readmission.CHECKS.items():
    CHECKS[_key] = _both(CHECKS.get(_key), _check)


def _refuse(verdicts: list[Verdict]) -> None:
    failed = [v.text for v in verdicts if not v.ok]
    if failed:
        raise StepRefused(failed)


def _check_order(case: Case, spec: StepSpec, done: dict[str, Step], on: dt.date) -> None:
    skip = steps_skipped(case)
    if spec.kind in skip:
        raise StepRefused(f"Bước «{spec.title}» không áp dụng cho {case.org.level.name.lower()}.")
    if spec.kind in done:
        raise StepRefused(f"Bước «{spec.title}» đã ghi ngày {done[spec.kind].done_on:%d/%m/%Y}.")
    if any(k not in done and k not in skip for k in spec.after):
        titles = ", ".join(
            f"«{_title(case, k)}»" for k in spec.after if k not in done and k not in skip
        )
        raise StepRefused(f"Chưa thể ghi «{spec.title}»: cần ghi trước {titles}.")
    blocked = [done[k] for k in spec.before if k in done]
    if blocked:
        raise StepRefused(f"Không thể ghi «{spec.title}» sau khi đã có bước khác kết thúc hồ sơ.")
    if on > _today():
        raise StepRefused(f"Ngày {on:%d/%m/%Y} chưa tới.")
    if on < case.opened_on:
        raise StepRefused(f"Ngày {on:%d/%m/%Y} trước ngày mở hồ sơ {case.opened_on:%d/%m/%Y}.")
    for kind in spec.after:
        if kind in done and on < done[kind].done_on:
            raise StepRefused(
                f"Ngày {on:%d/%m/%Y} trước ngày của bước «{_title(case, kind)}» "
                f"({done[kind].done_on:%d/%m/%Y})."
            )


def _title(case: Case, kind: str) -> str:
    spec = spec_of(case.kind, kind)
    return spec.title if spec is not None else kind


def _check_documents(case: Case, spec: StepSpec) -> None:
    if not spec.documents:
        return
    held = list(case.documents.values_list("form_code", flat=True))
    missing = [
        f"{d.label} ({'/'.join(d.codes)}{f', {d.count} bản' if d.count > 1 else ''})"
        for d in spec.documents
        if sum(code in d.codes for code in held) < d.count
    ]
    if missing:
        raise StepRefused(
            f"Chưa thể ghi «{spec.title}»: hồ sơ còn thiếu " + "; ".join(missing) + " "
            f"(Căn cứ: thành phần hồ sơ {case.get_kind_display().lower()}, Hướng dẫn "
            "12-HD/BTCTW năm 2022)."
        )


@transaction.atomic
def step_record(
    *,
    acting_user: ActingUser,
    case: Case,
    kind: str,
    on: dt.date,
    received_on: dt.date | None = None,
    reference: str = "",
    document: CaseDocument | None = None,
    present: int | None = None,
    votes_for: int | None = None,
    votes_against: int | None = None,
    note: str = "",
    late_reason: str = "",
) -> Step:
    """Record step `kind` of `case` done on `on`, or raise StepRefused saying which rule."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("org__level", "candidate")
        .get(pk=case.pk)
    )
    _require_open(case)
    spec = spec_of(case.kind, kind)
    if spec is None:
        raise StepRefused(f"Bước «{kind}» không thuộc thủ tục {case.get_kind_display()}.")
    done = steps_done(case)
    _check_order(case, spec, done, on)
    if received_on is not None and received_on < on:
        raise StepRefused(f"Ngày nhận {received_on:%d/%m/%Y} trước ngày {on:%d/%m/%Y}.")
    if document is not None and document.case_id != case.pk:
        raise StepRefused("Tài liệu không thuộc hồ sơ này.")
    _check_documents(case, spec)

    verdicts: list[Verdict] = []
    eligible = None
    if spec.vote:
        if present is None or votes_for is None or votes_against is None:
            raise StepRefused("Cần ghi số đảng viên có mặt, tán thành và không tán thành.")
        eligible = _eligible_officials(case, on)
        verdicts.append(
            judge(
                vote_rules.TWO_THIRDS,
                on,
                eligible=eligible,
                present=present,
                votes_for=votes_for,
                votes_against=votes_against,
            )
        )
    check = CHECKS.get((case.kind, kind))
    if check is not None:
        verdicts += check(case, on, done)
    _refuse(verdicts)

    late = False
    due = deadline_of(case, spec, done)
    deadline = due[0] if due else None
    if due is not None and on > due[0]:
        if not late_reason.strip():
            raise StepRefused(
                f"«{spec.title}» ngày {on:%d/%m/%Y} đã quá hạn {due[0]:%d/%m/%Y}: cần ghi lý do "
                f"chậm. (Căn cứ: {due[1]}.)"
            )
        late = True
    rules_used = "; ".join(dict.fromkeys(f"{v.rule.title} ({v.rule.citation})" for v in verdicts))
    if due is not None:
        rules_used = "; ".join(filter(None, [rules_used, due[1]]))

    step = Step.objects.create(
        case=case,
        kind=kind,
        done_on=on,
        received_on=received_on,
        reference=reference,
        recorded_by=acting_user,
        document=document,
        eligible=eligible,
        present=present if spec.vote else None,
        votes_for=votes_for if spec.vote else None,
        votes_against=votes_against if spec.vote else None,
        note=note,
        deadline=deadline,
        late=late,
        late_reason=late_reason.strip() if late else "",
        rule=rules_used[:300],
    )
    effect = EFFECTS.get((case.kind, kind))
    if effect is not None:
        effect(acting_user=acting_user, case=case, step=step)
    done[kind] = step
    if spec.closes:
        case.state = CaseState.CLOSED
        case.closed_on = on
        case.outcome = spec.closes
    case.next_step, case.next_deadline = _waiting(case, done)
    case.save(
        update_fields=["member", "state", "closed_on", "outcome", "next_step", "next_deadline"]
    )
    audit_record(
        actor=acting_user,
        action=AuditEvent.Action.UPDATE,
        target=case,
        summary=f"{spec.title} ngày {on:%d/%m/%Y}" + (" (quá hạn)" if late else ""),
        after=snapshot(
            step, ["kind", "done_on", "received_on", "reference", "present", "votes_for",
                   "votes_against", "eligible", "deadline", "late", "late_reason"]
        ),
    )  # fmt: skip
    return step


def _waiting(case: Case, done: dict[str, Step]) -> tuple[str, dt.date | None]:
    """The step an open case waits for next and its deadline ("", None when closed)."""
    if case.state != CaseState.OPEN:
        return "", None
    spec = main_next(case.kind, set(done), steps_skipped(case))
    if spec is None:
        return "", None
    due = deadline_of(case, spec, done)
    return spec.kind, due[0] if due else None


def paths_rebase(old_path: str, new_path: str) -> None:
    """A subtree moved (restructuring): the paths copied onto cases, candidates and targets
    follow, and a target's parent path is its organization's parent's again."""
    for field in ("org_path", "other_org_path"):
        rebase_field(Case.objects.all(), field, old_path, new_path)
    rebase_field(Candidate.objects.all(), "org_path", old_path, new_path)
    rebase_field(ScreeningItem.objects.all(), "org_path", old_path, new_path)
    targets = AdmissionTarget.objects.all()
    rebase_field(targets, "org_path", old_path, new_path)
    targets.filter(subtree_q("org_path", new_path)).update(
        parent_path=Substr("org_path", 1, Length("org_path") - SEGMENT)
    )
