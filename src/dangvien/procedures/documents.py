"""The documents procedures produce, filled from Word templates through the office layer.

Each template is keyed by the case kind and the form code a step of its flow produces
(`StepSpec.form_code`): the case page offers "Tạo văn bản" for every form code of the case's
flow that has a template here, to those who may record that step. The document is filled from
the case, the person, the step that produces it (its day, reference number, vote) and the steps
it cites, headed, dated and signed by `office.layout` the HD 36 way, and kept as a generated
`CaseDocument` served only by the case's scoped view; its PDF is converted from the same .docx
(`office.docx_pdf`). A template left by an installation under `DOCX_TEMPLATES_DIR` wins over the
shipped one; one that cannot be used is refused with the office layer's message, nothing saved.

Before its step is recorded a document can still be made, dated today with its figures left as
dots to fill in by hand: the secretary prints the resolution for the meeting.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils import timezone

from dangvien.accounts.types import ActingUser
from dangvien.core.audit import audit_record
from dangvien.core.dates import document_date
from dangvien.core.models import AuditEvent
from dangvien.members.models import Member, Status
from dangvien.office.docx import DOCX, TemplateBroken, render_docx
from dangvien.office.docx_pdf import docx_to_pdf
from dangvien.office.layout import Heading, Signature, percent, place_of, reference
from dangvien.office.layout import date as short_date
from dangvien.office.pdf import FontMissing
from dangvien.orgs.models import Organization
from dangvien.procedures.exemptions import document_facts as exemption_facts
from dangvien.procedures.flows import StepSpec, flow
from dangvien.procedures.models import Case, CaseDocument, CaseKind, Step
from dangvien.procedures.rules import STATUTE_RULES
from dangvien.procedures.rules import recognition as recognition_rules
from dangvien.procedures.rules import transfer as transfer_rules

PDF = "application/pdf"
BLANK = "………"
TRANSFERS = (CaseKind.TRANSFER_OFFICIAL, CaseKind.TRANSFER_TEMPORARY)
EXITS = (CaseKind.STRIKE_OFF, CaseKind.DISCHARGE)

# Who issues a document: the cell, the grassroots committee above it, or the committee above
# that (the one competent to decide admissions and recognitions).
CELL, GRASSROOTS, COMMITTEE = "cell", "grassroots", "committee"
SIGNATURES = {
    CELL: Signature("Chi bộ", "Bí thư"),
    GRASSROOTS: Signature("Đảng ủy", "Bí thư"),
    COMMITTEE: Signature("Ban Thường vụ", "Bí thư"),
}


@dataclass(frozen=True)
class Template:
    """A document of a procedure: its form code, the case kinds it belongs to, its template
    file, who issues it and the kind of document in its reference number (NQ, QĐ …); `cites`
    are the form codes of earlier documents it refers to (their number and day)."""

    form_code: str
    kinds: tuple[str, ...]
    title: str
    template: str
    issuer: str
    kind_code: str
    cites: tuple[str, ...] = ()

    @property
    def file_stem(self) -> str:
        return self.template.rsplit("/", 1)[-1].removesuffix(".docx")


TEMPLATES: tuple[Template, ...] = (
    Template(
        "6-KNĐ",
        (CaseKind.ADMISSION,),
        "Nghị quyết đề nghị kết nạp của chi bộ",
        "procedures/docx/ket_nap_nghi_quyet_chi_bo.docx",
        CELL,
        "NQ",
    ),
    Template(
        "8-KNĐ",
        (CaseKind.ADMISSION,),
        "Nghị quyết đề nghị kết nạp của đảng ủy cơ sở",
        "procedures/docx/ket_nap_nghi_quyet_dang_uy.docx",
        GRASSROOTS,
        "NQ",
        cites=("6-KNĐ",),
    ),
    Template(
        "9-KNĐ",
        (CaseKind.ADMISSION,),
        "Quyết định kết nạp đảng viên",
        "procedures/docx/ket_nap_quyet_dinh.docx",
        COMMITTEE,
        "QĐ",
        cites=("6-KNĐ", "8-KNĐ"),
    ),
    # Recognition (Hướng dẫn 12-HD/BTCTW 2022): the cell's resolution and the decision.
    Template(
        "13-KNĐ",
        (CaseKind.RECOGNITION,),
        "Nghị quyết đề nghị công nhận đảng viên chính thức",
        "procedures/docx/chinh_thuc_nghi_quyet_chi_bo.docx",
        CELL,
        "NQ",
    ),
    Template(
        "16-KNĐ",
        (CaseKind.RECOGNITION,),
        "Quyết định công nhận đảng viên chính thức",
        "procedures/docx/chinh_thuc_quyet_dinh.docx",
        COMMITTEE,
        "QĐ",
        cites=("13-KNĐ",),
    ),
    Template(
        "GGT-SHĐ",
        TRANSFERS,
        "Giấy giới thiệu sinh hoạt đảng",
        "procedures/docx/chuyen_sinh_hoat_giay_gioi_thieu.docx",
        GRASSROOTS,
        "GGT",
    ),
    # Leaving the Party: the competent committee's decisions (no form code is published for
    # them in Hướng dẫn 12-HD/BTCTW: the codes are the installation's own).
    Template(
        "QĐ-XT",
        (CaseKind.STRIKE_OFF,),
        "Quyết định xóa tên trong danh sách đảng viên",
        "procedures/docx/xoa_ten_quyet_dinh.docx",
        COMMITTEE,
        "QĐ",
        cites=("NQ-XT",),
    ),
    Template(
        "QĐ-RKĐ",
        (CaseKind.DISCHARGE,),
        "Quyết định cho ra khỏi Đảng",
        "procedures/docx/ra_khoi_dang_quyet_dinh.docx",
        COMMITTEE,
        "QĐ",
        cites=("NQ-RKĐ",),
    ),
    # The cell's resolution granting an exemption (written in its resolution book).
    Template(
        "NQ-MCT",
        (CaseKind.EXEMPTION,),
        "Nghị quyết chi bộ cho miễn công tác, sinh hoạt đảng",
        "procedures/docx/mien_sinh_hoat_nghi_quyet_chi_bo.docx",
        CELL,
        "NQ",
    ),
)
PROBATION_LIST = "procedures/docx/danh_sach_du_bi.docx"
# How far ahead the list of probationary members due looks, in days.
PROBATION_LIST_AHEAD = 60
PROBATION_LIST_LIMIT = 5000


class DocumentRefused(ValidationError):
    """A document that cannot be made: the message says why, nothing was saved."""


def template_for(kind: str, form_code: str) -> Template | None:
    return next((t for t in TEMPLATES if t.form_code == form_code and kind in t.kinds), None)


@dataclass(frozen=True)
class Offer:
    """A document the case page offers to make: its template and the step that produces it."""

    template: Template
    spec: StepSpec


def offers(case: Case) -> list[Offer]:
    """Every form code of the case's flow that has a template, in the flow's order."""
    found = []
    for spec in flow(case.kind):
        template = template_for(case.kind, spec.form_code) if spec.form_code else None
        if template is not None:
            found.append(Offer(template, spec))
    return found


def offer_of(case: Case, form_code: str) -> Offer | None:
    return next((o for o in offers(case) if o.template.form_code == form_code), None)


# --- Names of committees ----------------------------------------------------------------------

# "Đảng bộ quận Ba Đình" is the organization; its committee signs as "Quận ủy Ba Đình".
_COMMITTEES = (
    ("Đảng bộ quận ", "Quận ủy ", "QU"),
    ("Đảng bộ huyện ", "Huyện ủy ", "HU"),
    ("Đảng bộ thị xã ", "Thị ủy ", "TU"),
    ("Đảng bộ thành phố ", "Thành ủy ", "TU"),
    ("Đảng bộ tỉnh ", "Tỉnh ủy ", "TU"),
    ("Đảng bộ Khối ", "Đảng ủy Khối ", "ĐUK"),
    ("Đảng bộ khối ", "Đảng ủy khối ", "ĐUK"),
    ("Đảng bộ ", "Đảng ủy ", "ĐU"),
)


def committee_of(org: Organization) -> tuple[str, str]:
    """The name an organization's committee signs with, and its abbreviation in reference
    numbers: ("Quận ủy Ba Đình", "QU"); a cell signs as itself ("Chi bộ 1", "CB")."""
    name = org.name.strip()
    if org.level.holds_members and not name.startswith("Đảng bộ"):
        return name, "CB"
    for prefix, committee, short in _COMMITTEES:
        if name.lower().startswith(prefix.lower()):
            return committee + name[len(prefix) :], short
    return name, "ĐU"


def _ancestors(org: Organization) -> list[Organization]:
    """The organizations above `org`, nearest first."""
    found = []
    node = org.parent
    while node is not None:
        found.append(node)
        node = node.parent
    return found


@dataclass(frozen=True)
class Levels:
    """The cell of a case, its grassroots organization and the committee above that."""

    cell: Organization
    grassroots: Organization
    committee: Organization

    @classmethod
    def of(cls, cell: Organization) -> Levels:
        above = _ancestors(cell)
        if cell.level.is_grassroots:
            grassroots = cell
        else:
            grassroots = next(
                (o for o in above if o.level.is_grassroots), above[0] if above else cell
            )
        beyond = _ancestors(grassroots)
        return cls(cell, grassroots, beyond[0] if beyond else grassroots)

    def issuer(self, which: str) -> Organization:
        return {CELL: self.cell, GRASSROOTS: self.grassroots, COMMITTEE: self.committee}[which]


def heading_for(org: Organization, day: dt.date, *, kind_code: str, number: str) -> Heading:
    """The HD 36 heading of a document `org` issues: its committee under the organization
    above it, "Số 12-NQ/CB" (the number as recorded, or a gap to fill in), place and date."""
    committee, short = committee_of(org)
    parent = org.parent
    number = number.strip().removeprefix("Số").strip()
    ref = f"Số {number}" if "/" in number else reference(number or None, kind_code, short)
    return Heading(
        committee=committee,
        place=place_of(org),
        day=day,
        superior=parent.name if parent is not None else "",
        reference=ref,
    )


# --- Context ----------------------------------------------------------------------------------


def day_words(day: dt.date | None) -> str:
    """ "16 tháng 3 năm 2026" (after "ngày"), the way a Party document writes a date."""
    if day is None:
        return BLANK
    return document_date("", day).removeprefix("Ngày ")


def _text(value: Any) -> str:
    return str(value) if value not in (None, "") else BLANK


def _person(case: Case) -> dict[str, str]:
    person: Any = case.member if case.member is not None else case.candidate
    if person is None:
        return {}
    return {
        "full_name": person.full_name,
        "gender": person.get_gender_display(),
        "born": short_date(person.date_of_birth) or BLANK,
        "hometown": _text(person.hometown),
        "address": _text(person.current_address or person.residence_address),
        "ethnicity": _text(person.ethnicity),
        "religion": _text(person.religion or "Không"),
        "education": _text(person.education),
        "occupation": _text(person.occupation),
    }


def _vote(step: Step | None) -> dict[str, str]:
    if step is None or step.votes_for is None:
        return {k: BLANK for k in ("eligible", "present", "votes_for", "votes_against", "share")}
    share = step.votes_for / step.eligible if step.eligible else None
    return {
        "eligible": _text(step.eligible),
        "present": _text(step.present),
        "votes_for": _text(step.votes_for),
        "votes_against": _text(step.votes_against),
        "share": percent(share),
    }


def _cited(step: Step | None) -> dict[str, str]:
    if step is None:
        return {"reference": "số " + BLANK, "day": BLANK}
    ref = step.reference.strip().removeprefix("Số").strip()
    return {"reference": f"số {ref}" if ref else "số " + BLANK, "day": day_words(step.done_on)}


def _regulation(day: dt.date) -> str:
    regulation = next((r for r in STATUTE_RULES if r.holds_on(day)), STATUTE_RULES[-1])
    return regulation.citation


def _member_facts(member: Member | None) -> dict[str, str]:
    if member is None:
        return {"admitted_on": BLANK, "official_on": BLANK, "card": BLANK}
    return {
        "admitted_on": short_date(member.admission_date) or BLANK,
        "official_on": short_date(member.recognition_date) or BLANK,
        "card": _text(member.party_card_number),
    }


def _transfer(case: Case, step: Step | None) -> dict[str, str]:
    """The letter's data from the case's transfer (reason, dates, a destination outside the
    installation); the step's note where a case has none."""
    details = getattr(case, "transfer", None)
    outside = details.outside_name if details is not None else ""
    destination = case.other_org.name if case.other_org is not None else (outside or BLANK)
    letter_on = step.done_on if step is not None else None
    present_by = (
        short_date(transfer_rules.present_deadline(letter_on=letter_on)) if letter_on else BLANK
    )
    temporary = case.kind == CaseKind.TRANSFER_TEMPORARY
    if details is not None and details.starts_on and details.ends_on:
        period = f" (từ {short_date(details.starts_on)} đến {short_date(details.ends_on)})"
    else:
        period = "" if not temporary or step is None or not step.note else f" ({step.note})"
    reason = details.get_reason_display() if details is not None else ""
    if not reason and step is not None and not temporary:
        reason = step.note
    return {
        "kind": "(tạm thời)" if temporary else "(chính thức)",
        "destination": destination,
        "period": period,
        "reason": _text(reason),
        "present_by": present_by,
    }


