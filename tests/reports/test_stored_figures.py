"""Today's kept figures (reports/stored.py) against a direct count: after random admissions,
recognitions, transfers, exemptions, deaths, merges and moves; across days when members cross an
age boundary; after a change of the measures; and the triggers against the measures' fields.
The kept admissions and recognitions against the walk through the histories, the same way."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection
from django.db.models import Q
from tests.conftest import make_member, make_org
from tests.reports.test_report_figures import _measures, _random_changes, _random_tree

from dangvien.core.dates import years_before
from dangvien.members.models import EducationLevel, Member
from dangvien.orgs.models import Organization
from dangvien.reports import selectors, stored
from dangvien.reports.measures import member_groups
from dangvien.reports.models import (
    DatedEvent,
    EventDirty,
    FigureDirty,
    FigureNode,
    FigureState,
)

TODAY = selectors.today()


def _direct(org: Organization, day: dt.date) -> tuple[dict[str, int], tuple]:
    members = selectors._aggregate(selectors.members_now(org), _measures(day))
    return members, selectors.org_counts_on(org, day)


def _kept(org: Organization, day: dt.date) -> tuple[dict[str, int], tuple]:
    kept = stored.totals_of([org.path], day)
    assert kept is not None
    members = {m.key: kept[org.path].get(m.key, 0) for m in _measures(day)}
    return members, selectors._kept_org_counts(stored.below_of(org.path, day))


def _assert_kept_equals_direct(orgs: list[Organization], day: dt.date = TODAY) -> None:
    for org in orgs:
        org.refresh_from_db()
        if org.dissolved_on is not None:
            continue
        assert _kept(org, day) == _direct(org, day), org


@pytest.mark.parametrize("seed", range(6))
def test_kept_figures_equal_a_direct_count_after_random_changes(db, seed):
    rng = random.Random(2000 + seed)
    story = _random_tree(rng)
    _random_changes(rng, story, steps=30)
    _assert_kept_equals_direct(story.orgs)
    assert not FigureDirty.objects.exists()  # the reads above applied every mark
    kept = {n.path: (n.own, n.total) for n in FigureNode.objects.all() if n.total}
    stored.rebuild()
    rebuilt = {n.path: (n.own, n.total) for n in FigureNode.objects.all() if n.total}
    assert kept == rebuilt


def test_refreshing_between_changes_gives_the_same_figures(db):
    """Figures read after every change (small refreshes) end where one large refresh ends."""
    rng = random.Random(7)
    story = _random_tree(rng)
    day = dt.date(2024, 1, 1)
    for _ in range(12):
        day = _random_changes(rng, story, steps=1, start=day)
        stored.totals_of([o.path for o in story.orgs], TODAY)
    _assert_kept_equals_direct(story.orgs)


def test_the_report_and_the_tree_page_read_the_kept_figures(db, django_assert_max_num_queries):
    province = make_org("Tỉnh", "province", None)
    committee = make_org("Đảng bộ xã", "grassroots_committee", province, "commune")
    cell = make_org("Chi bộ thôn 1", "cell", committee)
    for n in range(5):
        make_member(f"Đảng viên {n}", cell)
    stored.totals_of([province.path], TODAY)  # refresh once
    with django_assert_max_num_queries(12):  # reference lists, state, marks, one row
        totals = selectors.member_totals(province, TODAY)
    assert totals["members"] == 5
    assert selectors.member_counts_on([committee, cell], TODAY) == [(committee, 5), (cell, 5)]
    assert selectors.org_level_counts(province, TODAY) == {
        "grassroots_committee": 1,
        "cell": 1,
        "grassroots": 1,
    }


def test_a_member_crossing_an_age_boundary_is_recounted_the_next_day(db, monkeypatch):
    cell = make_org("Chi bộ", "grassroots_cell", None, "commune")
    # 31 years old from tomorrow: in the band "up to 30" today, "31 to 40" tomorrow; admitted
    # 10 years ago tomorrow: party age "up to 9" today, "10 to 19" tomorrow.
    tomorrow = TODAY + dt.timedelta(days=1)
    make_member(
        "Trẻ tuổi",
        cell,
        date_of_birth=years_before(tomorrow, 31),
        admission_date=years_before(tomorrow, 10),
    )
    make_member("Ba mươi sáu tuổi", cell, date_of_birth=years_before(TODAY, 36))
    today = stored.totals_of([cell.path], TODAY)[cell.path]
    assert (today["age_0"], today.get("age_31"), today["party_age_0"]) == (1, 1, 1)
    assert stored.totals_of([cell.path], tomorrow) is None  # not today: counted directly

    monkeypatch.setattr(stored, "today", lambda: tomorrow)
    kept = stored.totals_of([cell.path], tomorrow)[cell.path]
    assert (kept.get("age_0"), kept["age_31"], kept.get("party_age_0")) == (None, 2, None)
    assert FigureState.objects.get().as_of == tomorrow
    _assert_kept_equals_direct([cell], tomorrow)


def test_figures_of_the_past_are_never_read_from_the_kept_ones(db):
    cell = make_org("Chi bộ", "grassroots_cell", None, "commune")
    make_member("Một", cell)
    assert stored.totals_of([cell.path], TODAY - dt.timedelta(days=1)) is None


def test_a_new_reference_entry_keeps_the_figures_a_renamed_code_recounts_them(db):
    cell = make_org("Chi bộ", "grassroots_cell", None, "commune")
    member = make_member("Một", cell)
    assert stored.totals_of([cell.path], TODAY) is not None
    level = EducationLevel.objects.create(code="99", name="Trình độ mới", order=99)
    assert stored.totals_of([cell.path], TODAY) is not None  # nobody has it yet
    Member.objects.filter(pk=member.pk).update(education=level)  # marked by the trigger
    assert stored.totals_of([cell.path], TODAY)[cell.path]["education_99"] == 1

    EducationLevel.objects.filter(pk=level.pk).update(code="98")
    assert stored.totals_of([cell.path], TODAY) is None  # "education_98" was "education_99"
    assert selectors.member_totals(cell, TODAY)["education_98"] == 1  # counted directly
    stored.rebuild()
    _assert_kept_equals_direct([cell])


def test_a_bulk_update_outside_the_services_is_marked_by_the_database(db):
    """The trigger marks what any code writes: here a raw queryset update of the gender."""
    cell = make_org("Chi bộ", "grassroots_cell", None, "commune")
    make_member("Một", cell, gender="M")
    stored.totals_of([cell.path], TODAY)
    Member.objects.filter(org_path=cell.path).update(gender="F")
    assert FigureDirty.objects.filter(path=cell.path).exists()
    assert stored.totals_of([cell.path], TODAY)[cell.path]["female"] == 1


def _fields_of(q: Q) -> set[str]:
    fields: set[str] = set()
    for child in q.children:
        if isinstance(child, Q):
            fields |= _fields_of(child)
        else:
            fields.add(child[0].split("__")[0])
    return fields


def _update_trigger() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                ["reports_mark_member_update"],
            )
        else:
            cursor.execute(
                "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = %s",
                ["reports_mark_member_update"],
            )
        return cursor.fetchone()[0]


def test_the_triggers_watch_every_member_field_a_report_counts_by(db):
    counted: set[str] = {"org_path", "status"}  # the subtree, and status_on = status
    for group in member_groups(TODAY):
        for measure in group.measures:
            counted |= _fields_of(measure.q) - {"status_on"}
    watched = _update_trigger().split(" ON ")[0]
    missing = {
        column
        for column in (Member._meta.get_field(name).column for name in counted)
        if column not in watched
    }
    assert missing == set()


def test_the_demo_load_pauses_the_marks_and_leaves_figures_and_triggers_as_migrated(db):
    from io import StringIO

    from django.core.management import call_command

    before = _trigger_names()
    call_command("demo", scale="tiny", stdout=StringIO())
    assert _trigger_names() == before and len(before) == 15
    assert not FigureDirty.objects.exists() and not EventDirty.objects.exists()  # nothing marked …
    _assert_kept_equals_direct(list(Organization.objects.all()))  # … and all counted after


def _trigger_names() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'reports_mark_%%' ORDER BY name"
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'reports_mark_%%' ORDER BY tgname"
            )
        return [name for (name,) in cursor.fetchall()]


def _dated(orgs: list[Organization], periods: list[tuple[dt.date, dt.date]]) -> dict:
    """The members behind every admission and recognition figure of every node and period."""
    return {
        (org.pk, start, end, key): sorted(
            Member.objects.filter(pk__in=selectors.change_events(org, start, end, key)).values_list(
                "pk", flat=True
            )
        )
        for org in orgs
        for start, end in periods
        for key in stored.EVENT_DATES
    }


def _kept_events() -> list[tuple]:
    return sorted(DatedEvent.objects.values_list("member_id", "kind", "day", "path"))


@pytest.mark.parametrize("seed", range(4))
def test_kept_admissions_and_recognitions_equal_the_histories_after_random_changes(
    db, seed, monkeypatch
):
    rng = random.Random(3000 + seed)
    story = _random_tree(rng)
    _random_changes(rng, story, steps=30)
    middle = story.days[len(story.days) // 2]
    periods = [(story.days[0], story.days[-1]), (middle, TODAY), (dt.date(1930, 2, 3), TODAY)]
    kept = _dated(story.orgs, periods)
    assert not EventDirty.objects.exists()  # the reads above took in every mark
    assert sum(len(members) for members in kept.values()) > 0
    with monkeypatch.context() as patch:
        patch.setattr(stored, "events_current", lambda: False)  # walk the histories
        assert _dated(story.orgs, periods) == kept
    incremental = _kept_events()
    stored.rebuild()
    assert _kept_events() == incremental


def test_a_raw_update_of_an_admission_date_is_marked_by_the_database(db):
    cell = make_org("Chi bộ", "grassroots_cell", None, "commune")
    cell.history.update(valid_from=dt.date(2000, 1, 1))
    member = make_member("Một", cell, admission_date=dt.date(2010, 5, 1))
    member.memberships.update(valid_from=dt.date(2010, 5, 1))
    year = (dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    assert list(selectors.change_events(cell, *year, "admitted")) == [{"member_id": member.pk}]
    Member.objects.filter(pk=member.pk).update(admission_date=dt.date(2011, 3, 1))
    assert EventDirty.objects.filter(member_id=member.pk).exists()
    assert not selectors.change_events(cell, *year, "admitted").exists()
    later = (dt.date(2011, 1, 1), dt.date(2011, 12, 31))
    assert selectors.change_events(cell, *later, "admitted").count() == 1
