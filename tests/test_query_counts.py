"""Query counts of every list page and list API, against a committed baseline.

Each list route is requested twice as a persona who sees it: on the small world of conftest.py,
then after `more_rows` added members, organizations at every level, posts, documents, correction
requests and jobs. A count that grows with the rows is an N+1 and fails whatever the baseline says;
a count above the baseline (tests/query_counts.json, per database vendor) fails too. After a change
that rightly adds a query, refresh the baseline:

    UPDATE_QUERY_COUNTS=1 .venv/bin/python -m pytest -q tests/test_query_counts.py

A route whose count grows today is kept in the baseline as {"world": n, "more_rows": m, "why": …},
written by hand: the refresh never turns a new N+1 into a baseline.

Every URL pattern and API operation is classified here, as a list (LIST_ROUTES) or not (NOT_LISTS),
so a new list page cannot arrive without a measured count.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import World, make_member, make_org
from tests.walk.declarations import API_ROUTES
from tests.walk.kinds import ApiList
from tests.walk.routes import api_operations, url_patterns

BASELINE = Path(__file__).with_name("query_counts.json")
REFERENCE = "sqlite"  # the database every list route must have a count for
UPDATE = os.environ.get("UPDATE_QUERY_COUNTS") == "1"
REFRESH = "UPDATE_QUERY_COUNTS=1 .venv/bin/python -m pytest -q tests/test_query_counts.py"

# How many rows `more_rows` adds: enough for a per-row query to show, few enough to stay fast.
MORE_MEMBERS = 34  # in cell A, none with a CCCD (each one a data-quality issue)
MORE_CELLS = 10  # under grassroots G1
MORE_GRASSROOTS = 5  # under upper U1
MORE_UPPERS = 3  # under the province
MORE_POSTS = 15  # province notices, each with an attached file, read by the member
MORE_DOCUMENTS = 15  # province documents, some bookmarked by the member
MORE_CORRECTIONS = 10  # requests of the new members of cell A
MORE_JOBS = 12  # the secretary's
MORE_CASES = 8  # admission cases of candidates of cell A, each with a step and a helper
MORE_TRANSFERS = 5  # from cell A to cell C, sent (and overdue)
MORE_VETERANS = 10  # in cell A, on the badge list of 2/9/2026, half of them proposed
MORE_EXITS = 5  # members of cell A struck off this year, each also decided on the screening list
MORE_EXEMPTIONS = 6  # of members of cell A, in force from 10/03/2026
MORE_CARDS = 4  # members of cell A waiting for a card, at each stage


@dataclass(frozen=True)
class ListRoute:
    """A list route as one persona requests it. `url(world, fixtures)` builds the address;
    `htmx`: requested as an HTMX partial."""

    persona: str
    url: Callable[[World, dict[str, Any]], str]
    htmx: bool = False


def page(name: str, org: str | None = None, query: str = "") -> Callable[..., str]:
    def url(world: World, fixtures: dict[str, Any]) -> str:
        args = [world.org(org).pk] if org else []
        return reverse(name, args=args) + (f"?{query}" if query else "")

    return url


def api(path: str) -> Callable[..., str]:
    """An API address; {a} and {g1} stand for the ids of cell A and grassroots G1."""

    def url(world: World, fixtures: dict[str, Any]) -> str:
        return path.format(a=world.cell_a.pk, g1=world.grassroots1.pk)

    return url


def post_page(name: str, post: str) -> Callable[..., str]:
    def url(world: World, fixtures: dict[str, Any]) -> str:
        return reverse(name, args=[fixtures[post].pk])

    return url


# Key: the URL name (web) or "GET /api/…" (API), with "[variant]" when one route is measured in
# several ways. Personas see the rows `more_rows` adds.
LIST_ROUTES: dict[str, ListRoute] = {
    "org_tree": ListRoute("grassroots", page("org_tree")),  # G1 opened: its cells
    "org_tree[upper]": ListRoute("upper", page("org_tree")),  # U1 opened: its grassroots
    "org_tree[province]": ListRoute("province", page("org_tree")),  # P opened: the uppers
    "org_children": ListRoute("upper", page("org_children", "grassroots1"), htmx=True),
    "org_members": ListRoute("secretary", page("org_members", "cell_a")),
    "org_members[subtree]": ListRoute("grassroots", page("org_members", "grassroots1")),
    "org_members[filtered]": ListRoute(
        "secretary",
        page("org_members", "cell_a", "status=all&gender=M&sort=admission&age=41-50"),
    ),
    "org_members[name]": ListRoute("secretary", page("org_members", "cell_a", "q=nguyen")),
    "org_members[htmx]": ListRoute(
        "secretary", page("org_members", "cell_a", "status=all"), htmx=True
    ),
    "member_search": ListRoute("grassroots", page("member_search", query="q=nguyen")),
    "member_search[htmx]": ListRoute(
        "grassroots", page("member_search", query="q=nguyen"), htmx=True
    ),
    "report_summary": ListRoute("grassroots", page("report_summary", "grassroots1")),
    "report_members": ListRoute(
        "grassroots", page("report_members", "grassroots1", "chi-so=members")
    ),
    "report_orgs": ListRoute("upper", page("report_orgs", "upper1", "cap=cell")),
    "quality_dashboard": ListRoute("upper", page("quality_dashboard", "grassroots1")),
    "quality_fixes": ListRoute("grassroots", page("quality_fixes", "grassroots1")),
    "quality_fixes[rule]": ListRoute(
        "grassroots", page("quality_fixes", "grassroots1", "loi=missing_cccd")
    ),
    "quality_fixes[htmx]": ListRoute(
        "grassroots", page("quality_fixes", "grassroots1", "loi=missing_cccd"), htmx=True
    ),
    "handbook_feed": ListRoute("member", page("handbook_feed")),
    "handbook_library": ListRoute("member", page("handbook_library")),
    "handbook_library[htmx]": ListRoute("member", page("handbook_library"), htmx=True),
    "handbook_corrections": ListRoute("secretary", page("handbook_corrections")),
    "handbook_reads": ListRoute("province", post_page("handbook_reads", "notice")),
    "handbook_engagement": ListRoute("grassroots", page("handbook_engagement", "grassroots1")),
    # The province: its own notices of the month are listed too.
    "handbook_engagement[province]": ListRoute("province", page("handbook_engagement", "province")),
    "handbook_write": ListRoute("grassroots", page("handbook_write", "grassroots1")),  # children
    "task_list": ListRoute("secretary", page("task_list")),
    "restructuring_move": ListRoute("upper", page("restructuring_move", "cell_a")),  # targets
    "restructuring_merge": ListRoute("upper", page("restructuring_merge", "cell_a")),  # targets
    "restructuring_split": ListRoute("upper", page("restructuring_split", "cell_a")),  # members
    "restructuring_split[children]": ListRoute("upper", page("restructuring_split", "grassroots1")),
    "transfer_list": ListRoute("grassroots", page("transfer_list", "grassroots1")),
    "transfer_list[to_receive]": ListRoute(
        "other_upper", page("transfer_list", "upper2", "xem=den")
    ),
    "transfer_list[overdue]": ListRoute(
        "province", page("transfer_list", "province", "xem=qua-han")
    ),
    "transfer_list[htmx]": ListRoute(
        "grassroots", page("transfer_list", "grassroots1", "trang-thai="), htmx=True
    ),
    "recognition_due": ListRoute("secretary", page("recognition_due", "cell_a")),
    "recognition_due[province]": ListRoute("province", page("recognition_due", "province")),
    "recognition_due[overdue]": ListRoute(
        "upper", page("recognition_due", "upper1", "hien-thi=qua-han"), htmx=True
    ),
    "strike_off_proposals": ListRoute("grassroots", page("strike_off_proposals", "grassroots1")),
    "GET /api/v1/procedures/recognitions-due": ListRoute(
        "grassroots", api("/api/v1/procedures/recognitions-due?org={g1}")
    ),
    "badge_list": ListRoute("grassroots", page("badge_list", "grassroots1", "ngay=2026-09-02")),
    "GET /api/v1/procedures/badges": ListRoute(
        "province", api("/api/v1/procedures/badges?org={g1}&day=2026-09-02")
    ),
    "exit_list": ListRoute("grassroots", page("exit_list", "grassroots1", "tu=2026-01-01")),
    "screening_list": ListRoute("secretary", page("screening_list", "cell_a")),
    "GET /api/v1/procedures/exits": ListRoute(
        "province", api("/api/v1/procedures/exits?org={g1}&from=2026-01-01")
    ),
    "exemption_list": ListRoute(
        "grassroots", page("exemption_list", "grassroots1", "ngay=2026-04-01")
    ),
    "exemption_list[htmx]": ListRoute(
        "upper", page("exemption_list", "upper1", "trang-thai=tat-ca"), htmx=True
    ),
    "GET /api/v1/procedures/exemptions": ListRoute(
        "province", api("/api/v1/procedures/exemptions?org={g1}&day=2026-04-01")
    ),
    # Party cards: each stage of the queue, with the counts rolled up by child organization.
    "card_queue": ListRoute("grassroots", page("card_queue", "grassroots1")),
    "card_queue[cho-so]": ListRoute("upper", page("card_queue", "upper1", "giai-doan=cho-so")),
    "card_queue[cho-trao]": ListRoute(
        "secretary", page("card_queue", "cell_a", "giai-doan=cho-trao"), htmx=True
    ),
    "card_queue[figure]": ListRoute(
        "province", page("card_queue", "province", "chi-so=cards_issued&tu=2000-01-01")
    ),
    "GET /api/v1/procedures/cards": ListRoute(
        "grassroots", api("/api/v1/procedures/cards?org={g1}")
    ),
    "GET /api/v1/procedures/cards[cho-so]": ListRoute(
        "upper", api("/api/v1/procedures/cards?stage=cho-so")
    ),
    "GET /api/v1/procedures/cards/lookup": ListRoute(
        "secretary", api("/api/v1/procedures/cards/lookup?number=01234567")
    ),
    "GET /api/v1/orgs": ListRoute("province", api("/api/v1/orgs")),
    "GET /api/v1/orgs/{org_id}/children": ListRoute("upper", api("/api/v1/orgs/{g1}/children")),
    "GET /api/v1/members": ListRoute("grassroots", api("/api/v1/members")),
    "GET /api/v1/members[org]": ListRoute("secretary", api("/api/v1/members?org={a}")),
    "GET /api/v1/members[q]": ListRoute("grassroots", api("/api/v1/members?q=nguyen")),
    "GET /api/v1/members[filtered]": ListRoute(
        "grassroots", api("/api/v1/members?org={g1}&gender=M&age=41-50&sort=admission")
    ),
    "procedures_home": ListRoute("grassroots", page("procedures_home")),
    "procedures_home[htmx]": ListRoute("grassroots", page("procedures_home"), htmx=True),
    "candidate_list": ListRoute("grassroots", page("candidate_list", "grassroots1")),
    "GET /api/v1/procedures/cases": ListRoute("grassroots", api("/api/v1/procedures/cases")),
    # Targets: the children of G1 with their targets and admissions, the pipeline by source.
    "report_targets": ListRoute("grassroots", page("report_targets", "grassroots1")),
    "report_targets[upper]": ListRoute("upper", page("report_targets", "upper1")),
    "report_targets[htmx]": ListRoute(
        "grassroots", page("report_targets", "grassroots1"), htmx=True
    ),
    "org_cases": ListRoute("grassroots", page("org_cases", "grassroots1", "chi-so=admitted")),
    "GET /api/v1/procedures/targets": ListRoute(
        "grassroots", api("/api/v1/procedures/targets?org={g1}")
    ),
    "GET /api/v1/feed": ListRoute("member", api("/api/v1/feed")),
    "GET /api/v1/documents": ListRoute("member", api("/api/v1/documents")),
}

# Every other route, and why it is not a list (or why its rows cannot grow).
NOT_LISTS: dict[str, str] = {
    "home": "key figures of one node",
    "case_document_generate": "an action: makes one document",
    "case_document_pdf": "one file",
    "probation_list": "one file (a long list is made by a job)",
    "login": "a form",
    "activation": "a form",
    "two_factor_verify": "a form",
    "two_factor_enrol": "a form",
    "service_worker": "a static script",
    "manifest": "a static file",
    "activation_issue": "one record",
    "member_edit": "one record",
    "member_lost_contact": "one record (its few periods of lost contact)",
    "logout": "an action",
    "password_change": "a form",
    "password_change_done": "a message",
    "member_detail": "one record",
    "member_photo": "one file",
    "member_export": "a form; the file is made by a job",
    "report_home": "the user's own roots: a handful",
    "report_changes": "a fixed table of change kinds",
    "report_export": "a file of fixed figures",
    "report_pdf": "a file of fixed figures",
    "quality_home": "the user's own roots: a handful",
    "quality_start": "an action",
    "handbook_post": "one post",
    "handbook_ack": "an action",
    "handbook_post_file": "one file",
    "handbook_write_home": "the user's own roots: a handful",
    "handbook_document": "one document",
    "handbook_document_file": "one file",
    "handbook_bookmark": "an action",
    "handbook_document_publish": "a form",
    "handbook_correction": "an action",
    "handbook_correction_done": "an action",
    "task_detail": "one job",
    "task_progress": "one job",
    "task_download": "one file",
    "import_start": "a form",
    "import_detail": "one job's report, read from its file",
    "import_commit": "an action",
    "import_remap": "an action",
    "restructuring_home": "counts of one node",
    "transfer_open": "a form; its member and destination searches show at most 20 rows",
    "transfer_arrival": "a form",
    "restructuring_dissolve": "a form about one node",
    "api:openapi-json": "the schema",
    "api:api-root": "exists only to be reversed",
    "recognition_open": "a form about one record",
    "exit_open": "a form about one record",
    "exemption_apply": "a form about one record",
    "exemption_end": "a form about one exemption",
    "readmission_open": "a form about one record (its cells: those of one organization)",
    "GET /api/v1/orgs/{org_id}": "one organization",
    "GET /api/v1/members/{member_id}": "one record",
    "PATCH /api/v1/members/{member_id}": "an action",
    "GET /api/v1/reports/summary": "fixed figures of one node",
    "GET /api/v1/reports/changes": "fixed figures of one node",
    "POST /api/v1/notices/{post_id}/ack": "an action",
    "GET /api/v1/documents/{document_id}": "one document",
    "POST /api/v1/imports": "an action",
    "GET /api/v1/imports/{task_id}": "one job",
    "POST /api/v1/imports/{task_id}/commit": "an action",
    "case_detail": "one case: its steps, documents and introducers prefetched",
    "case_step": "a form",
    "case_document_upload": "an action",
    "case_document": "one file",
    "case_introducer": "the member search, 20 rows at most, cells joined",
    "candidate_create": "a form: the cells of the subtree in one query",
    "candidate_detail": "one candidate",
    "candidate_edit": "a form: the members of one cell in one query",
    "case_open": "an action",
    "GET /api/v1/procedures/cases/{case_id}": "one case",
    "target_edit": "a form about one organization's target",
    "card_lookup": "one card at most",
    "member_cards": "one member's cards: a handful, in one query",
    "GET /api/v1/procedures/cards/members/{member_id}": "one member's cards: a handful",
}


def _base(key: str) -> str:
    return key.split("[", 1)[0]


def admin_changelists() -> dict[str, ListRoute]:
    """Every registered ModelAdmin's list page, as the administrator."""
    routes = {}
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        routes[name] = ListRoute("admin", page(name))
    return routes


