"""Forms of leaving the Party: opening a case, and the screening list's decisions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from dangvien.procedures.exits import EXIT_KINDS
from dangvien.procedures.forms import _date_inputs
from dangvien.procedures.models import CaseKind, ExitReason, ScreeningDecision

KIND_CHOICES = [(kind.value, kind.label) for kind in EXIT_KINDS]


class ExitOpenForm(forms.Form):
    kind = forms.ChoiceField(label="Thủ tục", choices=KIND_CHOICES)
    opened_on = forms.DateField(label="Ngày mở hồ sơ (ngày báo cáo, với đảng viên từ trần)")
    reason = forms.ChoiceField(
        label="Trường hợp xóa tên (theo Điều lệ Đảng và quy định thi hành)",
        choices=[("", "—"), *ExitReason.choices],
        required=False,
    )
    detail = forms.CharField(
        label="Nội dung, lý do cụ thể",
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    authority = forms.CharField(
        label="Cơ quan có thẩm quyền quyết định kỷ luật (khai trừ)", required=False, max_length=200
    )
    died_on = forms.DateField(label="Ngày từ trần", required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate()
        _date_inputs(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == CaseKind.STRIKE_OFF and not data.get("reason"):
            self.add_error("reason", "Xin chọn trường hợp xóa tên.")
        if kind == CaseKind.EXPULSION and not (data.get("authority") or "").strip():
            self.add_error("authority", "Xin ghi cơ quan có thẩm quyền quyết định kỷ luật.")
        if kind == CaseKind.DEATH and not data.get("died_on"):
            self.add_error("died_on", "Xin ghi ngày từ trần.")
        return data


class ScreeningAddForm(forms.Form):
    member = forms.TypedChoiceField(label="Đảng viên", coerce=int)
    reason = forms.ChoiceField(label="Trường hợp", choices=ExitReason.choices)
    raised_on = forms.DateField(label="Ngày phát hiện")
    note = forms.CharField(
        label="Nội dung", required=False, max_length=400, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        member_field = self.fields["member"]
        assert isinstance(member_field, forms.TypedChoiceField)
        member_field.choices = [("", "—"), *members]
        self.fields["raised_on"].initial = timezone.localdate()
        _date_inputs(self)


class ScreeningDecideForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="Quyết định của chi bộ", choices=[("", "—"), *ScreeningDecision.choices]
    )
    decided_on = forms.DateField(label="Ngày quyết định")
    note = forms.CharField(label="Ghi chú", required=False, max_length=400)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        _date_inputs(self)
