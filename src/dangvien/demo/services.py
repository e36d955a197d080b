"""Loading the demo dataset: plan the tree, write it, then stream the members cell by cell."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max

from dangvien.core.audit import audit_record
from dangvien.core.models import AuditEvent
from dangvien.demo.handbook import HandbookContent, demo_handbook_content, demo_handbook_write
from dangvien.demo.people import (
    People,
    Rows,
    dossier_history_rows,
    dossier_references,
    lost_contact_rows,
)
from dangvien.demo.plan import Figures, Plan, build_plan
from dangvien.demo.procedures import demo_procedures_write
from dangvien.demo.producer import Producer, Send
from dangvien.demo.writer import MEMBER_FIELDS, Writer, fast_load
from dangvien.members.models import Ethnicity, Member, Religion
from dangvien.members.services import MemberBatch, members_create_bulk
from dangvien.orgs.models import GrassrootsKind, Organization, OrgLevel
from dangvien.procedures.models import Case
from dangvien.reports.stored import marks_paused as figures_paused
from dangvien.reports.stored import rebuild as figures_rebuild

# The day the data describes: fixed, so that a seed always gives the same records. Probationary
# members were admitted in the 12 months before it; pass another day with --as-of.
DEFAULT_AS_OF = dt.date(2026, 11, 1)
# `hanoi` reproduces the city's figures of 31/12/2020: its data describes that day, so that a report
# of the city on that day shows them.
SCALE_AS_OF = {"hanoi": dt.date(2020, 12, 31)}
EARLIEST_AS_OF = dt.date(2000, 1, 1)  # the founding dates of the plan need a few decades
DEFAULT_SEED = 1
BATCH_MEMBERS = 20_000  # the child is at most a batch ahead: two batches in memory at most
BATCH_ORGS = 50_000


@dataclass
class LoadReport:
    scale: str
    seed: int
    as_of: dt.date
    figures: Figures
    organizations: int = 0
    member_records: int = 0
    posts: int = 0
    documents: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    candidates: int = 0
    cases: int = 0
    steps: int = 0
    cases_by_kind: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def demo_is_loaded() -> bool:
    return Organization.objects.exists() or Member.objects.exists()


def demo_load(
    *,
    scale: str,
    seed: int = DEFAULT_SEED,
    as_of: dt.date | None = None,
    batch_members: int = BATCH_MEMBERS,
    progress: Callable[[str], None] | None = None,
) -> LoadReport:
    """Write the demo tree and members of `scale` into an empty database."""
    started = time.monotonic()
    as_of = as_of or SCALE_AS_OF.get(scale, DEFAULT_AS_OF)
    if as_of < EARLIEST_AS_OF:
        raise ValidationError(
            f"Ngày {as_of:%d/%m/%Y} quá sớm: dữ liệu mẫu mô tả Đảng bộ từ năm "
            f"{EARLIEST_AS_OF.year} trở đi."
        )
    if demo_is_loaded():
        raise ValidationError(
            "Cơ sở dữ liệu đã có tổ chức hoặc đảng viên: "
            "dữ liệu mẫu chỉ nạp vào cơ sở dữ liệu trống."
        )
    plan = build_plan(scale, seed=seed, as_of=as_of, first_id=_next_id(Organization))
    report = LoadReport(scale=scale, seed=seed, as_of=as_of, figures=plan.figures())
    say = progress or (lambda _message: None)
    writer = Writer()
    people = People(
        plan,
        as_of=as_of,
        ethnicities=dict(Ethnicity.objects.values_list("name", "id")),
        religions=dict(Religion.objects.values_list("name", "id")),
        first_member_id=_next_id(Member),
        references=dossier_references(),
    )
    generate = functools.partial(_generate, plan, people, batch_members, seed, as_of)
    # The members and the handbook are generated in a second process while this one writes:
    # the secondary indexes are built here while the child makes the handbook's files.
    with Producer(generate) as produced, figures_paused():
        with fast_load():
            report.organizations = _write_orgs(plan, writer)
            say(f"organizations: {report.organizations}")
            end: list[Any] = []
            created = members_create_bulk(
                acting_user=None,
                fields=MEMBER_FIELDS,
                rows=_received_batches(produced, end),
                summary=f"Tạo hồ sơ đảng viên: dữ liệu mẫu quy mô «{scale}» (seed {seed})",
                # The database is empty: the member tables' indexes are built once at the end.
                expected=report.figures.members,
                on_batch=lambda done: say(f"members: {done}"),
            )
            counts, next_id = end[0]
            if (created.first_id, created.first_id + created.count) != (
                people.first_member_id,
                next_id,
            ):
                raise ValueError("demo: the members written are not the members generated")
            report.member_records = created.count
            dossier_history_rows(created.first_id, next_id - 1, seed)
            lost_contact_rows(created.first_id, next_id - 1, seed, as_of)
            # The procedures read the members written: made here while the child makes the
            # handbook.
            since = time.monotonic()
            procedures = demo_procedures_write(
                writer, plan, as_of=as_of, ethnicities=people.ethnicity_ids
            )
            report.candidates, report.cases, report.steps = (
                procedures.candidates,
                procedures.cases,
                procedures.steps,
            )
            report.cases_by_kind = dict(sorted(procedures.by_kind.items()))
            say(
                f"procedures: {report.candidates} candidates, {report.cases} cases, "
                f"{report.steps} steps in {time.monotonic() - since:.1f} s"
            )
        writer.finish()
        _analyze_fully(Case)
        content: HandbookContent = produced.receive("handbook")[1]
    demo_handbook_write(content)
    report.by_status = dict(sorted(counts.items()))
    report.posts, report.documents = len(content.posts), len(content.documents)
    say(f"handbook: {report.posts} posts, {report.documents} documents")
    say(f"report figures: {figures_rebuild()} nodes")
    with transaction.atomic():
        root = Organization.objects.get(pk=plan.orgs[0].id)
        audit_record(
            actor=None,
            action=AuditEvent.Action.CREATE,
            target=root,
            summary=(
                f"Nạp dữ liệu mẫu quy mô «{scale}» (seed {seed}): {report.organizations} tổ chức, "
                f"{report.member_records} hồ sơ đảng viên, {report.candidates} quần chúng ưu tú, "
                f"{report.cases} hồ sơ thủ tục"
            ),
            after={"scale": scale, "seed": seed, "as_of": as_of.isoformat()},
        )
    report.seconds = time.monotonic() - started
    return report


def _analyze_fully(model: type[Case]) -> None:
    """SQLite: full statistics of a table the to-do lists read (the load's ANALYZE samples, and
    on sampled figures the planner took the open-case index for one cell's cases, 15 ms a
    query instead of well under one)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit=0")
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _next_id(model: type[Organization] | type[Member]) -> int:
    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def _write_orgs(plan: Plan, writer: Writer) -> int:
    levels = dict(OrgLevel.objects.values_list("code", "id"))
    kinds = dict(GrassrootsKind.objects.values_list("code", "id"))
    missing = {org.level for org in plan.orgs} - set(levels)
    if missing:
        raise ValidationError(f"Thiếu cấp tổ chức trong danh mục: {', '.join(sorted(missing))}.")
    for start in range(0, len(plan.orgs), BATCH_ORGS):
        chunk = plan.orgs[start : start + BATCH_ORGS]
        orgs, history = [], []
        for org in chunk:
            parent = org.parent.id if org.parent else None
            founded = org.founded.isoformat()
            level = levels[org.level]
            kind = kinds.get(org.kind) if org.kind else None
            orgs.append((org.id, org.name, level, kind, parent, org.path, founded, None))
            history.append((org.id, org.name, level, parent, org.path, founded, None))
        writer.write([(writer.orgs, orgs), (writer.org_history, history)])
    return len(plan.orgs)


def _generate(
    plan: Plan,
    people: People,
    batch_members: int,
    seed: int,
    as_of: dt.date,
    send: Send,
) -> None:
    """In the generating process: batches of member rows, the people's figures, then the
    handbook. (The search keys are made by the writing process, which has time to spare.)"""
    rows = Rows(first_id=people.next_id)

    def flush() -> None:
        send("rows", rows.batch())
        rows.clear(people.next_id)

    for cell in plan.cells():
        people.fill(cell, rows)
        if len(rows.members) >= batch_members:
            flush()
    flush()
    send("people", (people.counts, people.next_id))
    send("handbook", demo_handbook_content(plan, seed=seed, as_of=as_of))


def _received_batches(produced: Producer, end: list[Any]) -> Iterator[MemberBatch]:
    """The batches of members as the generating process sends them, one at a time; then its
    last item (the people's figures) goes into `end`."""
    while (item := produced.receive("rows", "people"))[0] == "rows":
        yield item[1]
    end.append(item[1])
