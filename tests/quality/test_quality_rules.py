"""Every data-quality rule against DOMAIN.md and the statute: a clean record breaks none, each
broken record breaks its rule, and the cases beside each rule (a grace period, a rule not yet in
force, two different people) do not."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

import pytest
from tests.conftest import make_member, make_org

from dangvien.core.dates import add_working_days, is_working_day
from dangvien.members.models import Gender, Member, Membership, Status
from dangvien.members.rules.cccd import century_sex_digit
from dangvien.members.services import member_set_status
from dangvien.members.validation import member_problems
from dangvien.quality import checks
from dangvien.quality.catalogue import BY_CODE, RULES
from dangvien.quality.models import Severity

TODAY = dt.date(2026, 11, 24)
BORN = dt.date(1980, 5, 17)
_serial = itertools.count(100001)
_card = itertools.count(10000001)


def a_cccd(born: dt.date = BORN, gender: str = Gender.MALE) -> str:
    return f"001{century_sex_digit(born, gender)}{born.year % 100:02d}{next(_serial)}"


def clean(cell: Any, name: str = "Nguyễn Văn An", **raw: Any) -> Member:
    """A complete, consistent official member; `raw` then written straight to the table (the
    services refuse most broken records, imports and old data do not)."""
    born = raw.pop("born", BORN)
    gender = raw.pop("gender_for_cccd", Gender.MALE)
    member = make_member(
        name,
        cell,
        gender=gender,
        date_of_birth=born,
        citizen_id=a_cccd(born, gender),
        party_card_number=str(next(_card)),
        admission_date=dt.date(2010, 3, 2),
        recognition_date=dt.date(2011, 3, 2),
        status=Status.OFFICIAL,
    )
    if raw:
        Member.objects.filter(pk=member.pk).update(**raw)
        member.refresh_from_db()
    return member


def findings(path: str | None = None, today: dt.date = TODAY) -> dict[int, set[str]]:
    scope = checks.Scope(path=path, today=today)
    found: dict[int, set[str]] = defaultdict(set)
    for finding in itertools.chain(
        checks.sql_findings(scope),
        checks.record_findings(scope),
        checks.duplicate_findings(scope),
        checks.identifier_findings(scope),
    ):
        assert finding.rule not in found[finding.member_id], "one finding per member and rule"
        found[finding.member_id].add(finding.rule)
    return found


@pytest.fixture
def cell(db):
    province = make_org("Đảng bộ Thành phố", "province", None)
    upper = make_org("Đảng bộ quận Ba Đình", "upper", province)
    grassroots = make_org("Đảng bộ phường Kim Mã", "grassroots_committee", upper, "ward")
    return make_org("Chi bộ 1", "cell", grassroots)


def test_a_clean_record_breaks_no_rule(cell):
    member = clean(cell)
    assert findings()[member.pk] == set()


# (rule, what is wrong with the record) — each must break exactly the rule named (and maybe
# others it implies); the negative cases below show the edges.
BROKEN: list[tuple[str, dict[str, Any]]] = [
    ("missing_full_name", {"full_name": ""}),
    ("missing_gender", {"gender": ""}),
    ("missing_cccd", {"citizen_id": None}),
    ("missing_admission_date", {"admission_date": None}),
    ("missing_recognition_date", {"recognition_date": None}),
    ("missing_card_number", {"party_card_number": None}),
    ("birth_future", {"date_of_birth": dt.date(2027, 1, 1)}),
    ("birth_implausible", {"date_of_birth": dt.date(1900, 1, 1)}),
    ("admission_future", {"admission_date": dt.date(2027, 1, 1)}),
    ("admission_before_birth", {"admission_date": dt.date(1979, 1, 1)}),
    ("admission_age", {"date_of_birth": dt.date(1995, 1, 1), "admission_date": dt.date(2012, 3, 2),
                       "recognition_date": dt.date(2013, 3, 2)}),
    ("recognition_future", {"recognition_date": dt.date(2027, 3, 2)}),
    ("recognition_before_admission", {"recognition_date": dt.date(2010, 1, 1)}),
    ("probation_length", {"admission_date": dt.date(2020, 3, 2),
                          "recognition_date": dt.date(2020, 9, 2)}),
    ("ceremony_before_admission", {"admission_ceremony_date": dt.date(2010, 3, 1)}),
    ("card_before_recognition", {"party_card_issued_date": dt.date(2011, 1, 1)}),
    ("date_future", {"party_card_issued_date": dt.date(2027, 1, 1)}),
    ("cccd_length", {"citizen_id": "00108012345"}),
    ("cccd_province", {"citizen_id": "003080123456"}),
    ("cccd_century_sex", {"citizen_id": "001180123456"}),
    ("cccd_year", {"citizen_id": "001081123456"}),
    ("card_format", {"party_card_number": "1234567"}),
    ("record_number_format", {"record_number": "12345HN"}),
    ("probationary_recognised", {"status": Status.PROBATIONARY}),
    ("status_history_mismatch", {"status": Status.PROBATIONARY, "recognition_date": None,
                                 "admission_date": dt.date(2026, 6, 1)}),
    ("exempt_without_decision", {"status": Status.EXEMPTED}),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "raw"), BROKEN, ids=[rule for rule, _ in BROKEN])
def test_a_broken_record_breaks_its_rule(cell, rule, raw):
    member = clean(cell, **raw)
    assert rule in findings()[member.pk]


def test_admitted_at_seventeen_is_judged_by_the_statute_in_force_since_2011(cell):
    young = clean(cell, admission_date=dt.date(1997, 6, 1), recognition_date=dt.date(1998, 6, 1))
    recent = clean(
        cell,
        "Trần Văn Bình",
        born=dt.date(1995, 1, 10),
        admission_date=dt.date(2012, 6, 1),
        recognition_date=dt.date(2013, 6, 1),
    )
    found = findings()
    assert "admission_age" not in found[young.pk]  # 1997: not judged by the 2011 statute
    assert "admission_age" in found[recent.pk]


def test_probation_length_is_judged_only_for_admissions_under_the_current_rules(cell):
    old = clean(cell, admission_date=dt.date(2000, 3, 2), recognition_date=dt.date(2000, 9, 2))
    assert "probation_length" not in findings()[old.pk]


def test_a_card_is_not_missing_in_the_three_months_after_recognition(cell):
    recent = clean(
        cell,
        party_card_number=None,
        admission_date=dt.date(2025, 10, 1),
        recognition_date=dt.date(2026, 10, 1),
    )
    probationary = clean(
        cell,
        "Trần Văn Bình",
        party_card_number=None,
        status=Status.PROBATIONARY,
        admission_date=dt.date(2026, 6, 1),
        recognition_date=None,
    )
    Member.objects.filter(pk=probationary.pk).update(status=Status.PROBATIONARY)
    found = findings()
    assert "missing_card_number" not in found[recent.pk]
    assert "missing_card_number" not in found[probationary.pk]
    assert "missing_recognition_date" not in found[probationary.pk]


def test_a_member_over_a_hundred_is_possible(cell):
    elder = clean(cell, date_of_birth=dt.date(1910, 1, 1), citizen_id=None)
    assert "birth_implausible" not in findings()[elder.pk]


def test_ceremony_and_card_on_ordinary_days_are_fine(cell):
    member = clean(
        cell,
        admission_ceremony_date=dt.date(2010, 3, 20),
        party_card_issued_date=dt.date(2011, 4, 1),
    )
    found = findings()[member.pk]
    assert not {"ceremony_before_admission", "card_before_recognition", "date_future"} & found


# --- Probation: 12 months, then 30 working days for the cell to consider recognition ------------


@pytest.mark.django_db  # days off entered by the administrator are read too
def test_working_days_skip_weekends_and_tet():
    # Friday 13/02/2026; Tết 2026: 16–20/02 (Monday to Friday) are days off.
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    assert not is_working_day(dt.date(2026, 2, 17))
    assert not is_working_day(dt.date(2026, 9, 2))  # National Day
    assert add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # over a weekend


def test_the_overdue_cutoff_is_the_last_admission_whose_deadline_has_passed():
    cutoff = checks.probation_cutoff(TODAY)
    assert (
        checks.probation_due(cutoff) < TODAY <= checks.probation_due(cutoff + dt.timedelta(days=1))
    )


def test_probation_overdue_only_after_twelve_months_and_thirty_working_days(cell):
    def probationary(name: str, admitted: dt.date) -> Member:
        member = make_member(name, cell, status=Status.PROBATIONARY, admission_date=admitted)
        return member

    late = probationary("Trần Văn Bình", dt.date(2025, 9, 1))  # due mid-October 2026
    in_time = probationary("Lê Văn Cường", dt.date(2025, 11, 1))  # due mid-December 2026
    found = findings()
    assert "probation_overdue" in found[late.pk]
    assert "probation_overdue" not in found[in_time.pk]
    recognised = member_set_status(
        acting_user=None, member=late, status=Status.OFFICIAL, on=dt.date(2026, 9, 1)
    )
    assert "probation_overdue" not in findings()[recognised.pk]


# --- Exemption: the cell's decision is the open "exempted" status period -----------------------


def test_an_exemption_recorded_with_its_resolution_breaks_no_rule(cell):
    member = clean(cell)
    member_set_status(
        acting_user=None,
        member=member,
        status=Status.EXEMPTED,
        on=dt.date(2025, 5, 1),
        note="Nghị quyết số 12-NQ/CB ngày 28/04/2025 của chi bộ",
    )
    assert findings()[member.pk] == set()


def test_an_exemption_without_its_resolution_is_a_warning(cell):
    member = clean(cell)
    member_set_status(
        acting_user=None, member=member, status=Status.EXEMPTED, on=dt.date(2025, 5, 1)
    )
    found = findings()[member.pk]
    assert found == {"exempt_decision_unreferenced"}
    assert BY_CODE["exempt_decision_unreferenced"].severity == Severity.WARNING


def test_an_exempt_status_with_no_exemption_in_the_history_is_an_error(cell):
    member = clean(cell, status=Status.EXEMPTED)
    found = findings()[member.pk]
    assert "exempt_without_decision" in found
    assert "status_history_mismatch" not in found  # said once, by the specific rule


# --- Histories against the record ---------------------------------------------------------------


def test_status_and_membership_history_agree_with_a_record_made_by_the_services(cell):
    member = clean(cell)
    member_set_status(acting_user=None, member=member, status=Status.DECEASED, on=TODAY)
    assert member.pk not in findings()  # closed records are not checked


def test_a_member_with_no_open_membership_in_their_cell_is_flagged(cell):
    member = clean(cell)
    Membership.objects.filter(member=member).update(valid_to=dt.date(2020, 1, 1))
    assert "membership_mismatch" in findings()[member.pk]


# --- Cell ---------------------------------------------------------------------------------------


def test_members_in_no_cell_a_dissolved_cell_or_a_committee_are_flagged(cell):
    nowhere = clean(cell, "Trần Văn Bình", org=None, org_path="")
    dissolved_cell = make_org("Chi bộ 2", "cell", cell.parent)
    in_dissolved = clean(dissolved_cell, "Lê Văn Cường")
    type(cell).objects.filter(pk=dissolved_cell.pk).update(dissolved_on=dt.date(2026, 1, 1))
    in_committee = clean(cell, "Phạm Văn Dũng", org=cell.parent)
    fine = clean(cell, "Hoàng Văn Em")
    found = findings()
    assert "no_cell" in found[nowhere.pk]
    assert "no_cell" in found[in_dissolved.pk]
    assert "no_cell" in found[in_committee.pk]
    assert "no_cell" not in found[fine.pk]
    # A member in no cell has no place in any subtree: only a check of every record finds them.
    assert nowhere.pk not in findings(path=cell.parent.parent.path)


# --- Probable duplicates --------------------------------------------------------------------------


def test_same_folded_name_and_birth_date_is_a_probable_duplicate(cell):
    first = clean(cell, "Nguyễn Văn Hùng")
    second = clean(cell, "Nguyen Van Hung", citizen_id=None)  # the same person typed again
    other_day = clean(cell, "Nguyễn Văn Hùng", date_of_birth=dt.date(1981, 5, 17), citizen_id=None)
    found = findings()
    assert "duplicate_name_birth" in found[first.pk]
    assert "duplicate_name_birth" in found[second.pk]
    assert "duplicate_name_birth" not in found[other_day.pk]


def test_two_records_with_two_different_cccd_are_two_people(cell):
    first = clean(cell, "Nguyễn Thị Hương", gender_for_cccd=Gender.FEMALE)
    second = clean(cell, "Nguyễn Thị Hương", gender_for_cccd=Gender.FEMALE)
    found = findings()
    assert "duplicate_name_birth" not in found[first.pk]
    assert "duplicate_name_birth" not in found[second.pk]


@pytest.mark.parametrize(
    ("name", "other", "near"),
    [
        ("Nguyễn Hùng", "Nguyễn Văn Hùng", True),  # middle name missing
        ("Nguyễn Văn Hùng", "Nguyễn Mạnh Hùng", True),  # one middle name different
        ("Nguyễn Thị Thu Hương", "Nguyễn Thị Hương", True),
        ("Nguyễn Văn Hùng", "Trần Văn Hùng", False),  # another family: another person
        ("Nguyễn Văn Hùng", "Nguyễn Văn Hưởng", False),  # another given name
        ("Nguyễn Văn Hùng", "Nguyễn Hưởng", False),
    ],
)
def test_near_matches_differ_by_one_middle_name(cell, name, other, near):
    a = clean(cell, name, citizen_id=None)
    b = clean(cell, other, citizen_id=None)
    found = findings()
    assert ("duplicate_near" in found[a.pk]) is near
    assert ("duplicate_near" in found[b.pk]) is near
    assert "duplicate_name_birth" not in found[a.pk]


def test_a_subtree_is_compared_with_every_record_of_the_country(cell):
    elsewhere = make_org("Chi bộ Tây Hồ", "cell", make_org("Đảng bộ khác", "grassroots_cell", None))
    here = clean(cell, "Nguyễn Văn Hùng", citizen_id=None)
    there = clean(elsewhere, "Nguyễn Văn Hùng", citizen_id=None)
    found = findings(path=cell.path)
    assert found[here.pk] == {"missing_cccd", "duplicate_name_birth"}
    assert there.pk not in found  # outside the checked subtree: not reported by this run


def test_an_identifier_written_without_its_leading_zeros_matches_the_other_record(cell):
    kept = clean(cell, "Nguyễn Văn An")
    typed = clean(cell, "Nguyễn Văn Ân", citizen_id=kept.citizen_id.lstrip("0"))
    card = clean(cell, "Lê Văn Cường", party_card_number="01234567")
    card_typed = clean(cell, "Lê Văn Cương", party_card_number="1234567")
    unrelated = clean(cell, "Phạm Văn Dũng", party_card_number="7654321")
    found = findings()
    assert {"cccd_length", "duplicate_identifier"} <= found[typed.pk]
    assert "duplicate_identifier" in found[kept.pk]
    assert "duplicate_identifier" in found[card_typed.pk]
    assert "duplicate_identifier" in found[card.pk]
    assert found[unrelated.pk] == {"card_format"}


# --- The catalogue ------------------------------------------------------------------------------


def test_every_rule_of_the_catalogue_is_tested_broken_here():
    tested = {rule for rule, _raw in BROKEN} | {
        "missing_recognition_date",
        "membership_mismatch",
        "no_cell",
        "probation_overdue",
        "exempt_decision_unreferenced",
        "duplicate_name_birth",
        "duplicate_near",
        "duplicate_identifier",
    }
    assert tested == {rule.code for rule in RULES}


def test_the_record_forms_rules_keep_their_code_and_severity_in_the_catalogue(cell):
    """Every problem member_problems reports on a BROKEN record is a catalogue rule, an error
    exactly when the form blocks it."""
    for _rule, raw in BROKEN:
        values = {
            "date_of_birth": BORN,
            "gender": Gender.MALE,
            "admission_date": dt.date(2010, 3, 2),
            "recognition_date": dt.date(2011, 3, 2),
            **{k: v for k, v in raw.items() if k in checks._RECORD_FIELDS},
        }
        for problem in member_problems(values, check_unique=False, today=TODAY):
            assert problem.rule in BY_CODE, problem.rule
            assert BY_CODE[problem.rule].is_error is problem.blocking, problem.rule


def test_every_rule_is_named_and_explained_in_vietnamese():
    for rule in RULES:
        assert rule.title and rule.explanation and rule.regulation, rule.code
        assert rule.severity in Severity.values
        assert any(ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ" for ch in
                   rule.explanation.lower()), rule.code  # fmt: skip


def test_every_rule_is_explained_in_the_user_guide():
    from pathlib import Path

    guide = (Path(__file__).parents[2] / "docs" / "huong-dan-su-dung.md").read_text()
    for rule in RULES:
        kind = "Lỗi" if rule.is_error else "Cảnh báo"
        assert f"| {kind} | {rule.title} |" in guide, rule.code
