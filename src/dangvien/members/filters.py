"""List filters of member records: one form for the HTML list, the API list and the export.

`filter_members(members, params)` narrows an already scoped queryset; a bad value is ignored (the
form shows the error), so a hand-written URL never breaks the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from dangvien.core.dates import years_before
from dangvien.members.models import (
    IN_PARTY,
    EducationLevel,
    Ethnicity,
    Gender,
    Member,
    Occupation,
    Religion,
    Status,
    TheoryLevel,
)
from dangvien.members.search import _digits_q, is_number_query, name_match_q

# Age bands of the party statistics (DOMAIN.md §10): (code, label, youngest, oldest).
AGE_BANDS: list[tuple[str, str, int, int | None]] = [
    ("18-30", "Từ 18 đến 30 tuổi", 18, 30),
    ("31-40", "Từ 31 đến 40 tuổi", 31, 40),
    ("41-50", "Từ 41 đến 50 tuổi", 41, 50),
    ("51-60", "Từ 51 đến 60 tuổi", 51, 60),
    ("61-70", "Từ 61 đến 70 tuổi", 61, 70),
    ("71+", "Trên 70 tuổi", 71, None),
]

STATUS_CHOICES = [
    ("", "Đang sinh hoạt"),
    ("all", "Tất cả"),
    *[(str(value), str(label)) for value, label in Status.choices],
]

SORTS = {
    "name": ("name_sort", "pk"),
    "admission": ("admission_date", "name_sort", "pk"),
    "-admission": ("-admission_date", "name_sort", "pk"),
    "birth": ("date_of_birth", "name_sort", "pk"),
}
SORT_CHOICES = [
    ("name", "Theo tên (thứ tự tiếng Việt)"),
    ("admission", "Ngày vào Đảng (sớm trước)"),
    ("-admission", "Ngày vào Đảng (muộn trước)"),
    ("birth", "Ngày sinh (lớn tuổi trước)"),
]


def _codes(model: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=model.objects.all(), to_field_name="code", required=False, empty_label="Tất cả"
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(label="Tìm đảng viên", required=False, max_length=100)
    status = forms.ChoiceField(label="Tình trạng", choices=STATUS_CHOICES, required=False)
    gender = forms.ChoiceField(
        label="Giới tính", choices=[("", "Tất cả"), *Gender.choices], required=False
    )
    age = forms.ChoiceField(
        label="Độ tuổi",
        choices=[("", "Tất cả"), *[(code, label) for code, label, _, _ in AGE_BANDS]],
        required=False,
    )
    ethnicity = _codes(Ethnicity)
    religion = _codes(Religion)
    education = _codes(EducationLevel)
    theory_level = _codes(TheoryLevel)
    occupation = _codes(Occupation)
    admission_year = forms.IntegerField(
        label="Năm vào Đảng",
        required=False,
        min_value=1930,
        max_value=2100,
        error_messages={
            "invalid": "Năm vào Đảng phải là một số, ví dụ 2015.",
            "min_value": "Năm vào Đảng không trước năm 1930.",
            "max_value": "Năm vào Đảng không hợp lệ.",
        },
    )
    sort = forms.ChoiceField(label="Sắp xếp", choices=SORT_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {
            "ethnicity": "Dân tộc",
            "religion": "Tôn giáo",
            "education": "Giáo dục phổ thông",
            "theory_level": "Lý luận chính trị",
            "occupation": "Nghề nghiệp",
        }
        for name, label in labels.items():
            self.fields[name].label = label


def export_filters(data: Mapping[str, str]) -> dict[str, str]:
    """The list filters present in `data` (a query string): the page number and blanks dropped
    (what a link to the export, or the export task, keeps)."""
    return {k: v for k in MemberFilterForm.base_fields if (v := (data.get(k) or "").strip())}


def _birth_range(band: str, on: dt.date) -> Q:
    for code, _, youngest, oldest in AGE_BANDS:
        if code == band:
            # Age a on `on` ⇔ born in (on − (a+1) years, on − a years].
            query = Q(date_of_birth__lte=years_before(on, youngest))
            if oldest is not None:
                query &= Q(date_of_birth__gt=years_before(on, oldest + 1))
            return query
    return Q()


def filter_members(
    members: QuerySet[Member], params: Mapping[str, str], *, on: dt.date | None = None
) -> QuerySet[Member]:
    """`members` narrowed by the list filters in `params` and ordered by `sort`.

    `q` here is an unranked word-start match on the name, or an exact card number / CCCD / phone
    (for ranked search use members.search.member_search).
    """

    form = MemberFilterForm(params)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    on = on or timezone.localdate()
    status = data.get("status") or ""
    if status == "all":
        pass
    elif status in Status.values:
        members = members.filter(status=status)
    else:
        members = members.filter(status__in=IN_PARTY)
    if data.get("gender"):
        members = members.filter(gender=data["gender"])
    if data.get("age"):
        members = members.filter(_birth_range(data["age"], on))
    for name in ("ethnicity", "religion", "education", "theory_level", "occupation"):
        if data.get(name) is not None:
            members = members.filter(**{name: data[name]})
    if data.get("admission_year"):
        year = data["admission_year"]
        members = members.filter(
            admission_date__gte=dt.date(year, 1, 1), admission_date__lt=dt.date(year + 1, 1, 1)
        )
    query = (data.get("q") or "").strip()
    if query:
        members = members.filter(
            _digits_q(query) if is_number_query(query) else name_match_q(query)
        )
    return members.order_by(*SORTS.get(data.get("sort") or "name", SORTS["name"]))