def all_list_routes() -> dict[str, ListRoute]:
    return {**LIST_ROUTES, **admin_changelists()}


def project_routes() -> set[str]:
    """Every named URL pattern outside the Django admin, and every API operation."""
    names = {
        p.name
        for p in url_patterns()
        if p.name and not p.name.startswith("admin:") and not p.route.startswith("api/v1/")
    }
    names |= {"api:openapi-json", "api:api-root"} & {p.name for p in url_patterns()}
    return names | {operation.key for operation in api_operations()}


# --- Extra rows ---------------------------------------------------------------------------------


def base_rows(world: World) -> dict[str, Any]:
    """What the small world lacks for every list to have a row: a notice, a document, a
    correction request, a job, a published data-quality check."""
    from dangvien.handbook.models import CorrectionRequest

    fixtures = {
        "notice": _notice(world, "Thông báo số 0"),
        "document": _document(world, 0),
        "correction": CorrectionRequest.objects.create(
            member=world.a2, requested_by=world.users["member"], text="Sửa ngày sinh"
        ),
        "job": _job(world, 0),
        "transfer": _transfer(world, world.a2),
        "veteran": _veteran(world, 0),
        "cards": _cards(world, [world.a2], [world.b1]),
        "card": _record_card(world),
    }
    _quality_check(world)
    return fixtures


