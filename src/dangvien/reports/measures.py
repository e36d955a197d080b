"""What a report counts: each figure is a named filter, so the number and the list behind it are
the same query (counted in the report, listed when the user follows the number).

Member figures are filters over the members in the party in a subtree on a day, annotated with
`status_on` (their status that day). Ages and party ages are measured on the report's day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Subquery

from dangvien.core.dates import years_before
from dangvien.members.models import Ethnicity, Gender, Member, Status

KINH = "01"  # QĐ 121-TCTK/PPCĐ: the majority group; every other code is an ethnic minority


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    q: Q


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    measures: tuple[Measure, ...]


def _band(field: str, day: dt.date, low: int, high: int | None) -> Q:
    """`field` (a date) lies `low` to `high` full years before `day` (inclusive both ends)."""
    q = Q(**{f"{field}__lte": years_before(day, low)})
    if high is not None:
        q &= Q(**{f"{field}__gt": years_before(day, high + 1)})
    return q


AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 30),
    (31, 40),
    (41, 50),
    (51, 60),
    (61, 70),
    (71, None),
)
PARTY_AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 9),
    (10, 19),
    (20, 29),
    (30, 39),
    (40, 49),
    (50, 59),
    (60, None),
)


def _band_label(low: int, high: int | None, unit: str) -> str:
    if low == 0 and high is not None:
        return f"Đến {high} {unit}"
    if high is None:
        return f"Từ {low} {unit} trở lên"
    return f"Từ {low} đến {high} {unit}"


def member_groups(day: dt.date) -> tuple[Group, ...]:
    """The breakdowns of a members report on `day`."""
    official = Q(status_on__in=[Status.OFFICIAL, Status.EXEMPTED])
    return (
        Group(
            "total",
            "Tổng số",
            (
                Measure("members", "Tổng số đảng viên", Q()),
                Measure("official", "Đảng viên chính thức", official),
                Measure("probationary", "Đảng viên dự bị", Q(status_on=Status.PROBATIONARY)),
                Measure("exempted", "Trong đó miễn sinh hoạt", Q(status_on=Status.EXEMPTED)),
            ),
        ),
        Group(
            "gender",
            "Giới tính",
            (
                Measure("male", "Nam", Q(gender=Gender.MALE)),
                Measure("female", "Nữ", Q(gender=Gender.FEMALE)),
            ),
        ),
        Group(
            "age",
            "Độ tuổi",
            tuple(
                Measure(
                    f"age_{low}",
                    _band_label(low, high, "tuổi"),
                    _band("date_of_birth", day, low, high),
                )
                for low, high in AGE_BANDS
            ),
        ),
        Group(
            "ethnicity",
            "Dân tộc, tôn giáo",
            (
                Measure(
                    "minority",
                    "Dân tộc thiểu số",
                    # On the id, not the code: no join to the list for each member counted.
                    Q(ethnicity__isnull=False)
                    & ~Q(ethnicity_id=Subquery(Ethnicity.objects.filter(code=KINH).values("pk"))),
                ),
                Measure("religious", "Có đạo (theo tôn giáo)", Q(religion__isnull=False)),
            ),
        ),
        Group(
            "party_age",
            "Tuổi đảng",
            tuple(
                Measure(
                    f"party_age_{low}",
                    _band_label(low, high, "năm"),
                    # From the admission, or from the later day time out moved it to.
                    (Q(party_age_from__isnull=True) & _band("admission_date", day, low, high))
                    | _band("party_age_from", day, low, high),
                )
                for low, high in PARTY_AGE_BANDS
            ),
        ),
        *(_reference_group(field, key, title) for field, key, title in REFERENCE_GROUPS),
    )


# The dossier's reference lists a report breaks members down by: (field, group key, title).
REFERENCE_GROUPS = (
    ("education", "education", "Trình độ giáo dục phổ thông"),
    ("professional_level", "professional", "Trình độ chuyên môn"),
    ("theory_level", "theory", "Lý luận chính trị"),
    ("occupation", "occupation", "Nghề nghiệp"),
)


def _reference_group(field: str, key: str, title: str) -> Group:
    model: Any = Member._meta.get_field(field).related_model
    measures = [
        Measure(f"{key}_{code}", name, Q(**{f"{field}_id": pk}))
        for pk, code, name in model.objects.order_by("order", "pk").values_list(
            "pk", "code", "name"
        )
    ]
    measures.append(
        Measure(f"{key}__unknown", "Chưa có thông tin", Q(**{f"{field}_id__isnull": True}))
    )
    return Group(key, title, tuple(measures))


def member_measure(day: dt.date, key: str) -> Measure | None:
    for group in member_groups(day):
        for measure in group.measures:
            if measure.key == key:
                return measure
    return None
