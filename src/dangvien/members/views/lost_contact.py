"""The periods in which a member lost contact with the organization, recorded by those who manage
the record once contact is restored: party age does not count them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.models import LostContact
from dangvien.members.selectors import party_age_on
from dangvien.members.services import member_lost_contact_record, member_lost_contact_remove
from dangvien.members.views.edit import DATE_FORMATS, managed_member


class LostContactForm(forms.Form):
    start = forms.DateField(
        label="Mất liên lạc từ ngày",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="Liên lạc lại từ ngày",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Ngày đảng viên liên lạc lại với chi bộ (không tính vào thời gian mất liên lạc).",
    )
    note = forms.CharField(label="Ghi chú (căn cứ, lý do)", max_length=300, required=False)


def member_lost_contact(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = managed_member(request, member_id)
    form = LostContactForm(request.POST or None)
    if request.method == "POST" and "xoa" in request.POST:
        lost = get_object_or_404(LostContact, pk=request.POST["xoa"], member=member)
        member_lost_contact_remove(acting_user=request.user, lost=lost)
        messages.success(request, f"Đã xóa thời gian mất liên lạc {lost}.")
        return redirect("member_lost_contact", member.pk)
    if request.method == "POST" and form.is_valid():
        try:
            lost = member_lost_contact_record(
                acting_user=request.user,
                member=member,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                today=timezone.localdate(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(request, f"Đã ghi thời gian mất liên lạc {lost}.")
            return redirect("member_lost_contact", member.pk)
    context: dict[str, Any] = {
        "member": member,
        "periods": list(member.lost_contacts.all()),
        "party_age": party_age_on(member, timezone.localdate()),
        "form": form,
        "nav": "tree",
    }
    return render(request, "members/lost_contact.html", context)
