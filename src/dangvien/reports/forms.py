"""The report's parameters: a day, or a period, read from the address."""

from __future__ import annotations

import datetime as dt

from django import forms

from dangvien.reports.selectors import today

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
EARLIEST = dt.date(1930, 2, 3)  # the Party's founding day: nothing to count before it


def _check_day(day: dt.date, label: str) -> None:
    if day < EARLIEST:
        raise forms.ValidationError(f"{label} phải từ ngày 03/02/1930 trở đi.")
    if day > today():
        raise forms.ValidationError(f"{label} không được sau hôm nay ({today():%d/%m/%Y}).")


class DayForm(forms.Form):
    ngay = forms.DateField(label="Tính đến ngày", required=False, input_formats=DATE_INPUTS)

    def clean_ngay(self) -> dt.date:
        day = self.cleaned_data.get("ngay") or today()
        _check_day(day, "Ngày báo cáo")
        return day


class PeriodForm(forms.Form):
    tu = forms.DateField(label="Từ ngày", required=False, input_formats=DATE_INPUTS)
    den = forms.DateField(label="Đến ngày", required=False, input_formats=DATE_INPUTS)

    def clean(self) -> dict:
        data = super().clean() or {}
        end = data.get("den") or today()
        start = data.get("tu") or end.replace(month=1, day=1)
        if "tu" in self.errors or "den" in self.errors:
            return data
        _check_day(start, "Ngày bắt đầu")
        _check_day(end, "Ngày kết thúc")
        if start > end:
            raise forms.ValidationError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
        data["tu"], data["den"] = start, end
        return data
