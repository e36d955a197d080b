"""The demo's procedures: candidates and cases consistent with the members the load writes."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from dangvien.accounts.models import Role, User
from dangvien.core.models import AuditEvent
from dangvien.demo.services import DEFAULT_AS_OF
from dangvien.members.models import Status
from dangvien.members.selectors import members_of_org_on
from dangvien.procedures import services
from dangvien.procedures.flows import skipped
from dangvien.procedures.models import Candidate, Case, CaseKind, CaseState, Outcome, Step
from dangvien.procedures.rules import judge
from dangvien.procedures.rules import votes as vote_rules
from dangvien.procedures.rules.admission import certificate_valid_until
from dangvien.procedures.todo import todo_for


@pytest.fixture
def tiny(db) -> None:
    call_command("demo", scale="tiny", stdout=StringIO())


def test_cases_of_each_kind_and_candidates(tiny):
    kinds = set(Case.objects.values_list("kind", flat=True))
    assert {CaseKind.ADMISSION, CaseKind.RECOGNITION, CaseKind.TRANSFER_OFFICIAL} <= kinds
    assert Case.objects.filter(kind=CaseKind.ADMISSION, state=CaseState.OPEN).exists()
    assert Case.objects.filter(kind=CaseKind.ADMISSION, state=CaseState.CLOSED).exists()
    assert Candidate.objects.exists()
    assert Candidate.objects.filter(class_certificate_date__isnull=True).exists()
    issued = [c for c in Candidate.objects.values_list("class_certificate_date", flat=True) if c]
    until = [certificate_valid_until(day) for day in issued]
    assert any(day < DEFAULT_AS_OF for day in until)  # expired
    assert any(DEFAULT_AS_OF <= day <= DEFAULT_AS_OF + dt.timedelta(days=30) for day in until)
    cases = Case.objects.count()
    summary = AuditEvent.objects.filter(summary__startswith="Nạp dữ liệu mẫu").get().summary
    assert f"{cases} hồ sơ thủ tục" in summary


def test_closed_admissions_admit_their_member_on_the_decision_day(tiny):
    closed = Case.objects.filter(kind=CaseKind.ADMISSION, outcome=Outcome.ADMITTED)
    assert closed.exists()
    for case in closed.select_related("member", "org__level"):
        steps = services.steps_done(case)
        member = case.member
        assert member is not None and member.org_id == case.org_id
        assert steps["decision"].done_on == member.admission_date
        assert steps["ceremony"].done_on == case.closed_on == member.admission_ceremony_date
        expected = {"dossier", "cell_resolution", "grassroots_resolution", "decision", "ceremony"}
        assert set(steps) == expected - skipped(case.kind, case.org.level.code)
        days = [step.done_on for step in case.steps.order_by("done_on", "id")]
        assert case.opened_on <= days[0] and days == sorted(days)


def test_open_cases_wait_as_step_record_leaves_them(tiny):
    open_cases = Case.objects.filter(state=CaseState.OPEN, kind=CaseKind.ADMISSION)
    with_steps = [case for case in open_cases.select_related("org__level") if case.steps.exists()]
    assert with_steps
    for case in with_steps:
        expected = services._waiting(case, services.steps_done(case))
        assert (case.next_step, case.next_deadline) == expected, case.pk
    for case in open_cases.filter(steps__isnull=True):
        assert (case.next_step, case.next_deadline) == ("", None)


def test_votes_keep_the_two_thirds_rule_of_the_cell_on_the_day(tiny):
    votes = Step.objects.filter(present__isnull=False).select_related("case__org")
    assert votes.exists()
    for step in votes:
        assert step.eligible == members_of_org_on(step.case.org, step.done_on).count()
        verdict = judge(
            vote_rules.TWO_THIRDS,
            step.done_on,
            eligible=step.eligible,
            present=step.present,
            votes_for=step.votes_for,
            votes_against=step.votes_against,
        )
        assert verdict.ok, verdict.text


def test_late_steps_say_why(tiny):
    for step in Step.objects.filter(deadline__isnull=False):
        assert step.late == (step.done_on > step.deadline)
        assert bool(step.late_reason) == step.late


def test_recognition_cases_are_of_probationary_or_recognised_members(tiny):
    for case in Case.objects.filter(kind=CaseKind.RECOGNITION).select_related("member"):
        member = case.member
        assert member is not None
        if case.state == CaseState.OPEN:
            assert member.status == Status.PROBATIONARY and not case.steps.exists()
        else:
            assert case.outcome == Outcome.RECOGNISED
            assert member.recognition_date is not None
            assert case.steps.get(kind="decision").done_on >= member.recognition_date


def test_transfers_mirror_the_moves_between_cells(tiny):
    for case in Case.objects.filter(kind=CaseKind.TRANSFER_OFFICIAL).select_related("member"):
        member = case.member
        assert member is not None and member.org_id == case.other_org_id
        assert member.memberships.filter(org=case.org, valid_to=case.closed_on).exists()
        assert member.memberships.filter(org=case.other_org, valid_from=case.closed_on).exists()


def test_the_cell_secretary_has_something_to_do(tiny):
    secretary = User.objects.get(username="bithu", roles__role=Role.CELL_SECRETARY)
    assert todo_for(secretary, today=DEFAULT_AS_OF).lines


def test_badges_awarded_and_proposed_as_the_rules_say(db):
    """At `district` scale: badges awarded in the year before the demo's day (closed, in the
    record's awards) and proposed for the next award day, each on the day the party age of the
    record reaches its milestone, each member once per milestone."""
    from dangvien.members.models import Award, Member
    from dangvien.members.selectors import party_age_on
    from dangvien.procedures.models import Badge
    from dangvien.procedures.rules import badge as badge_rules

    call_command("demo", scale="district", stdout=StringIO())
    badges = list(Badge.objects.select_related("case"))
    awarded = [b for b in badges if b.case.outcome == Outcome.AWARDED]
    proposed = [b for b in badges if b.case.state == CaseState.OPEN]
    assert awarded and proposed and len(awarded) + len(proposed) == len(badges)
    for badge in badges:
        member = Member.objects.get(pk=badge.member_id)
        age = party_age_on(member, badge.award_day)
        assert age is not None and age.reaches(badge.milestone) == badge.reaches_on
        assert badge.award_day == badge_rules.next_award_day(badge.reaches_on)
    for badge in awarded:
        assert badge.award_day <= DEFAULT_AS_OF and badge.case.closed_on == badge.award_day
        form = f"Huy hiệu {badge.milestone} năm tuổi Đảng"
        assert Award.objects.filter(member_id=badge.member_id, date=badge.award_day, form=form)
    for badge in proposed:
        assert badge.award_day > DEFAULT_AS_OF and badge.case.next_step == "decision"
    assert len({(b.member_id, b.milestone) for b in badges}) == len(badges)


def test_exits_of_the_year_close_on_the_status_day_and_a_few_strike_offs_wait(db):
    """At `district` scale: every member who left the Party in the year before the demo's day has
    the closed case of its kind, closed on the day its status begins (the report's day for a
    death, after it), and a few striking-off cases wait for the committee."""
    from dangvien.core.dates import add_months
    from dangvien.members.models import Member, StatusPeriod
    from dangvien.procedures.exits import EXIT_KINDS
    from dangvien.procedures.models import Exit
    from dangvien.procedures.rules import exit as exit_rules

    call_command("demo", scale="district", stdout=StringIO())
    first = add_months(DEFAULT_AS_OF, -12)
    left = StatusPeriod.objects.filter(
        valid_to__isnull=True, valid_from__gt=first, status__in=list(exit_rules.STATUS_OF.values())
    )
    assert left.exists()
    for period in left:
        case = Case.objects.get(member_id=period.member_id, kind__in=EXIT_KINDS, state="closed")
        assert exit_rules.STATUS_OF[case.kind] == period.status
        if case.kind == CaseKind.DEATH:
            assert case.exit.died_on == period.valid_from <= case.closed_on
        else:
            assert case.closed_on == period.valid_from
        if case.kind == CaseKind.STRIKE_OFF:
            assert case.exit.reason in exit_rules.STRIKE_OFF_REASONS
    waiting = Case.objects.filter(kind=CaseKind.STRIKE_OFF, state=CaseState.OPEN)
    assert waiting.exists()
    for case in waiting:
        assert Member.objects.get(pk=case.member_id).status == Status.OFFICIAL
        assert case.next_step in ("grassroots_resolution", "decision")
    assert Exit.objects.count() == Case.objects.filter(kind__in=EXIT_KINDS).count()


def test_every_exempted_member_has_the_exemption_the_status_says(tiny):
    """people.py exempts a share of the elderly; each of them has its case and exemption from the
    day the status began, counted out of the meetings' attendance on the demo's day."""
    from dangvien.members.models import StatusPeriod
    from dangvien.procedures.exemptions import exempt_member_ids
    from dangvien.procedures.models import Exemption

    periods = dict(
        StatusPeriod.objects.filter(
            status=Status.EXEMPTED, valid_to__isnull=True, member__status=Status.EXEMPTED
        ).values_list("member_id", "valid_from")
    )
    rows = {row.member_id: row for row in Exemption.objects.select_related("case")}
    assert periods and set(rows) == set(periods)
    for member, since in periods.items():
        row = rows[member]
        assert row.decided and row.valid_from == since and row.valid_to is None
        assert row.case.steps.get(kind="cell_resolution").done_on == since
    cells = {row.case.org_id for row in rows.values()}
    assert exempt_member_ids(cells, DEFAULT_AS_OF) == set(periods)
