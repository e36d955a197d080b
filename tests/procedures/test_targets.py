"""Admission targets: set and changed by the committee above, refused with the reason otherwise;
the sources' pipeline of candidates; the procedure figures of a period and the cases behind each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dangvien.core.models import AuditEvent
from dangvien.procedures import targets
from dangvien.procedures.models import (
    AdmissionTarget,
    Candidate,
    CandidateSource,
    Case,
    CaseKind,
    CaseState,
    Outcome,
)

D = dt.date
YEAR = timezone.localdate().year
FIRST, LAST = D(2026, 1, 1), D(2026, 12, 31)


def set_target(world, persona: str, org, target: int, year: int = YEAR, note: str = ""):
    return targets.target_set(
        acting_user=world.users[persona], org=org, year=year, target=target, note=note
    )


# --- Setting a target --------------------------------------------------------------------------


def test_the_committee_above_sets_a_target_with_an_audit_row(world):
    row = set_target(world, "grassroots", world.cell_a, 3, note="Nghị quyết số 12")
    assert (row.org, row.year, row.target, row.note) == (world.cell_a, YEAR, 3, "Nghị quyết số 12")
    assert row.org_path == world.cell_a.path
    assert row.parent_path == world.grassroots1.path
    assert row.set_by == world.users["grassroots"]
    event = AuditEvent.objects.get(target_type="procedures.admissiontarget", target_id=row.pk)
    assert event.action == AuditEvent.Action.CREATE
    assert event.actor_id == world.users["grassroots"].pk
    assert "Chi bộ 1: 3" in event.summary


def test_changing_a_target_keeps_one_row_and_audits_before_and_after(world):
    first = set_target(world, "grassroots", world.cell_a, 3)
    second = set_target(world, "upper", world.cell_a, 5)
    assert first.pk == second.pk
    assert AdmissionTarget.objects.get(org=world.cell_a, year=YEAR).target == 5
    events = AuditEvent.objects.filter(
        target_type="procedures.admissiontarget", target_id=first.pk
    ).order_by("pk")
    assert [e.action for e in events] == [AuditEvent.Action.CREATE, AuditEvent.Action.UPDATE]
    assert events[1].before == {"target": 3, "note": ""}
    assert events[1].after["target"] == 5


def test_a_target_of_zero_is_a_target(world):
    assert set_target(world, "grassroots", world.cell_a, 0).target == 0


@pytest.mark.parametrize(
    ("persona", "org_name"),
    [
        ("secretary", "cell_a"),  # a cell's secretary does not set the cell's own target
        ("grassroots", "grassroots1"),  # nor a committee its own
        ("grassroots", "cell_c"),  # nor anyone outside their subtree
        ("other_upper", "cell_a"),
        ("member", "cell_a"),
        ("editor", "cell_a"),
    ],
)
def test_only_the_committee_above_may_set_it(world, persona, org_name):
    org = getattr(world, org_name)
    with pytest.raises(ValidationError) as refused:
        set_target(world, persona, org, 3)
    assert "không có quyền giao chỉ tiêu" in " ".join(refused.value.messages)
    assert not AdmissionTarget.objects.exists()
    assert not AuditEvent.objects.filter(target_type="procedures.admissiontarget").exists()


def test_a_negative_target_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        set_target(world, "grassroots", world.cell_a, -1)
    assert refused.value.messages == ["Chỉ tiêu kết nạp không được là số âm."]
    assert not AdmissionTarget.objects.exists()


@pytest.mark.parametrize("year", [YEAR - 11, YEAR + 6])
def test_a_year_out_of_range_is_refused(world, year):
    low, high = targets.year_bounds()
    with pytest.raises(ValidationError) as refused:
        set_target(world, "grassroots", world.cell_a, 3, year=year)
    assert refused.value.messages == [f"Năm giao chỉ tiêu phải từ {low} đến {high}."]


@pytest.mark.parametrize("year", [YEAR - 10, YEAR + 5])
def test_the_years_at_the_bounds_are_accepted(world, year):
    assert set_target(world, "grassroots", world.cell_a, 3, year=year).year == year


def test_every_reason_is_given_at_once(world):
    with pytest.raises(ValidationError) as refused:
        set_target(world, "secretary", world.cell_a, -2, year=YEAR + 9)
    assert len(refused.value.messages) == 3


def test_the_root_target_is_the_administrators_alone(world):
    with pytest.raises(ValidationError):
        set_target(world, "province", world.province, 100)
    assert set_target(world, "admin", world.province, 100).parent_path == ""


# --- The form ----------------------------------------------------------------------------------


def test_the_form_sets_the_target_and_returns_to_the_parents_targets(world, as_persona):
    client = as_persona("grassroots")
    url = reverse("target_edit", args=[world.cell_a.pk]) + f"?nam={YEAR}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Giao chỉ tiêu kết nạp đảng viên" in page.content.decode()
    answer = client.post(url, {"year": YEAR, "target": 4, "note": ""})
    assert answer.status_code == 302
    assert answer["Location"] == (
        reverse("report_targets", args=[world.grassroots1.pk]) + f"?nam={YEAR}"
    )
    assert AdmissionTarget.objects.get(org=world.cell_a, year=YEAR).target == 4


def test_the_form_shows_the_refusal_in_vietnamese(world, as_persona):
    client = as_persona("grassroots")
    url = reverse("target_edit", args=[world.cell_a.pk]) + f"?nam={YEAR}"
    answer = client.post(url, {"year": YEAR, "target": -3, "note": ""})
    assert answer.status_code == 200
    assert "Chỉ tiêu kết nạp không được là số âm." in answer.content.decode()
    assert not AdmissionTarget.objects.exists()


def test_the_form_is_absent_for_those_who_may_not_set_it(world, as_persona):
    url = reverse("target_edit", args=[world.grassroots1.pk]) + f"?nam={YEAR}"
    assert as_persona("grassroots").get(url).status_code == 404  # their own committee's
    assert as_persona("upper").get(url).status_code == 200


# --- The sources' pipeline ---------------------------------------------------------------------


def _candidate(world, org, source, **values) -> Candidate:
    defaults = {
        "full_name": "Quần chúng",
        "gender": "M",
        "date_of_birth": D(1998, 1, 1),
        "registered_on": D(YEAR, 1, 5),
    }
    defaults.update(values)
    return Candidate.objects.create(org=org, org_path=org.path, source=source, **defaults)


def _case(candidate, *, opened_on, closed_on=None, outcome=""):
    return Case.objects.create(
        kind=CaseKind.ADMISSION,
        candidate=candidate,
        org=candidate.org,
        org_path=candidate.org_path,
        opened_on=opened_on,
        state=CaseState.CLOSED if closed_on else CaseState.OPEN,
        closed_on=closed_on,
        outcome=outcome,
    )


def test_the_pipeline_counts_each_stage_by_source_rolled_up_the_subtree(world):
    youth, student = CandidateSource.YOUTH_UNION, CandidateSource.STUDENT
    fresh = D(YEAR, 1, 10)
    # Cell A: a youth union member in class, one who applied, one admitted this year.
    _candidate(world, world.cell_a, youth, class_certificate_date=fresh)
    applied = _candidate(world, world.cell_a, youth, class_certificate_date=fresh)
    _case(applied, opened_on=D(YEAR, 1, 20))
    admitted = _candidate(world, world.cell_a, youth, class_certificate_date=fresh)
    _case(admitted, opened_on=D(YEAR, 1, 20), closed_on=D(YEAR, 1, 25), outcome=Outcome.ADMITTED)
    # Cell B: a student whose certificate has expired, one without a certificate.
    _candidate(world, world.cell_b, student, class_certificate_date=D(YEAR - 6, 1, 1))
    _candidate(world, world.cell_b, student)
    # Not counted: admitted before the year; registered after it; another subtree.
    before = _candidate(world, world.cell_a, youth, registered_on=D(YEAR - 2, 1, 1))
    _case(before, opened_on=D(YEAR - 2, 2, 1), closed_on=D(YEAR - 1, 5, 1), outcome="admitted")
    _candidate(world, world.cell_a, youth, registered_on=D(YEAR + 1, 1, 1))
    _candidate(world, world.cell_c, youth, class_certificate_date=fresh)

    rows = {r.source: r for r in targets.pipeline(world.users["upper"], world.grassroots1, YEAR)}
    y, s = rows[youth], rows[student]
    assert (y.registered, y.certified, y.applied, y.admitted) == (3, 3, 2, 1)
    assert (s.registered, s.certified, s.applied, s.admitted) == (2, 0, 0, 0)
    assert all(r.registered == 0 for source, r in rows.items() if source not in (youth, student))
    total = targets.pipeline_total(list(rows.values()))
    assert (total.registered, total.certified, total.applied, total.admitted) == (5, 3, 2, 1)
    cell_b = {r.source: r for r in targets.pipeline(world.users["upper"], world.cell_b, YEAR)}
    assert cell_b[youth].registered == 0 and cell_b[student].registered == 2
    # The secretary of cell A sees only cell A's candidates, even asked about G1.
    own = {r.source: r for r in targets.pipeline(world.users["secretary"], world.grassroots1, YEAR)}
    assert own[youth].registered == 3 and own[student].registered == 0


def test_a_certificate_is_valid_for_five_years_to_the_day(world):
    end = targets.year_days(YEAR - 1)[1]  # a past year: its last day
    last_valid = targets._earliest_valid_certificate(end)
    assert targets.certificate_valid_until(last_valid) >= end
    assert targets.certificate_valid_until(last_valid - dt.timedelta(days=1)) < end
    _candidate(world, world.cell_a, "worker", class_certificate_date=last_valid,
               registered_on=D(YEAR - 1, 1, 1))  # fmt: skip
    _candidate(world, world.cell_a, "worker",
               class_certificate_date=last_valid - dt.timedelta(days=1),
               registered_on=D(YEAR - 1, 1, 1))  # fmt: skip
    rows = {r.source: r for r in targets.pipeline(world.users["admin"], world.cell_a, YEAR - 1)}
    assert (rows["worker"].registered, rows["worker"].certified) == (2, 1)


# --- Procedure figures of a period -------------------------------------------------------------


def _closed(world, kind, org, outcome, closed_on, *, member=None, other=None):
    return Case.objects.create(
        kind=kind,
        member=member or world.a1,
        org=org,
        org_path=org.path,
        other_org=other,
        other_org_path=other.path if other else "",
        opened_on=closed_on - dt.timedelta(days=30),
        state=CaseState.CLOSED,
        closed_on=closed_on,
        outcome=outcome,
    )


@pytest.fixture
def procedures_done(world):
    """Closed cases of 2026 around G1 (and one of 2025, one still open, one withdrawn)."""
    official, temporary = CaseKind.TRANSFER_OFFICIAL, CaseKind.TRANSFER_TEMPORARY
    done = Outcome.TRANSFERRED
    return {
        "admitted_a": _closed(world, CaseKind.ADMISSION, world.cell_a, "admitted", D(2026, 3, 1)),
        "admitted_b": _closed(world, CaseKind.ADMISSION, world.cell_b, "admitted", D(2026, 6, 1)),
        "admitted_c": _closed(world, CaseKind.ADMISSION, world.cell_c, "admitted", D(2026, 6, 1)),
        "admitted_old": _closed(world, CaseKind.ADMISSION, world.cell_a, "admitted", D(2025, 6, 1)),
        "not_admitted": _closed(
            world, CaseKind.ADMISSION, world.cell_a, Outcome.NOT_ADMITTED, D(2026, 6, 1)
        ),
        "recognised_a": _closed(
            world, CaseKind.RECOGNITION, world.cell_a, Outcome.RECOGNISED, D(2026, 4, 1)
        ),
        # A → C leaves G1; C → B comes into G1; A → B stays inside G1 (neither, for G1).
        "a_to_c": _closed(world, official, world.cell_a, done, D(2026, 5, 1), other=world.cell_c),
        "c_to_b": _closed(world, official, world.cell_c, done, D(2026, 5, 2), other=world.cell_b),
        "a_to_b": _closed(world, official, world.cell_a, done, D(2026, 5, 3), other=world.cell_b),
        # Out of the installation: no other end in the tree.
        "b_away": _closed(world, temporary, world.cell_b, done, D(2026, 7, 1)),
        "badge_b": _closed(world, CaseKind.BADGE, world.cell_b, Outcome.AWARDED, D(2026, 9, 2)),
        "badge_withdrawn": _closed(
            world, CaseKind.BADGE, world.cell_b, Outcome.WITHDRAWN, D(2026, 8, 2)
        ),
        "exempted_a": _closed(
            world, CaseKind.EXEMPTION, world.cell_a, Outcome.EXEMPTED, D(2026, 3, 15)
        ),
    }


def _figures(world, persona, org, start=FIRST, end=LAST):
    return {f.key: n for f, n in targets.case_figures(world.users[persona], org, start, end)}


def _listed(world, persona, key, org, start=FIRST, end=LAST):
    cases = targets.figure_cases(world.users[persona], key, org, start, end)
    return set(cases.values_list("pk", flat=True))


def test_the_figures_of_a_period_count_closed_cases_by_kind_outcome_and_side(
    world, procedures_done
):
    assert _figures(world, "province", world.grassroots1) == {
        "admitted": 2,
        "recognised": 1,
        "transferred_in": 1,
        "transferred_out": 1,
        "temporary_in": 0,
        "temporary_out": 1,
        "badges": 1,  # the withdrawn proposal is not an award
        "struck_off": 0,
        "expelled": 0,
        "discharged": 0,
        "deceased": 0,
        "exemptions": 1,
    }
    # The move between two cells of G1 is a transfer for each cell.
    assert _figures(world, "province", world.cell_a)["transferred_out"] == 2
    assert _figures(world, "province", world.cell_b)["transferred_in"] == 2
    # The whole tree: every admission of 2026; transfers inside the tree are neither in nor out.
    whole = _figures(world, "province", world.province)
    assert (whole["admitted"], whole["transferred_in"], whole["transferred_out"]) == (3, 0, 0)
    assert whole["temporary_out"] == 1
    # The period bounds both ends, included.
    assert _figures(world, "province", world.cell_a, D(2026, 3, 1), D(2026, 3, 1))["admitted"] == 1
    assert (
        _figures(world, "province", world.cell_a, D(2026, 3, 2), D(2026, 12, 31))["admitted"] == 0
    )


def test_each_figure_lists_exactly_the_cases_it_counts(world, procedures_done):
    c = procedures_done
    g1 = world.grassroots1
    assert _listed(world, "province", "admitted", g1) == {c["admitted_a"].pk, c["admitted_b"].pk}
    assert _listed(world, "province", "exemptions", g1) == {c["exempted_a"].pk}
    assert _listed(world, "province", "recognised", g1) == {c["recognised_a"].pk}
    assert _listed(world, "province", "transferred_in", g1) == {c["c_to_b"].pk}
    assert _listed(world, "province", "transferred_out", g1) == {c["a_to_c"].pk}
    assert _listed(world, "province", "temporary_out", g1) == {c["b_away"].pk}
    for org in (world.province, world.upper1, g1, world.cell_a, world.cell_b, world.cell_c):
        for key, n in _figures(world, "province", org).items():
            assert len(_listed(world, "province", key, org)) == n, (org.name, key)
    assert targets.figure_cases(world.users["province"], "nothing", g1, D(2026, 1, 1),
                                D(2026, 12, 31)) is None  # fmt: skip


def test_figures_count_only_the_cases_the_user_sees(world, procedures_done):
    # The secretary of cell A asked about G1 counts cell A's cases only.
    figures = _figures(world, "secretary", world.grassroots1)
    assert figures["admitted"] == 1
    assert _listed(world, "secretary", "admitted", world.grassroots1) == {
        procedures_done["admitted_a"].pk
    }


def test_the_drill_down_page_lists_the_cases(world, procedures_done, as_persona):
    url = reverse("org_cases", args=[world.grassroots1.pk])
    query = "?chi-so=transferred_out&tu=2026-01-01&den=2026-12-31"
    page = as_persona("grassroots").get(url + query)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Chuyển sinh hoạt chính thức đi từ 01/01/2026 đến 31/12/2026" in body
    assert reverse("case_detail", args=[procedures_done["a_to_c"].pk]) in body
    assert reverse("case_detail", args=[procedures_done["a_to_b"].pk]) not in body
    assert as_persona("grassroots").get(url + "?chi-so=unknown").status_code == 404
    assert as_persona("secretary").get(url + query).status_code == 404  # not their node
