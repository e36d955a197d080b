"""The member's photo, served only to those who see the member."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.selectors import members_visible_to
from dangvien.web.shortcuts import get_visible_or_404

# Shown when the record has no photo yet (or its file is missing): a neutral silhouette.
_NO_PHOTO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 400" role="img" '
    'aria-label="Chưa có ảnh"><rect width="300" height="400" fill="#eceff1"/>'
    '<circle cx="150" cy="150" r="70" fill="#b0bec5"/>'
    '<path d="M40 400c0-80 50-140 110-140s110 60 110 140z" fill="#b0bec5"/></svg>'
)


@require_GET
def member_photo(request: AuthenticatedRequest, member_id: int) -> HttpResponseBase:
    member = get_visible_or_404(
        members_visible_to(request.user).select_related(None).only("pk", "photo"), member_id
    )
    headers = {
        # Personal data: never kept by shared caches; the browser may keep it briefly.
        "Cache-Control": "private, max-age=300",
        "X-Content-Type-Options": "nosniff",
    }
    if member.photo:
        try:
            handle = member.photo.storage.open(member.photo.name, "rb")
        except FileNotFoundError:
            pass
        else:
            response = FileResponse(handle, content_type="image/jpeg")
            for name, value in headers.items():
                response[name] = value
            return response
    return HttpResponse(_NO_PHOTO, content_type="image/svg+xml", headers=headers)
