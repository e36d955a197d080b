"""Who may see what in the `world` fixture, written out by hand from the access rules.

Deliberately not computed by the selectors under test (orgs_visible_to, members_visible_to):
a walk that asked them what is in scope could never fail.

    P ── U1 ── G1 ── A (a1, a2)         member: own record a1 and own cell A
      │           └─ B (b1)             secretary: A's subtree
      └─ U2 ── G2 ── C (c1)             grassroots: G1's subtree; upper: U1's; other_upper: U2's
                                        province, admin: everything; editor: all nodes, no members
"""

from __future__ import annotations

PERSONAS = (
    "anonymous",
    "member",
    "secretary",
    "grassroots",
    "other_upper",
    "upper",
    "province",
    "editor",
    "admin",
)

ALL_ORGS = frozenset(
    {"province", "upper1", "upper2", "grassroots1", "grassroots2", "cell_a", "cell_b", "cell_c"}
)
ALL_MEMBERS = frozenset({"a1", "a2", "b1", "c1"})

VISIBLE_ORGS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset({"cell_a"}),
    "secretary": frozenset({"cell_a"}),
    "grassroots": frozenset({"grassroots1", "cell_a", "cell_b"}),
    "other_upper": frozenset({"upper2", "grassroots2", "cell_c"}),
    "upper": frozenset({"upper1", "grassroots1", "cell_a", "cell_b"}),
    "province": ALL_ORGS,
    "editor": ALL_ORGS,
    "admin": ALL_ORGS,
}

VISIBLE_MEMBERS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset({"a1"}),
    "secretary": frozenset({"a1", "a2"}),
    "grassroots": frozenset({"a1", "a2", "b1"}),
    "other_upper": frozenset({"c1"}),
    "upper": frozenset({"a1", "a2", "b1"}),
    "province": ALL_MEMBERS,
    "editor": frozenset(),
    "admin": ALL_MEMBERS,
}

# The top of the tree each persona is shown.
ROOT_ORGS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset({"cell_a"}),
    "secretary": frozenset({"cell_a"}),
    "grassroots": frozenset({"grassroots1"}),
    "other_upper": frozenset({"upper2"}),
    "upper": frozenset({"upper1"}),
    "province": frozenset({"province"}),
    "editor": frozenset({"province"}),
    "admin": frozenset({"province"}),
}

STAFF = frozenset({"admin"})  # may enter the Django admin

# Statistics of a node: for those who see every member of its subtree (figures lead to names).
REPORT_ORGS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset(),
    "secretary": frozenset({"cell_a"}),
    "grassroots": frozenset({"grassroots1", "cell_a", "cell_b"}),
    "other_upper": frozenset({"upper2", "grassroots2", "cell_c"}),
    "upper": frozenset({"upper1", "grassroots1", "cell_a", "cell_b"}),
    "province": ALL_ORGS,
    "editor": frozenset(),
    "admin": ALL_ORGS,
}

# Records a persona manages (edits, issues codes for): those it sees, except a member's own.
MANAGED_MEMBERS: dict[str, frozenset[str]] = {
    **VISIBLE_MEMBERS,
    "member": frozenset(),
}

# Nodes a persona writes notices and documents for: every node it sees but a member's own cell.
PUBLISH_ORGS: dict[str, frozenset[str]] = {**VISIBLE_ORGS, "member": frozenset()}

# Nodes a persona may move, merge, split or dissolve: upper committee staff and province staff
# in their subtrees, and the administrator; grassroots staff and secretaries keep records but do
# not restructure, members and editors never do.
RESTRUCTURE_ORGS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset(),
    "secretary": frozenset(),
    "grassroots": frozenset(),
    "other_upper": frozenset({"upper2", "grassroots2", "cell_c"}),
    "upper": frozenset({"upper1", "grassroots1", "cell_a", "cell_b"}),
    "province": ALL_ORGS,
    "editor": frozenset(),
    "admin": ALL_ORGS,
}

# The handbook's world objects (tests/walk/handbook.py): two notices, two documents, a1's request.
# Notices and documents are managed by those who write for their node (editors everywhere).
MANAGED_POSTS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset(),
    "secretary": frozenset(),
    "grassroots": frozenset({"grassroots_notice"}),
    "other_upper": frozenset(),
    "upper": frozenset({"grassroots_notice"}),
    "province": frozenset({"province_notice", "grassroots_notice"}),
    "editor": frozenset({"province_notice", "grassroots_notice"}),
    "admin": frozenset({"province_notice", "grassroots_notice"}),
}
MANAGED_DOCUMENTS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset(),
    "secretary": frozenset(),
    "grassroots": frozenset(),
    "other_upper": frozenset({"g2_document"}),
    "upper": frozenset(),
    "province": frozenset({"province_document", "g2_document"}),
    "editor": frozenset({"province_document", "g2_document"}),
    "admin": frozenset({"province_document", "g2_document"}),
}
# A correction request is handled by those who manage the record it is about (a1's).
MANAGED_CORRECTIONS: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset(),
    "secretary": frozenset({"a1_correction"}),
    "grassroots": frozenset({"a1_correction"}),
    "other_upper": frozenset(),
    "upper": frozenset({"a1_correction"}),
    "province": frozenset({"a1_correction"}),
    "editor": frozenset(),
    "admin": frozenset({"a1_correction"}),
}


