"""Forms of the procedure pages. A candidate's personal data uses the member record's model
fields and date inputs; the record's validators run in the service (`person_problems`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from dangvien.members.models import Member
from dangvien.members.views.edit import DATE_FORMATS
from dangvien.orgs.models import Organization
from dangvien.procedures.flows import FORM_CODES, StepSpec
from dangvien.procedures.models import Candidate, CaseKind
from dangvien.procedures.services import CANDIDATE_FIELDS


def _date_inputs(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.input_formats = DATE_FORMATS
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = list(CANDIDATE_FIELDS)

    def __init__(
        self,
        *args: Any,
        cells: list[Organization] | None = None,
        helpers: QuerySet[Member] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        if helpers is not None:
            self.fields["helpers"] = forms.ModelMultipleChoiceField(
                queryset=helpers.order_by("name_sort"),
                required=False,
                label="Đảng viên được phân công giúp đỡ",
                widget=forms.CheckboxSelectMultiple,
                initial=list(self.instance.helpers.all()) if self.instance.pk else None,
            )
        if cells is not None:
            self.fields["cell"] = forms.ModelChoiceField(
                queryset=Organization.objects.filter(pk__in=[c.pk for c in cells]),
                label="Chi bộ",
                initial=cells[0].pk if len(cells) == 1 else None,
            )
            self.order_fields(["cell"])
        if not self.instance.pk:
            self.fields["registered_on"].initial = timezone.localdate()
        _date_inputs(self)


class OpenCaseForm(forms.Form):
    opened_on = forms.DateField(label="Ngày nhận đơn xin vào Đảng")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["opened_on"].initial = timezone.localdate()
        _date_inputs(self)


class DocumentForm(forms.Form):
    form_code = forms.ChoiceField(label="Mẫu")
    title = forms.CharField(label="Tên tài liệu (nếu khác tên mẫu)", required=False, max_length=200)
    upload = forms.FileField(label="Bản quét (PDF, JPEG, PNG) hoặc tệp Word")

    def __init__(self, *args: Any, kind: str = CaseKind.ADMISSION, **kwargs: Any):
        super().__init__(*args, **kwargs)
        code_field = self.fields["form_code"]
        assert isinstance(code_field, forms.ChoiceField)
        code_field.choices = [
            (code, f"{code} · {title}") for code, title in FORM_CODES.get(kind, ())
        ]


class IntroducerForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    known_since = forms.DateField(
        label="Cùng công tác, học tập, sinh sống với người vào Đảng từ ngày"
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _date_inputs(self)


class StepForm(forms.Form):
    """The fields of one step: its date, and what the step's spec asks for."""

    on = forms.DateField(label="Ngày")
    reference = forms.CharField(label="Số, ký hiệu văn bản", required=False, max_length=60)
    received_on = forms.DateField(label="Ngày chi bộ nhận quyết định", required=False)
    present = forms.IntegerField(label="Số đảng viên chính thức có mặt", min_value=0)
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0)
    votes_against = forms.IntegerField(label="Số không tán thành", min_value=0)
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    late_reason = forms.CharField(
        label="Lý do chậm (nếu quá hạn)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, spec: StepSpec, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.spec = spec
        if not spec.vote:
            for name in ("present", "votes_for", "votes_against"):
                del self.fields[name]
        if spec.kind != "decision":
            del self.fields["received_on"]
        if spec.deadline is None:
            del self.fields["late_reason"]
        self.fields["on"].initial = timezone.localdate()
        _date_inputs(self)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["reference"] = data.get("reference") or ""
        data["note"] = data.get("note") or ""
        data["late_reason"] = data.get("late_reason") or ""
        return {k: v for k, v in data.items() if v is not None or k == "received_on"}


def today() -> dt.date:
    return timezone.localdate()
