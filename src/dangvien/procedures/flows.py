"""The steps of each kind of case, as data: their order, who records them (the policy action),
the documents they need, whether they carry a vote, their deadline (a dated rule applied to the
date of an earlier step) and whether they close the case.

A new procedure is a new entry in `FLOWS` (its checks and effects, if any, in `services`).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from dangvien.accounts.access import DECIDE, PROPOSE, RECEIVE
from dangvien.procedures.models import CaseKind, Outcome
from dangvien.procedures.rules import admission as admission_rules
from dangvien.procedures.rules import transfer as transfer_rules


@dataclass(frozen=True)
class Documents:
    """`count` documents with one of `codes` must be on the case before the step."""

    codes: tuple[str, ...]
    count: int
    label: str


@dataclass(frozen=True)
class Deadline:
    """The step is due by `rule` applied to the date of step `since` (its `field`)."""

    rule: str
    since: str
    argument: str  # the rule's keyword argument
    field: str = "done_on"  # or "received_on" (falls back to done_on when empty)


@dataclass(frozen=True)
class StepSpec:
    kind: str
    title: str
    action: str  # PROPOSE (the cell, the grassroots) or DECIDE (the committee above)
    who: str  # who must act, as the case page says
    after: tuple[str, ...] = ()  # all done before
    before: tuple[str, ...] = ()  # none done yet
    documents: tuple[Documents, ...] = ()
    vote: bool = False
    deadline: Deadline | None = None
    closes: str = ""  # the outcome when the step closes the case
    optional: bool = False  # not on the main path (the timeline does not wait for it)
    form_code: str = ""  # the document the step produces
    # Levels of the case's cell for which the step does not exist (a grassroots cell is its own
    # grassroots organization: its resolution is the cell's).
    not_for_levels: tuple[str, ...] = ()


CELL = "Bí thư chi bộ"
GRASSROOTS = "Đảng ủy cơ sở"
COMMITTEE = "Cấp ủy có thẩm quyền (cấp trên cơ sở)"

ADMISSION = (
    StepSpec(
        "higher_approval",
        "Ý kiến đồng ý của cấp ủy cấp trên (người trên 60 tuổi; kết nạp lại)",
        DECIDE,
        COMMITTEE,
        before=("cell_resolution",),
        optional=True,
    ),
    StepSpec(
        "dossier",
        "Hoàn thành hồ sơ xin vào Đảng",
        PROPOSE,
        CELL,
        documents=(
            Documents(("1-KNĐ",), 1, "đơn xin vào Đảng"),
            Documents(("2-KNĐ",), 1, "lý lịch của người xin vào Đảng"),
            Documents(("3-KNĐ", "3A-KNĐ"), 2, "giấy giới thiệu của hai đảng viên"),
            Documents(("5-KNĐ",), 1, "tổng hợp ý kiến nhận xét nơi cư trú"),
        ),
    ),
    StepSpec(
        "cell_resolution",
        "Nghị quyết chi bộ đề nghị kết nạp",
        PROPOSE,
        CELL,
        after=("dossier",),
        vote=True,
        form_code="6-KNĐ",
    ),
    StepSpec(
        "grassroots_resolution",
        "Nghị quyết của đảng ủy cơ sở đề nghị kết nạp",
        PROPOSE,
        GRASSROOTS,
        after=("cell_resolution",),
        form_code="8-KNĐ",
        not_for_levels=("grassroots_cell",),
    ),
    StepSpec(
        "decision",
        "Quyết định kết nạp đảng viên",
        DECIDE,
        COMMITTEE,
        after=("grassroots_resolution",),
        deadline=Deadline(admission_rules.DECISION_DEADLINE, "cell_resolution", "resolution_on"),
        form_code="9-KNĐ",
    ),
    StepSpec(
        "ceremony",
        "Lễ kết nạp",
        PROPOSE,
        CELL,
        after=("decision",),
        deadline=Deadline(
            admission_rules.CEREMONY_DEADLINE, "decision", "received_on", field="received_on"
        ),
        closes=Outcome.ADMITTED,
    ),
    StepSpec(
        "refusal",
        "Cấp ủy không quyết định kết nạp",
        DECIDE,
        COMMITTEE,
        after=("grassroots_resolution",),
        before=("decision",),
        closes=Outcome.NOT_ADMITTED,
        optional=True,
    ),
    StepSpec(
        "withdrawal",
        "Dừng xem xét kết nạp",
        PROPOSE,
        CELL,
        before=("decision", "refusal"),
        closes=Outcome.WITHDRAWN,
        optional=True,
    ),
)

FLOWS: dict[str, tuple[StepSpec, ...]] = {CaseKind.ADMISSION: ADMISSION}

# The documents a case may carry, by form code (Hướng dẫn 12-HD/BTCTW 2022, appendices).
FORM_CODES: dict[str, tuple[tuple[str, str], ...]] = {
    CaseKind.ADMISSION: (
        ("1-KNĐ", "Đơn xin vào Đảng"),
        ("2-KNĐ", "Lý lịch của người xin vào Đảng"),
        ("3-KNĐ", "Giấy giới thiệu người vào Đảng"),
        ("3A-KNĐ", "Giấy giới thiệu của đoàn thanh niên / công đoàn"),
        ("4-KNĐ", "Nghị quyết giới thiệu đoàn viên / ý kiến công đoàn"),
        ("5-KNĐ", "Tổng hợp ý kiến nhận xét nơi cư trú"),
        ("6-KNĐ", "Nghị quyết đề nghị kết nạp của chi bộ"),
        ("8-KNĐ", "Nghị quyết đề nghị kết nạp của đảng ủy cơ sở"),
        ("9-KNĐ", "Quyết định kết nạp đảng viên"),
        ("GCN", "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng"),
        ("KHAC", "Tài liệu khác"),
    ),
}


def flow(kind: str) -> tuple[StepSpec, ...]:
    return FLOWS.get(kind, ())


def spec_of(kind: str, step_kind: str) -> StepSpec | None:
    return next((spec for spec in flow(kind) if spec.kind == step_kind), None)


def step_title(kind: str, step_kind: str) -> str:
    spec = spec_of(kind, step_kind)
    return spec.title if spec is not None else step_kind


def skipped(kind: str, level: str) -> set[str]:
    """The steps of the flow that do not exist for a case whose cell is of `level`."""
    return {spec.kind for spec in flow(kind) if level in spec.not_for_levels}


def open_steps(kind: str, done: set[str], skip: Set[str] = frozenset()) -> list[StepSpec]:
    """The steps that may be recorded next, given the kinds already done (and those `skip`ped,
    which count as done for what follows them)."""
    settled = done | skip
    return [
        spec
        for spec in flow(kind)
        if spec.kind not in settled
        and all(k in settled for k in spec.after)
        and not any(k in done for k in spec.before)
    ]


def main_next(kind: str, done: set[str], skip: Set[str] = frozenset()) -> StepSpec | None:
    """The next step on the main path (what the case waits for)."""
    return next((spec for spec in open_steps(kind, done, skip) if not spec.optional), None)


# --- Transfers (chuyển sinh hoạt đảng) ---------------------------------------------------------
# The event is recorded when the case is opened (the case opens on its day); the letter is given
# by the sending side within 60 working days of it; inside the installation the destination then
# sees the case and records that it received the member (the membership moves on that day); a
# letter to a destination outside the installation closes the case. Checks and effects: transfers.

SENDER = "Chi bộ, cấp ủy nơi đảng viên đang sinh hoạt"
RECEIVER = "Chi bộ, cấp ủy nơi đến"


def _transfer_flow(received_title: str) -> tuple[StepSpec, ...]:
    return (
        StepSpec(
            "event",
            "Phát sinh việc chuyển (quyết định, nghỉ hưu, đi học, thay đổi nơi ở)",
            PROPOSE,
            SENDER,
        ),
        StepSpec(
            "letter",
            "Giới thiệu chuyển sinh hoạt đảng (cấp giấy giới thiệu)",
            PROPOSE,
            SENDER,
            after=("event",),
            deadline=Deadline(transfer_rules.START_DEADLINE, "event", "event_on"),
            form_code="GGT-SHĐ",
        ),
        StepSpec(
            "received",
            received_title,
            RECEIVE,
            RECEIVER,
            after=("letter",),
            deadline=Deadline(transfer_rules.PRESENT_DEADLINE, "letter", "letter_on"),
            closes=Outcome.TRANSFERRED,
        ),
        StepSpec(
            "withdrawal",
            "Dừng chuyển sinh hoạt",
            PROPOSE,
            SENDER,
            before=("received",),
            closes=Outcome.WITHDRAWN,
            optional=True,
        ),
    )


TRANSFER_IN = (
    StepSpec("letter", "Giấy giới thiệu của tổ chức đảng nơi đi", PROPOSE, CELL),
    StepSpec(
        "arrival",
        "Tiếp nhận đảng viên chuyển đến",
        PROPOSE,
        CELL,
        after=("letter",),
        deadline=Deadline(transfer_rules.PRESENT_DEADLINE, "letter", "letter_on"),
        closes=Outcome.RECEIVED,
    ),
)

FLOWS[CaseKind.TRANSFER_OFFICIAL] = _transfer_flow("Nơi đến tiếp nhận sinh hoạt đảng chính thức")
FLOWS[CaseKind.TRANSFER_TEMPORARY] = _transfer_flow("Nơi đến tiếp nhận sinh hoạt đảng tạm thời")
FLOWS[CaseKind.TRANSFER_IN] = TRANSFER_IN

_TRANSFER_FORMS = (
    ("GGT-SHĐ", "Giấy giới thiệu sinh hoạt đảng"),
    ("TKĐ", "Bản tự kiểm điểm của đảng viên chuyển sinh hoạt"),
    ("QĐ", "Quyết định chuyển công tác, nghỉ hưu, cử đi học"),
    ("KHAC", "Tài liệu khác"),
)
FORM_CODES[CaseKind.TRANSFER_OFFICIAL] = _TRANSFER_FORMS
FORM_CODES[CaseKind.TRANSFER_TEMPORARY] = _TRANSFER_FORMS
FORM_CODES[CaseKind.TRANSFER_IN] = _TRANSFER_FORMS


# --- Leaving the Party (xóa tên, khai trừ, cho ra khỏi Đảng, từ trần) ----------------------------
# The closing step's day closes the record (`exits`: the member's status from that day, or from
# the day of death). Striking off: the cell's resolution by two thirds of its official members,
# the grassroots committee's opinion where the cell is not a grassroots cell, the competent
# committee's decision. Expulsion: a discipline decided by the competent body (its name kept on
# the case, the decision's number and day on the step); the proposal is optional (a body may
# decide on its own inspection). Discharge at the member's request: the application, the cell's
# resolution (its vote share is unconfirmed: written in the note, not checked), the grassroots
# opinion, the decision. Death: reported by the cell with the day of death, no vote.

EXIT_COMMITTEE = "Cấp ủy, tổ chức đảng có thẩm quyền"

STRIKE_OFF = (
    StepSpec(
        "cell_resolution",
        "Nghị quyết chi bộ đề nghị xóa tên đảng viên",
        PROPOSE,
        CELL,
        vote=True,
        form_code="NQ-XT",
    ),
    StepSpec(
        "grassroots_resolution",
        "Ý kiến của đảng ủy cơ sở đề nghị xóa tên",
        PROPOSE,
        GRASSROOTS,
        after=("cell_resolution",),
        not_for_levels=("grassroots_cell",),
    ),
    StepSpec(
        "decision",
        "Quyết định xóa tên trong danh sách đảng viên",
        DECIDE,
        COMMITTEE,
        after=("grassroots_resolution",),
        closes=Outcome.STRUCK_OFF,
        form_code="QĐ-XT",
    ),
    StepSpec(
        "withdrawal",
        "Dừng xem xét xóa tên",
        PROPOSE,
        CELL,
        before=("decision",),
        closes=Outcome.WITHDRAWN,
        optional=True,
    ),
)

EXPULSION = (
    StepSpec(
        "proposal",
        "Chi bộ, cấp ủy đề nghị thi hành kỷ luật khai trừ",
        PROPOSE,
        f"{CELL}, {GRASSROOTS.lower()}",
        before=("decision",),
        optional=True,
    ),
    StepSpec(
        "decision",
        "Quyết định kỷ luật khai trừ ra khỏi Đảng",
        DECIDE,
        EXIT_COMMITTEE,
        closes=Outcome.EXPELLED,
    ),
)

DISCHARGE = (
    StepSpec("application", "Đơn xin ra khỏi Đảng của đảng viên", PROPOSE, CELL),
    StepSpec(
        "cell_resolution",
        "Nghị quyết chi bộ đề nghị cho ra khỏi Đảng",
        PROPOSE,
        CELL,
        after=("application",),
        form_code="NQ-RKĐ",
    ),
    StepSpec(
        "grassroots_resolution",
        "Ý kiến của đảng ủy cơ sở đề nghị cho ra khỏi Đảng",
        PROPOSE,
        GRASSROOTS,
        after=("cell_resolution",),
        not_for_levels=("grassroots_cell",),
    ),
    StepSpec(
        "decision",
        "Quyết định cho ra khỏi Đảng",
        DECIDE,
        COMMITTEE,
        after=("grassroots_resolution",),
        closes=Outcome.DISCHARGED,
        form_code="QĐ-RKĐ",
    ),
    StepSpec(
        "withdrawal",
        "Đảng viên rút đơn, dừng giải quyết",
        PROPOSE,
        CELL,
        before=("decision",),
        closes=Outcome.WITHDRAWN,
        optional=True,
    ),
)

DEATH = (
    StepSpec(
        "report",
        "Chi bộ báo cáo đảng viên từ trần",
        PROPOSE,
        CELL,
        closes=Outcome.DECEASED,
    ),
)

FLOWS[CaseKind.STRIKE_OFF] = STRIKE_OFF
FLOWS[CaseKind.EXPULSION] = EXPULSION
FLOWS[CaseKind.DISCHARGE] = DISCHARGE
FLOWS[CaseKind.DEATH] = DEATH
FORM_CODES[CaseKind.STRIKE_OFF] = (
    ("NQ-XT", "Nghị quyết của chi bộ đề nghị xóa tên đảng viên"),
    ("QĐ-XT", "Quyết định xóa tên trong danh sách đảng viên"),
    ("BTKĐ", "Bản tự kiểm điểm của đảng viên"),
    ("KHAC", "Tài liệu khác"),
)
FORM_CODES[CaseKind.EXPULSION] = (
    ("QĐ-KT", "Quyết định kỷ luật khai trừ ra khỏi Đảng"),
    ("BTKĐ", "Bản tự kiểm điểm của đảng viên"),
    ("KHAC", "Tài liệu khác"),
)
FORM_CODES[CaseKind.DISCHARGE] = (
    ("ĐXRKĐ", "Đơn xin ra khỏi Đảng"),
    ("NQ-RKĐ", "Nghị quyết của chi bộ đề nghị cho ra khỏi Đảng"),
    ("QĐ-RKĐ", "Quyết định cho ra khỏi Đảng"),
    ("KHAC", "Tài liệu khác"),
)
FORM_CODES[CaseKind.DEATH] = (
    ("GBT", "Giấy báo tử, trích lục khai tử"),
    ("KHAC", "Tài liệu khác"),
)