def _cells_ac(a: str, c: str, *, deciders_only: bool = False) -> dict[str, frozenset[str]]:
    """Procedures' world objects: one in cell A, one in cell C (tests/walk/procedures.py).
    Seen and proposed by those who keep the cell's records; decided only above the grassroots."""
    keepers = {
        "secretary": frozenset({a}),
        "grassroots": frozenset({a}),
        "other_upper": frozenset({c}),
        "upper": frozenset({a}),
        "province": frozenset({a, c}),
        "admin": frozenset({a, c}),
    }
    if deciders_only:
        keepers["secretary"] = keepers["grassroots"] = frozenset()
    return {persona: keepers.get(persona, frozenset()) for persona in PERSONAS}


CANDIDATES_KEPT = _cells_ac("candidate_a", "candidate_c")
CASES_KEPT = _cells_ac("case_a", "case_c")
CASES_DECIDED = _cells_ac("case_a", "case_c", deciders_only=True)
STEPS_SEEN = _cells_ac("step_a", "step_c")
CASE_DOCUMENTS_SEEN = _cells_ac("document_a", "document_c")

# Admission targets (tests/walk/targets.py): of cell A, of grassroots G1, of cell C. Seen by those
# who keep the organization's records; set by staff of the committee above it (a secretary sets
# none; grassroots G1's staff set cell A's, not their own G1's).
ALL_TARGETS = frozenset({"target_a", "target_g1", "target_c"})
TARGETS_SEEN: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "member": frozenset(),
    "secretary": frozenset({"target_a"}),
    "grassroots": frozenset({"target_a", "target_g1"}),
    "other_upper": frozenset({"target_c"}),
    "upper": frozenset({"target_a", "target_g1"}),
    "province": ALL_TARGETS,
    "editor": frozenset(),
    "admin": ALL_TARGETS,
}
TARGETS_SET: dict[str, frozenset[str]] = {
    **TARGETS_SEEN,
    "secretary": frozenset(),
    "grassroots": frozenset({"target_a"}),
}
# a1's transfer from cell A to cell C, its letter sent (tests/walk/transfers.py): seen, with its
# steps and documents, by the keepers of both ends; proposed and decided at A; received at C.
_KEEPERS_A = frozenset({"secretary", "grassroots", "upper", "province", "admin"})
_KEEPERS_C = frozenset({"other_upper", "province", "admin"})


def _and(table: dict[str, frozenset[str]], name: str, personas: frozenset[str]):
    return {p: table[p] | ({name} if p in personas else frozenset()) for p in PERSONAS}


CASES_SEEN = _and(CASES_KEPT, "transfer_ac", _KEEPERS_A | _KEEPERS_C)
CASES_PROPOSED = _and(CASES_KEPT, "transfer_ac", _KEEPERS_A)
CASES_DECIDED = _and(CASES_DECIDED, "transfer_ac", frozenset({"upper", "province", "admin"}))
# a2's striking off in cell A (tests/walk/exits.py): a case of cell A like case_a.
CASES_SEEN = _and(CASES_SEEN, "exit_a", _KEEPERS_A)
CASES_PROPOSED = _and(CASES_PROPOSED, "exit_a", _KEEPERS_A)
CASES_DECIDED = _and(CASES_DECIDED, "exit_a", frozenset({"upper", "province", "admin"}))
# Only the destination's keepers receive; the administrator reaches every case.
CASES_RECEIVED = {
    p: frozenset({"transfer_ac"} if p in _KEEPERS_C else set())
    | (frozenset({"case_a", "case_c", "exit_a"}) if p == "admin" else frozenset())
    for p in PERSONAS
}
STEPS_SEEN = _and(STEPS_SEEN, "transfer_step", _KEEPERS_A | _KEEPERS_C)
STEPS_SEEN = _and(STEPS_SEEN, "exit_step", _KEEPERS_A)
CASE_DOCUMENTS_SEEN = _and(CASE_DOCUMENTS_SEEN, "transfer_document", _KEEPERS_A | _KEEPERS_C)

# Every (model, action) of the policy, as the persona → objects it reaches, written out above.
# A route declares its action (tests/walk/declarations.py) and its kind reads the table here.
ACTIONS: dict[tuple[str, str], dict[str, frozenset[str]]] = {
    ("orgs.organization", "view"): VISIBLE_ORGS,
    ("orgs.organization", "report"): REPORT_ORGS,
    ("orgs.organization", "export"): REPORT_ORGS,
    ("orgs.organization", "import"): REPORT_ORGS,
    ("orgs.organization", "import_create"): {**REPORT_ORGS, "secretary": frozenset()},
    ("orgs.organization", "check_quality"): REPORT_ORGS,
    ("orgs.organization", "publish"): PUBLISH_ORGS,
    ("orgs.organization", "restructure"): RESTRUCTURE_ORGS,
    ("members.member", "view"): VISIBLE_MEMBERS,
    ("members.member", "manage"): MANAGED_MEMBERS,
    ("members.member", "activate"): MANAGED_MEMBERS,
    ("members.member", "see_trail"): VISIBLE_MEMBERS,
    ("handbook.post", "manage"): MANAGED_POSTS,
    ("handbook.document", "manage"): MANAGED_DOCUMENTS,
    ("handbook.correctionrequest", "manage"): MANAGED_CORRECTIONS,
    ("procedures.candidate", "view"): CANDIDATES_KEPT,
    ("procedures.candidate", "propose"): CANDIDATES_KEPT,
    ("procedures.case", "view"): CASES_SEEN,
    ("procedures.case", "propose"): CASES_PROPOSED,
    ("procedures.case", "decide"): CASES_DECIDED,
    ("procedures.case", "receive"): CASES_RECEIVED,
    ("procedures.step", "view"): STEPS_SEEN,
    ("procedures.casedocument", "view"): CASE_DOCUMENTS_SEEN,
    ("procedures.admissiontarget", "view"): TARGETS_SEEN,
    ("procedures.admissiontarget", "decide"): TARGETS_SET,
}
