"""The edit page of a member record: the form over the editable fields, blocking errors next
to their fields, warnings to confirm, and a clear page when someone else saved first."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from dangvien.accounts.access import MANAGE, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.editing import EDITABLE, RecordProblems, VersionConflict, member_update
from dangvien.members.models import Member
from dangvien.members.selectors import members_visible_to
from dangvien.web.shortcuts import get_visible_or_404

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
SECTIONS = [
    ("Sơ yếu", ["full_name", "birth_name", "other_names", "gender", "date_of_birth", "citizen_id",
                "phone", "ethnicity", "religion", "birthplace", "hometown", "residence_address",
                "current_address"]),
    ("Trình độ", ["education", "professional_level", "professional_field", "academic_title",
                  "theory_level", "foreign_languages", "it_skills", "occupation"]),
    ("Vào Đảng", ["admission_date", "admission_ceremony_date", "admission_org_name",
                  "introducer_1", "introducer_2", "recognition_date", "recognition_org_name",
                  "record_number"]),
]  # fmt: skip


class MemberForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        required=False, label="Tôi đã kiểm tra và xác nhận các cảnh báo trên là đúng"
    )

    class Meta:
        model = Member
        fields = [f for f in EDITABLE if f in {x.name for x in Member._meta.fields}]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.input_formats = DATE_FORMATS
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def validate_unique(self) -> None:
        """Duplicates are found by the record rules, with the rest of the problems."""


def managed_member(request: AuthenticatedRequest, member_id: int) -> Member:
    """The record for a page that acts on it: 404 out of scope, 403 when the user sees the
    record (the member themself) but does not manage it."""
    member = get_visible_or_404(members_visible_to(request.user), member_id)
    if not allowed(request.user, MANAGE, member):
        raise PermissionDenied("Đồng chí không có quyền thay đổi hồ sơ này.")
    return member


def _sections(form: MemberForm) -> list[tuple[str, list[Any]]]:
    return [(title, [form[n] for n in names if n in form.fields]) for title, names in SECTIONS]


def member_edit(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = managed_member(request, member_id)
    context: dict[str, Any] = {"member": member}
    if request.method == "POST":
        form = MemberForm(request.POST, instance=Member.objects.get(pk=member.pk))
        if form.is_valid():
            values = {
                name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE
            }
            try:
                member_update(
                    acting_user=request.user,
                    member=member,
                    values=values,
                    expected_version=form.cleaned_data["version"],
                    confirm_warnings=form.cleaned_data["confirm"],
                )
            except VersionConflict as conflict:
                context["conflict"] = conflict.changes
                # The form keeps what the user typed; saving again, knowingly, replaces the
                # newer values.
                data = request.POST.copy()
                data["version"] = str(conflict.version)
                form = MemberForm(data, instance=Member.objects.get(pk=member.pk))
                form.is_valid()
            except RecordProblems as refused:
                for problem in refused.problems:
                    if problem.blocking:
                        form.add_error(problem.field or None, problem.message)
                context["warnings"] = [p for p in refused.problems if not p.blocking]
            else:
                messages.success(request, "Đã lưu hồ sơ.")
                return redirect("member_detail", member.pk)
    else:
        form = MemberForm(instance=member, initial={"version": member.version})
    context.update(form=form, sections=_sections(form), nav="tree")
    return render(request, "members/edit.html", context)