def more_rows(world: World) -> None:
    from dangvien.handbook.models import Bookmark, CorrectionRequest, Reading

    members = [
        make_member(
            f"Nguyễn Văn Thêm {i:02}",
            world.cell_a,
            date_of_birth=dt.date(1980, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(MORE_MEMBERS)
    ]
    for i in range(MORE_CELLS):
        make_org(f"Chi bộ thêm {i:02}", "cell", world.grassroots1)
    for i in range(MORE_GRASSROOTS):
        make_org(f"Đảng bộ phường thêm {i:02}", "grassroots_committee", world.upper1, "ward")
    for i in range(MORE_UPPERS):
        make_org(f"Đảng bộ quận thêm {i:02}", "upper", world.province)
    member_user = world.users["member"]
    now = timezone.now()
    for i in range(MORE_POSTS):
        post = _notice(world, f"Thông báo số {i + 1}")
        if i % 2:
            Reading.objects.create(post=post, user=member_user, read_at=now)
    for i in range(MORE_DOCUMENTS):
        document = _document(world, i + 1)
        if i % 3 == 0:
            Bookmark.objects.create(user=member_user, document=document)
    for member in members[:MORE_CORRECTIONS]:
        CorrectionRequest.objects.create(
            member=member, requested_by=member_user, text=f"Sửa hồ sơ {member.full_name}"
        )
    for i in range(MORE_JOBS):
        _job(world, i + 1)
    _cases(world)
    _targets(world)
    for i in range(MORE_VETERANS):
        veteran = _veteran(world, i + 1)
        if i % 2:  # half of them already proposed: the list shows their case
            from dangvien.procedures.badges import badge_propose

            badge_propose(acting_user=world.users["grassroots"], member=veteran, milestone=30,
                          award_day=dt.date(2026, 9, 2), on=dt.date(2026, 7, 1))  # fmt: skip
    for member in members[MORE_CORRECTIONS : MORE_CORRECTIONS + MORE_TRANSFERS]:
        _transfer(world, member)
    first_exit = MORE_CORRECTIONS + MORE_TRANSFERS
    for member in members[first_exit : first_exit + MORE_EXITS]:
        _exit(world, member)
    first_exemption = first_exit + MORE_EXITS
    _exemptions(members[first_exemption : first_exemption + MORE_EXEMPTIONS])
    first_card = first_exemption + MORE_EXEMPTIONS
    _cards(
        world,
        members[first_card : first_card + MORE_CARDS],
        members[first_card + MORE_CARDS : first_card + 2 * MORE_CARDS],
    )
    _quality_check(world)


def _exemptions(members: list[Any]) -> None:
    from dangvien.procedures.models import Case, CaseKind, Exemption

    for member in members:
        case = Case.objects.create(
            kind=CaseKind.EXEMPTION, member=member, org_id=member.org_id,
            org_path=member.org_path, opened_on=dt.date(2026, 3, 2),
        )  # fmt: skip
        Exemption.objects.create(
            case=case, member=member, scope="activity", reason="age", decided=True,
            valid_from=dt.date(2026, 3, 10),
        )  # fmt: skip


def _record_card(world: World) -> Any:
    """a1's card, registered when the record was created with its number."""
    from dangvien.procedures.models import PartyCard

    return PartyCard.objects.get(member=world.a1)


def _cards(world: World, waiting: list[Any], carded: list[Any]) -> None:
    """`waiting` recognised with no card (the queue's first stage); `carded` with a card
    requested, registered or handed in turn."""
    from dangvien.members.models import Member
    from dangvien.procedures import cards

    upper, secretary = world.users["upper"], world.users["secretary"]
    Member.objects.filter(pk__in=[m.pk for m in waiting + carded]).update(
        recognition_date=dt.date(2025, 1, 2)
    )
    for i, member in enumerate(carded):
        card = cards.card_request(acting_user=upper, member=member, on=dt.date(2026, 1, 5))
        if i % 3:
            card = cards.card_register(acting_user=upper, card=card, number=f"9{member.pk:07d}")
        if i % 3 == 2:
            cards.card_hand(acting_user=secretary, card=card)


def _cases(world: World) -> None:
    from dangvien.procedures.models import Candidate, Case, CaseKind, Step

    for i in range(MORE_CASES):
        candidate = Candidate.objects.create(
            org=world.cell_a, org_path=world.cell_a.path, full_name=f"Quần chúng {i:02}",
            gender="M", date_of_birth=dt.date(1995, 1, 1 + i), source="youth_union",
            registered_on=dt.date(2026, 1, 5),
        )  # fmt: skip
        candidate.helpers.set([world.a1])
        case = Case.objects.create(
            kind=CaseKind.ADMISSION, candidate=candidate, org=world.cell_a,
            org_path=world.cell_a.path, opened_on=dt.date(2026, 3, 2),
        )  # fmt: skip
        Step.objects.create(case=case, kind="dossier", done_on=dt.date(2026, 3, 3))


def _exit(world: World, member: Any) -> None:
    """A striking off of this year (closed, with its decision) and the screening row that led to
    it, and one more member to review (added by hand, not decided)."""
    from dangvien.procedures.models import Case, CaseKind, Exit, Outcome, ScreeningItem, Step

    day = dt.date(timezone.localdate().year, 1, 2)
    case = Case.objects.create(
        kind=CaseKind.STRIKE_OFF, member=member, org=world.cell_a, org_path=world.cell_a.path,
        opened_on=day, state="closed", closed_on=day, outcome=Outcome.STRUCK_OFF,
    )  # fmt: skip
    Exit.objects.create(case=case, member=member, reason="no_activity_or_dues")
    Step.objects.create(case=case, kind="decision", done_on=day, reference="1-QĐ/QU")
    ScreeningItem.objects.create(
        org=world.cell_a, org_path=world.cell_a.path, member=member, reason="no_progress",
        source="manual", raised_on=day, decision="strike_off", decided_on=day,
        decided_by=world.users["secretary"], exit_case=case,
    )  # fmt: skip
    ScreeningItem.objects.create(
        org=world.cell_a, org_path=world.cell_a.path, member=member, reason="no_progress",
        source="manual", raised_on=day - dt.timedelta(days=1),
    )  # fmt: skip


def _veteran(world: World, i: int) -> Any:
    """A member of cell A with 30 years of party age in the summer of 2026: on the badge list of
    2/9/2026."""
    return make_member(f"Cựu chiến binh {i:02}", world.cell_a,
                       admission_date=dt.date(1996, 6, 1 + i))  # fmt: skip


def _targets(world: World) -> None:
    """A target of this year for every child of G1 and U1, and admission cases of cell A closed
    as admitted this year (the rows behind the targets page's figures)."""
    from dangvien.orgs.models import Organization
    from dangvien.procedures.models import AdmissionTarget, Candidate, Case, CaseKind, Outcome

    year = timezone.localdate().year
    for parent in (world.grassroots1, world.upper1):
        for i, child in enumerate(Organization.objects.filter(parent=parent)):
            AdmissionTarget.objects.create(
                org=child, org_path=child.path, parent_path=parent.path, year=year, target=i + 1
            )
    for i in range(MORE_CASES):
        candidate = Candidate.objects.create(
            org=world.cell_a, org_path=world.cell_a.path, full_name=f"Đã kết nạp {i:02}",
            gender="F", date_of_birth=dt.date(1996, 2, 1 + i), source="student",
            class_certificate_date=dt.date(year, 1, 2), registered_on=dt.date(year, 1, 5),
        )  # fmt: skip
        Case.objects.create(
            kind=CaseKind.ADMISSION, candidate=candidate, org=world.cell_a,
            org_path=world.cell_a.path, opened_on=dt.date(year, 1, 10), state="closed",
            closed_on=dt.date(year, 1, 20), outcome=Outcome.ADMITTED,
        )  # fmt: skip


def _notice(world: World, title: str) -> Any:
    from dangvien.handbook.models import Post, PostFile

    post = Post.objects.create(
        org=world.province,
        kind=Post.Kind.NOTICE,
        title=title,
        body="<p>Nội dung</p>",
        publish_at=timezone.now() - dt.timedelta(days=1),
    )
    PostFile.objects.create(
        post=post,
        kind=PostFile.Kind.ATTACHMENT,
        file="posts/kem-theo.pdf",
        file_name="kem-theo.pdf",
        content_type="application/pdf",
        size=10,
    )
    return post


def _document(world: World, i: int) -> Any:
    from dangvien.handbook.models import Document

    return Document.objects.create(
        org=world.province,
        number=f"{i}-NQ/TU",
        kind=Document.Kind.RESOLUTION,
        issuer="Ban Chấp hành",
        issued_on=dt.date(2026, 1, 5) + dt.timedelta(days=i),
        summary=f"Nghị quyết số {i}",
        file="documents/nq.pdf",
        file_name="nq.pdf",
        content_type="application/pdf",
        size=10,
        search_head=f"nghi quyet {i}",
        published_at=timezone.now() - dt.timedelta(days=1),
    )


def _job(world: World, i: int) -> Any:
    from dangvien.jobs.models import Job
    from dangvien.members.imports.tasks import VALIDATE

    return Job.objects.create(
        kind=VALIDATE,
        title=f"Kiểm tra tệp ds-{i}.xlsx",
        owner=world.users["secretary"],
        status=Job.Status.DONE,
        summary={"rows": 1, "blocking": 0},
        params={"filename": f"ds-{i}.xlsx"},
    )


def _transfer(world: World, member: Any) -> Any:
    """An official transfer from cell A to cell C, its letter sent (so seen at both ends)."""
    from dangvien.procedures.models import CaseKind
    from dangvien.procedures.services import step_record
    from dangvien.procedures.transfer_services import transfer_open

    case = transfer_open(
        acting_user=world.users["secretary"],
        member=member,
        kind=CaseKind.TRANSFER_OFFICIAL,
        reason="new_job",
        event_on=dt.date(2026, 3, 2),
        other_org=world.cell_c,
    )
    step_record(acting_user=None, case=case, kind="letter", on=dt.date(2026, 3, 10))
    return case


def _quality_check(world: World) -> None:
    """A check of the whole tree, run at once (the tests' jobs run in the request)."""
    from dangvien.quality.tasks import quality_check_start

    quality_check_start(acting_user=world.users["province"], org=world.province)


# --- Measuring ----------------------------------------------------------------------------------


def measure(clients: dict[str, Client], route: ListRoute, url: str) -> list[str]:
    """Queries of one request, after one request to warm what is done once (the day's visit kept
    in the session, content types) and with the cache emptied, so a kept page hides nothing."""
    client = clients[route.persona]
    headers = {"HTTP_HX_REQUEST": "true"} if route.htmx else {}
    warm = client.get(url, **headers)
    assert warm.status_code == 200, f"{url}: {warm.status_code} for {route.persona}"
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, f"{url}: {response.status_code} for {route.persona}"
    return [query["sql"] for query in queries.captured_queries]


def measure_all(
    world: World, clients: dict[str, Client], fixtures: dict[str, Any]
) -> dict[str, list[str]]:
    """The SQL of every list route's request."""
    return {
        key: measure(clients, route, route.url(world, fixtures))
        for key, route in sorted(all_list_routes().items())
    }


def load_baseline() -> dict[str, Any]:
    if not BASELINE.exists():
        return {}
    baseline: dict[str, Any] = json.loads(BASELINE.read_text(encoding="utf-8"))
    return baseline


def write_baseline(vendor: str, entries: dict[str, Any]) -> None:
    baseline = load_baseline()
    baseline[vendor] = dict(sorted(entries.items()))
    BASELINE.write_text(
        json.dumps(baseline, indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )


def repeated(sql: list[str], shown: int = 3) -> str:
    """The statements run most often with more rows (numbers and strings blanked): where the
    per-row query is."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", statement) for statement in sql)
    lines = [f"\n    {n} × {shape[:200]}" for shape, n in shapes.most_common(shown) if n > 1]
    return "".join(lines)


def check(key: str, small: int, large: int, entry: Any, known: dict[str, Any] | None) -> str | None:
    """What is wrong with one route's counts, or None. `entry`: its baseline on this database
    (None: not measured on it yet); `known`: the reference's mark of a known N+1, if any."""
    if known is not None:  # a known N+1: no worse than recorded at either size
        if isinstance(entry, dict) and (small > entry["world"] or large > entry["more_rows"]):
            return (
                f"{key}: {small} queries on the world and {large} with more rows; the baseline "
                f"(a known N+1: {known['why']}) allows {entry['world']} and {entry['more_rows']}"
            )
        return None
    if large > small:
        return (
            f"{key}: {small} queries on the world but {large} with more rows: the count grows "
            "with the rows (an N+1). Read the related rows in the list's query "
            "(select_related, prefetch_related, an annotation), not one query per row."
        )
    # Fewer with more rows is no N+1: a search may answer a fuller page by a shorter path.
    count = max(small, large)
    if entry is None:
        return f"{key}: no baseline ({count} queries now); refresh it with {REFRESH}"
    if count > entry:
        return (
            f"{key}: {count} queries, the baseline allows {entry}. If the new queries are "
            f"right (not one per row), refresh the baseline with {REFRESH}"
        )
    return None


@pytest.mark.django_db
def test_list_query_counts(world: World, as_persona: Callable[[str], Client]) -> None:
    """Every list route: no more queries with more rows than on the world (no N+1), and no more
    than its baseline."""
    clients = {persona: as_persona(persona) for persona in world.users if persona != "anonymous"}
    fixtures = base_rows(world)
    small_sql = measure_all(world, clients, fixtures)
    more_rows(world)
    large_sql = measure_all(world, clients, fixtures)
    small = {key: len(sql) for key, sql in small_sql.items()}
    large = {key: len(sql) for key, sql in large_sql.items()}

    baseline = load_baseline()
    vendor = connection.vendor
    # Known N+1s are marked once, in the reference; counts are kept per database. On a database
    # not measured yet only the growth is checked.
    known = {k: v for k, v in baseline.get(REFERENCE, {}).items() if isinstance(v, dict)}
    measured = vendor in baseline
    recorded: dict[str, Any] = baseline.get(vendor, {})
    problems = []
    for key in small:
        problem = check(key, small[key], large[key], recorded.get(key), known.get(key))
        if problem is None or (UPDATE and (key in known or large[key] <= small[key])):
            continue
        if not measured and not UPDATE and large[key] <= small[key]:
            continue
        if large[key] > small[key]:
            problem += repeated(large_sql[key])
        problems.append(problem)
    if UPDATE:
        # A known N+1 keeps its mark with the counts of now; a new one gets no entry: it is
        # fixed, or marked by hand in the reference.
        entries: dict[str, Any] = {
            key: small[key] for key in small if key not in known and large[key] <= small[key]
        }
        for key in set(known) & set(small):
            entries[key] = {**known[key], "world": small[key], "more_rows": large[key]}
        write_baseline(vendor, entries)
    assert not problems, f"Query counts of list routes ({vendor}):\n" + "\n".join(problems)


def test_every_route_is_classified() -> None:
    """A route is a list (measured above) or says why it is not: a new list page cannot arrive
    without a count."""
    lists = {_base(key) for key in LIST_ROUTES}
    unclassified = sorted(project_routes() - lists - set(NOT_LISTS))
    assert not unclassified, (
        "Routes neither in LIST_ROUTES nor in NOT_LISTS of tests/test_query_counts.py: "
        f"{unclassified}. A page or API operation that lists rows goes in LIST_ROUTES (then "
        f"refresh the baseline with {REFRESH}); any other in NOT_LISTS, with why."
    )
    both = sorted(lists & set(NOT_LISTS))
    assert not both, f"Routes both listed and not: {both}"
    gone = sorted((lists | set(NOT_LISTS)) - project_routes())
    assert not gone, f"Classified routes that no longer exist: {gone}"


def test_api_lists_are_measured() -> None:
    """What the permission walk declares an API list is measured here."""
    api_lists = {key for key, kind in API_ROUTES.items() if isinstance(kind, ApiList)}
    missing = sorted(api_lists - {_base(key) for key in LIST_ROUTES})
    assert not missing, f"API lists without a query count: {missing}"


def test_every_list_route_has_a_baseline() -> None:
    """Each list route (and variant) has its count in the committed baseline, and the baseline
    names no route that is not measured."""
    recorded = load_baseline().get(REFERENCE, {})
    expected = set(LIST_ROUTES) | set(admin_changelists())
    missing = sorted(expected - set(recorded))
    assert not missing, (
        f"List routes without a baseline in tests/query_counts.json: {missing}. "
        f"Measure them with {REFRESH}"
    )
    stale = sorted(set(recorded) - expected)
    assert not stale, f"Baseline entries of no list route: {stale}; refresh with {REFRESH}"