def _exit(case: Case, steps: dict[str, Step], levels: Levels) -> dict[str, str]:
    """A striking off's or discharge's facts: the reason, the member's standing, and the
    grassroots committee's opinion when the cell is not a grassroots cell."""
    details = getattr(case, "exit", None)
    reason = ""
    if details is not None:
        reason = details.get_reason_display() if details.reason else details.detail
    opinion = steps.get("grassroots_resolution")
    words = ""
    if opinion is not None and levels.grassroots.pk != levels.cell.pk:
        words = (
            f" và ý kiến của {committee_of(levels.grassroots)[0]} ngày {day_words(opinion.done_on)}"
        )
    member = case.member
    status = (
        "dự bị" if member is not None and member.status == Status.PROBATIONARY else "chính thức"
    )
    return {"reason": _text(reason), "grassroots_opinion": words, "status": status}


def context_for(case: Case, template: Template, *, today: dt.date | None = None) -> dict[str, Any]:
    """Everything a template of `case` may use (docs/operations.md lists the names)."""
    steps = {step.kind: step for step in case.steps.all()}
    by_code = {spec.form_code: steps.get(spec.kind) for spec in flow(case.kind) if spec.form_code}
    own = by_code.get(template.form_code)
    day = own.done_on if own is not None else (today or timezone.localdate())
    levels = Levels.of(case.org)
    issuer = levels.issuer(template.issuer)
    voted = own if own is not None and own.votes_for is not None else None
    if voted is None:
        cited = [by_code.get(code) for code in template.cites]
        voted = next((s for s in cited if s is not None and s.votes_for is not None), None)
    member = case.member
    admitted_on = member.admission_date if member is not None else None
    probation_end = (
        recognition_rules.probation_end(admitted_on=admitted_on) if admitted_on else None
    )
    return {
        "heading": heading_for(
            issuer, day, kind_code=template.kind_code, number=own.reference if own else ""
        ),
        "signature": SIGNATURES[template.issuer],
        "recipients": _recipients(template, levels),
        "person": _person(case),
        "member": _member_facts(member),
        "cell": case.org.name,
        "grassroots": committee_of(levels.grassroots)[0],
        "committee": committee_of(levels.committee)[0],
        "meeting_day": day_words(own.done_on if own else None),
        "vote": _vote(voted),
        "cell_resolution": _cited(by_code.get(template.cites[0]) if template.cites else None),
        "grassroots_resolution": _cited(
            by_code.get(template.cites[1]) if len(template.cites) > 1 else None
        ),
        "introducers": ", ".join(
            f"đồng chí {row.member.full_name}" for row in case.introducers.all()
        )
        or BLANK,
        "admitted_on": day_words(admitted_on),
        "probation_end": day_words(probation_end),
        "transfer": _transfer(case, own) if case.kind in TRANSFERS else {},
        "exit": _exit(case, steps, levels) if case.kind in EXITS else {},
        "exemption": exemption_facts(case) if case.kind == CaseKind.EXEMPTION else {},
        "rule": _regulation(day),
        "step_note": own.note if own is not None else "",
    }


