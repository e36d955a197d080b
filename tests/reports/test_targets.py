"""Admission targets against the admissions of the year, rolled up the tree, checked against
numbers counted by hand; the same with the kept events; the targets page, the procedure figures
on the report summary, and the targets API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import make_member

from dangvien.members.models import Status
from dangvien.procedures.models import AdmissionTarget
from dangvien.reports import selectors, stored
from dangvien.reports.targets import admission_rows, target_report

YEAR = timezone.localdate().year
D = dt.date


def _target(org, parent, target: int, year: int = YEAR) -> None:
    AdmissionTarget.objects.create(
        org=org, org_path=org.path, parent_path=parent.path, year=year, target=target
    )


@pytest.fixture
def admitted(world):
    """Admitted this year: two in cell A, one in cell B, one in cell C; one in A last year.
    Targets: A 3, B 0 (set by G1), G1 5 (set by U1), U2 7 (by the province)."""
    day = D(YEAR, 1, 2)
    probationary = {"status": Status.PROBATIONARY}
    make_member("Kết nạp A1", world.cell_a, admission_date=day, **probationary)
    make_member("Kết nạp A2", world.cell_a, admission_date=day, **probationary)
    make_member("Kết nạp B1", world.cell_b, admission_date=day, **probationary)
    make_member("Kết nạp C1", world.cell_c, admission_date=day, **probationary)
    make_member("Kết nạp A cũ", world.cell_a, admission_date=D(YEAR - 1, 12, 31))
    _target(world.cell_a, world.grassroots1, 3)
    _target(world.cell_b, world.grassroots1, 0)
    _target(world.grassroots1, world.upper1, 5)
    _target(world.upper2, world.province, 7)
    _target(world.cell_a, world.grassroots1, 9, year=YEAR - 1)  # another year: not read


def _figures(report):
    def row(r):
        return (r.org.name, r.target, r.achieved, r.remaining, r.children_target)

    return row(report.node), [row(r) for r in report.children]


def _hand_counted(world):
    g1 = target_report(world.grassroots1, [world.cell_a, world.cell_b], YEAR, set())
    assert _figures(g1) == (
        ("Đảng bộ phường Kim Mã", 5, 3, 2, 3),
        [("Chi bộ 1", 3, 2, 1, None), ("Chi bộ 2", 0, 1, 0, None)],  # never negative
    )
    assert g1.children_achieved == 3
    assert [r.done for r in g1.children] == [False, True]
    province = target_report(world.province, [world.upper1, world.upper2], YEAR, set())
    assert _figures(province) == (
        ("Đảng bộ Thành phố", None, 4, None, 7),
        [("Đảng bộ quận Ba Đình", None, 3, None, 5), ("Đảng bộ quận Tây Hồ", 7, 1, 6, None)],
    )
    last_year = target_report(world.cell_a, [], YEAR - 1, set())
    assert _figures(last_year) == (("Chi bộ 1", 9, 1, 8, None), [])


def test_targets_against_admissions_counted_by_hand(world, admitted):
    _hand_counted(world)


def test_the_same_from_the_kept_events(world, admitted):
    stored.rebuild()
    assert stored.events_current()
    _hand_counted(world)


def test_achieved_is_the_reports_own_admissions_figure(world, admitted):
    start, end = D(YEAR, 1, 1), D(YEAR, 12, 31)
    for org in (world.province, world.upper1, world.grassroots1, world.cell_a, world.cell_c):
        report = target_report(org, [], YEAR, set())
        assert report.node.achieved == selectors.change_figures(org, start, end)["admitted"]
        assert report.node.achieved == len({m for m, _d, _p in admission_rows(org, start, end)})


def test_an_admission_counts_where_the_member_was_that_day(world, admitted):
    """Moved to cell C after the admission: still A's (and G1's) admission of the year."""
    from dangvien.members.models import Membership

    member = Membership.objects.filter(member__full_name="Kết nạp A1").get()
    moved = D(YEAR, 1, 3)
    Membership.objects.filter(pk=member.pk).update(valid_to=moved)
    Membership.objects.create(member_id=member.member_id, org=world.cell_c, valid_from=moved)
    g1 = target_report(world.grassroots1, [world.cell_a, world.cell_b], YEAR, set())
    assert (g1.node.achieved, [r.achieved for r in g1.children]) == (3, [2, 1])
    assert target_report(world.cell_c, [], YEAR, set()).node.achieved == 1


# --- Pages ---------------------------------------------------------------------------------------


def test_the_targets_page_shows_the_children_and_who_may_set_what(world, admitted, as_persona):
    url = reverse("report_targets", args=[world.grassroots1.pk]) + f"?nam={YEAR}"
    edit_a = reverse("target_edit", args=[world.cell_a.pk]) + f"?nam={YEAR}"
    edit_g1 = reverse("target_edit", args=[world.grassroots1.pk]) + f"?nam={YEAR}"
    body = as_persona("grassroots").get(url).content.decode()
    assert f"Chỉ tiêu kết nạp đảng viên năm {YEAR}" in body
    assert "Chi bộ 1" in body and "Chi bộ 2" in body
    assert edit_a in body and edit_g1 not in body  # G1's own target is set from above
    assert "Nguồn phát triển đảng viên" in body
    assert reverse("org_cases", args=[world.grassroots1.pk]) + "?chi-so=admitted" in body
    upper = as_persona("upper").get(url).content.decode()
    assert edit_g1 in upper
    assert as_persona("secretary").get(url).status_code == 404
    partial = as_persona("grassroots").get(url, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "Theo tổ chức trực thuộc" in partial.content.decode()


def test_the_report_summary_has_the_procedure_figures(world, as_persona):
    body = as_persona("grassroots").get(reverse("report_summary", args=[world.grassroots1.pk]))
    text = body.content.decode()
    assert "Thủ tục" in text
    assert reverse("org_cases", args=[world.grassroots1.pk]) + "?chi-so=admitted" in text
    assert "Chuyển sinh hoạt chính thức đến" in text


# --- API -----------------------------------------------------------------------------------------


def test_the_api_gives_the_same_figures(world, admitted, as_persona):
    answer = as_persona("upper").get(
        f"/api/v1/procedures/targets?org={world.grassroots1.pk}&year={YEAR}"
    )
    assert answer.status_code == 200
    data = answer.json()
    assert data["year"] == YEAR
    assert data["node"] == {
        "org": world.grassroots1.pk,
        "name": "Đảng bộ phường Kim Mã",
        "target": 5,
        "achieved": 3,
        "remaining": 2,
        "children_target": 3,
    }
    assert [(c["name"], c["target"], c["achieved"], c["remaining"]) for c in data["children"]] == [
        ("Chi bộ 1", 3, 2, 1),
        ("Chi bộ 2", 0, 1, 0),
    ]
    assert {row["source"] for row in data["pipeline"]} >= {"youth_union", "student"}


def test_the_api_is_scoped_and_checks_the_year(world, as_persona):
    out_of_scope = as_persona("other_upper").get(
        f"/api/v1/procedures/targets?org={world.grassroots1.pk}"
    )
    assert out_of_scope.status_code == 404
    too_far = as_persona("upper").get(
        f"/api/v1/procedures/targets?org={world.grassroots1.pk}&year={YEAR + 20}"
    )
    assert too_far.status_code == 422
    assert "year" in too_far.json()["detail"]


def test_the_api_is_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/procedures/targets" in schema["paths"]


def test_the_pace_of_a_target_through_the_year():
    from dangvien.procedures.targets import expected_by

    assert expected_by(4, D(2026, 1, 1)) == 0
    assert expected_by(4, D(2026, 7, 1)) == 1  # day 182 of 365: 4 × 182 / 365 = 1,99…
    assert expected_by(4, D(2026, 7, 2)) == 2
    assert expected_by(4, D(2026, 12, 30)) == 3
    assert expected_by(4, D(2026, 12, 31)) == 4
    assert expected_by(366, D(2028, 2, 29)) == 60  # a leap year counts 366 days
    assert expected_by(0, D(2026, 12, 31)) == 0


def test_targets_behind_their_pace_are_on_the_to_do_list(world, admitted):
    from dangvien.reports.targets import targets_behind

    on = D(YEAR, 12, 1)
    upper = world.users["upper"]  # of Ba Đình: its own target is unset, G1 under it has 5
    lines = targets_behind(upper, [world.upper1], on)
    assert [(x.org, x.subject) for x in lines] == [("Đảng bộ phường Kim Mã", "Còn 2 đảng viên")]
    assert lines[0].what.startswith(f"Chỉ tiêu kết nạp năm {YEAR} chậm tiến độ: đã kết nạp 3/5")
    assert lines[0].deadline == D(YEAR, 12, 31)
    assert lines[0].url.endswith(f"/chi-tieu-ket-nap/?nam={YEAR}")
    # Grassroots staff: their own target (3 of 5); cell A's 2 of 3 is on pace on 1/12 (3 × 335
    # / 365 = 2,75), behind on 31/12; B's 0 is met.
    grassroots = world.users["grassroots"]
    assert [x.org for x in targets_behind(grassroots, [world.grassroots1], on)] == [
        "Đảng bộ phường Kim Mã"
    ]
    last_day = targets_behind(grassroots, [world.grassroots1], D(YEAR, 12, 31))
    assert sorted(x.org for x in last_day) == ["Chi bộ 1", "Đảng bộ phường Kim Mã"]
    # Early in the year the same figures are on pace; and a node without targets costs nothing.
    assert targets_behind(upper, [world.upper1], D(YEAR, 3, 1)) == []
    assert targets_behind(world.users["secretary"], [world.cell_c], on) == []


def test_the_home_page_shows_a_target_behind(world, admitted, as_persona):
    page = as_persona("grassroots").get(reverse("home")).content.decode()
    assert "Chỉ tiêu kết nạp năm" not in page or "Chi bộ 1" in page
    # 10.000 for the grassroots organization: behind its pace on any day of the year.
    AdmissionTarget.objects.filter(org=world.grassroots1, year=YEAR).update(target=10_000)
    page = as_persona("grassroots").get(reverse("home")).content.decode()
    assert f"Chỉ tiêu kết nạp năm {YEAR} chậm tiến độ: đã kết nạp 3/10000" in page
    assert "Còn 9997 đảng viên" in page
