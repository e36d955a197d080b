"""Forms of the transfer pages. The rules (reason, durations, deadlines) are judged by the
services; the forms only read the values."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from dangvien.members.models import Gender
from dangvien.orgs.models import Organization
from dangvien.procedures.forms import _date_inputs
from dangvien.procedures.models import CaseKind, TransferReason
from dangvien.procedures.rules.transfer import OFFICIAL_REASONS

KIND_CHOICES = [
    (CaseKind.TRANSFER_OFFICIAL.value, CaseKind.TRANSFER_OFFICIAL.label),
    (CaseKind.TRANSFER_TEMPORARY.value, CaseKind.TRANSFER_TEMPORARY.label),
]


class TransferOpenForm(forms.Form):
    kind = forms.ChoiceField(label="Hình thức", choices=KIND_CHOICES, widget=forms.RadioSelect)
    reason = forms.ChoiceField(label="Lý do", choices=TransferReason.choices)
    event_on = forms.DateField(
        label="Ngày phát sinh (quyết định có hiệu lực, nghỉ hưu, chuyển nơi ở, cử đi học)"
    )
    starts_on = forms.DateField(label="Sinh hoạt tạm thời từ ngày", required=False)
    ends_on = forms.DateField(label="Đến ngày (ngày trở về)", required=False)
    other_org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    outside_name = forms.CharField(
        label="Hoặc: tổ chức đảng nơi đến ngoài Đảng bộ", required=False, max_length=250
    )
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = CaseKind.TRANSFER_OFFICIAL
        self.fields["event_on"].initial = timezone.localdate()
        _date_inputs(self)


class TransferArrivalForm(forms.Form):
    """A member arriving from outside the installation, with the dates of their record."""

    full_name = forms.CharField(label="Họ và tên", max_length=120)
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    date_of_birth = forms.DateField(label="Ngày sinh")
    citizen_id = forms.CharField(label="Số CCCD", max_length=12, required=False)
    admission_date = forms.DateField(label="Ngày vào Đảng")
    recognition_date = forms.DateField(
        label="Ngày chính thức (để trống nếu còn dự bị)", required=False
    )
    origin = forms.CharField(label="Tổ chức đảng nơi chuyển đi", max_length=250)
    reason = forms.ChoiceField(
        label="Lý do",
        choices=[(r.value, r.label) for r in TransferReason if r.value in OFFICIAL_REASONS],
    )
    letter_on = forms.DateField(label="Ngày của giấy giới thiệu sinh hoạt đảng")
    reference = forms.CharField(label="Số giấy giới thiệu", max_length=60, required=False)
    received_on = forms.DateField(label="Ngày tiếp nhận")
    late_reason = forms.CharField(
        label="Lý do chậm (nếu quá 30 ngày làm việc)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, cells: list[Organization], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["cell"] = forms.ModelChoiceField(
            queryset=Organization.objects.filter(pk__in=[c.pk for c in cells]),
            label="Chi bộ tiếp nhận",
            initial=cells[0].pk if len(cells) == 1 else None,
        )
        self.order_fields(["cell"])
        self.fields["received_on"].initial = timezone.localdate()
        _date_inputs(self)

    def person(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("full_name", "gender", "date_of_birth", "citizen_id")}