def _recipients(template: Template, levels: Levels) -> list[str]:
    if template.issuer == CELL:
        return [committee_of(levels.grassroots)[0]]
    if template.issuer == GRASSROOTS:
        return [committee_of(levels.committee)[0], levels.cell.name]
    return [committee_of(levels.grassroots)[0], levels.cell.name, "Đảng viên có tên"]


# --- Making and converting --------------------------------------------------------------------


def render(template_name: str, context: dict[str, Any]) -> bytes:
    """The filled .docx, or DocumentRefused with the office layer's message."""
    try:
        return render_docx(template_name, context)
    except TemplateBroken as broken:
        raise DocumentRefused(str(broken)) from broken
    except TemplateDoesNotExist as missing:
        raise DocumentRefused(
            f"Không tìm thấy mẫu văn bản «{template_name}»: cán bộ quản trị cần đặt lại tệp mẫu."
        ) from missing


@transaction.atomic
def document_generate(
    *, acting_user: ActingUser, case: Case, form_code: str, today: dt.date | None = None
) -> CaseDocument:
    """Fill the template of `form_code` for `case` and keep it as a generated document."""
    offer = offer_of(case, form_code)
    if offer is None:
        raise DocumentRefused(f"Hồ sơ này không có mẫu văn bản «{form_code}».")
    template = offer.template
    data = render(template.template, context_for(case, template, today=today))
    name = f"{template.file_stem}-{case.pk}.docx"
    document = CaseDocument(
        case=case,
        form_code=form_code,
        title=template.title,
        file_name=name,
        content_type=DOCX,
        size=len(data),
        generated=True,
        uploaded_by=acting_user,
    )
    document.file.save(name, ContentFile(data), save=False)
    try:
        document.save()
        audit_record(
            actor=acting_user,
            action=AuditEvent.Action.CREATE,
            target=case,
            summary=f"Tạo văn bản {form_code}: {template.title}",
            after={"document": document.pk, "form_code": form_code, "generated": True},
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def pdf_of(document: CaseDocument) -> bytes:
    """The PDF of a case's document: a scan already in PDF as it is, a Word file converted."""
    with document.file.open("rb") as handle:
        data = handle.read()
    if document.content_type == PDF:
        return data
    if document.content_type != DOCX:
        raise DocumentRefused("Tài liệu này là ảnh quét, không có bản PDF: tải về tệp gốc.")
    return convert(data, title=document.title)


def convert(data: bytes, *, title: str = "") -> bytes:
    try:
        return docx_to_pdf(data, title=title)
    except FontMissing as missing:
        raise DocumentRefused(str(missing)) from missing
    except Exception as error:  # a Word file uploaded by hand may be anything
        raise DocumentRefused(
            "Không chuyển được tệp Word này sang PDF: tải về bản Word (.docx) rồi in từ Word."
        ) from error


# --- The list of probationary members due ------------------------------------------------------


def _due(members: Any, org: Organization, until: dt.date) -> Any:
    from dangvien.members.selectors import members_in_subtree

    return members_in_subtree(members, org).filter(
        status=Status.PROBATIONARY, admission_date__lte=_admitted_by(until)
    )


def probation_due(members: Any, org: Organization, until: dt.date) -> list[Member]:
    """Probationary members of `org`'s subtree (from `members`, already scoped to the user)
    whose 12 months end by `until`, soonest first."""
    return list(
        _due(members, org, until)
        .select_related("org")
        .order_by("admission_date", "name_sort", "pk")[:PROBATION_LIST_LIMIT]
    )


def probation_due_count(members: Any, org: Organization, *, today: dt.date) -> int:
    return int(_due(members, org, today + dt.timedelta(days=PROBATION_LIST_AHEAD)).count())


def _admitted_by(until: dt.date) -> dt.date:
    """The last admission day whose 12 months end by `until` (probation_end maps 29/02 to
    28/02, so on 28/02 after a leap year the 29th is due too)."""
    year = until.year - 1
    if (until.month, until.day) == (2, 28) and calendar.isleap(year):
        return dt.date(year, 2, 29)
    if (until.month, until.day) == (2, 29):
        return dt.date(year, 2, 28)
    return until.replace(year=year)


def probation_list_docx(members: Any, org: Organization, *, today: dt.date) -> bytes:
    until = today + dt.timedelta(days=PROBATION_LIST_AHEAD)
    due = probation_due(members, org, until)
    issuer = (
        CELL if org.level.holds_members else GRASSROOTS if org.level.is_grassroots else (COMMITTEE)
    )
    rows = [
        {
            "number": str(index),
            "full_name": member.full_name,
            "born": short_date(member.date_of_birth),
            "cell": member.org.name if member.org is not None else "",
            "admitted_on": short_date(member.admission_date),
            "probation_end": short_date(
                recognition_rules.probation_end(admitted_on=member.admission_date)
            ),
        }
        for index, member in enumerate(due, start=1)
    ]
    context = {
        "heading": heading_for(org, today, kind_code="DS", number=""),
        "signature": SIGNATURES[issuer],
        "recipients": [org.parent.name] if org.parent is not None else [],
        "rows": rows,
        "count": str(len(rows)),
        "as_of": short_date(today),
        "until": short_date(until),
    }
    return render(PROBATION_LIST, context)


# --- The proposal of badges for an award day ----------------------------------------------------

BADGE_PROPOSAL = "procedures/docx/huy_hieu_to_trinh.docx"


def badge_proposal_docx(
    org: Organization, day: dt.date, rows: list[tuple[Any, int, bool]], *, today: dt.date
) -> bytes:
    """The organization's proposal (tờ trình) to the committee above: the members (`Listed`
    rows of the badge list) it proposes for the award `day`, with their milestone and whether
    early (a seriously ill member)."""
    issuer = (
        CELL if org.level.holds_members else GRASSROOTS if org.level.is_grassroots else COMMITTEE
    )
    superior = committee_of(org.parent)[0] if org.parent is not None else "cấp ủy cấp trên"
    lines = [
        {
            "number": str(index),
            "full_name": member.full_name,
            "born": short_date(member.date_of_birth),
            "cell": member.org_name,
            "admitted_on": short_date(member.admission_date),
            "badge": f"{milestone} năm" + (" (xét sớm, bệnh nặng)" if early else ""),
        }
        for index, (member, milestone, early) in enumerate(rows, start=1)
    ]
    context = {
        "heading": heading_for(org, today, kind_code="TTr", number=""),
        "signature": SIGNATURES[issuer],
        "recipients": [superior],
        "rows": lines,
        "count": str(len(lines)),
        "day": short_date(day),
        "regulation": _regulation(day),
        "proposer": committee_of(org)[0],
        "superior": superior,
    }
    return render(BADGE_PROPOSAL, context)
