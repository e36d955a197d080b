"""A member's record: the dossier, and its audit trail to those who may see it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dangvien.accounts.access import SEE_TRAIL, allowed
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.core.audit import audit_trail
from dangvien.members.selectors import members_visible_to, party_age_on, with_dossier
from dangvien.members.services import member_viewed
from dangvien.members.views.trail import trail_rows
from dangvien.orgs.selectors import orgs_visible_to
from dangvien.web.shortcuts import get_visible_or_404

TRAIL_LIMIT = 50


def member_detail(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    member = get_visible_or_404(with_dossier(members_visible_to(request.user)), member_id)
    member_viewed(acting_user=request.user, member=member)
    context: dict[str, Any] = {
        "member": member,
        "org_visible": member.org_id is not None
        and orgs_visible_to(request.user).filter(pk=member.org_id).exists(),
        "show_trail": allowed(request.user, SEE_TRAIL, member),
        "party_age": party_age_on(member, timezone.localdate()),
    }
    if context["show_trail"]:
        events = list(audit_trail(member)[: TRAIL_LIMIT + 1])
        context["trail"] = trail_rows(request.user, events[:TRAIL_LIMIT])
        context["trail_truncated"] = len(events) > TRAIL_LIMIT
        context["trail_limit"] = TRAIL_LIMIT
    return render(request, "members/record.html", context)
