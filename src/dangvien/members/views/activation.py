"""The activation code of a member's account: the secretary issues it, shown large with a QR code.

The member then opens the account on the activation page (accounts/activation_views.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache

from dangvien.accounts.activation import activation_issue
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.views.edit import managed_member
from dangvien.web.shortcuts import login_required


@login_required
@never_cache
def issue(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    """GET: what will happen; POST: a new code, shown large with a QR code to print or scan."""
    member = managed_member(request, member_id)
    context: dict[str, Any] = {"member": member}
    if request.method == "POST":
        try:
            code = activation_issue(acting_user=request.user, member=member)
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
        else:
            import segno

            link = request.build_absolute_uri(
                reverse("activation") + "?" + urlencode({"so": member.citizen_id or "", "ma": code})
            )
            context.update(code=code, qr=segno.make(link, error="m").svg_inline(scale=5))
    return render(request, "members/activation_issue.html", context)
