"""Handbook pages: the reader's feed and posts, and for committees writing and read figures.

A post outside what the user reads or manages answers 404, like one that does not exist.
"""

from __future__ import annotations

import datetime as dt
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.handbook import selectors, services
from dangvien.handbook.engagement import (
    children_ranked,
    engagement_of,
    most_opened_documents,
    notice_rates,
)
from dangvien.handbook.files import private_file
from dangvien.handbook.forms import PostForm
from dangvien.handbook.models import Bookmark, Post, PostFile
from dangvien.orgs.selectors import org_roots_for
from dangvien.web.shortcuts import Page


def _visible_post(request: AuthenticatedRequest, post_id: int) -> Post:
    post = selectors.posts_visible_to(request.user).filter(pk=post_id).first()
    if post is None:
        raise Http404
    return post


def feed(request: AuthenticatedRequest) -> HttpResponse:
    services.visit_record(user=request.user, session=request.session)
    page: Page[Post] = Page.from_request(request)
    listing = selectors.feed_page(request.user, offset=page.offset, limit=page.fetch)
    page.take(listing.posts)
    writable = selectors.may_publish_somewhere(request.user)
    managed = []
    if writable:
        managed = [
            o for o in org_roots_for(request.user) if selectors.may_publish_for(request.user, o)
        ][:5]
    return render(
        request,
        "handbook/feed.html",
        {
            "posts": page.rows,
            "feed_version": listing.version,
            **page.context(),
            "writable": writable,
            "managed": managed,
            "mine": selectors.my_cell(request.user),
            "keep_offline": json.dumps(_keep_offline(request, listing.posts[:OFFLINE_POSTS])),
            "corrections": selectors.corrections_for(request.user)
            .filter(resolved_at__isnull=True)
            .count(),
            "nav": "handbook",
        },
    )


OFFLINE_POSTS = 20


def _keep_offline(request: AuthenticatedRequest, posts: list[Post]) -> list[str]:
    """What the feed asks the service worker to keep: recent posts, saved documents and files."""
    user = request.user
    saved = list(
        Bookmark.objects.filter(user=user).values_list("document_id", flat=True)[:OFFLINE_POSTS]
    )
    urls = _addresses("handbook_post", [post.pk for post in posts])
    for document, file in zip(
        _addresses("handbook_document", saved),
        _addresses("handbook_document_file", saved),
        strict=True,
    ):
        urls += [document, file]
    return urls


def _addresses(name: str, ids: list[int]) -> list[str]:
    """reverse(name, args=[id]) for each id, the route reversed once (twenty reversals cost
    more than the rest of the list)."""
    slot = 987654321987
    pattern = reverse(name, args=[slot])
    return [pattern.replace(str(slot), str(pk)) for pk in ids]


def post_detail(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    post = _visible_post(request, post_id)
    services.visit_record(user=request.user, session=request.session)
    reading = services.post_read(user=request.user, post=post)
    manages = selectors.may_publish_for(request.user, post.org)
    files = list(post.files.all())
    return render(
        request,
        "handbook/post.html",
        {
            "post": post,
            "reading": reading,
            "manages": manages,
            "images": [f for f in files if f.is_image],
            "attachments": [f for f in files if not f.is_image],
            "nav": "handbook",
        },
    )


def post_file(request: AuthenticatedRequest, post_id: int, file_id: int) -> FileResponse:
    """An image of a post (shown in the page) or an attached file (downloaded), for those who may
    open the post."""
    post = _visible_post(request, post_id)
    found = post.files.filter(pk=file_id).first()
    if found is None:
        raise Http404
    return private_file(
        found.file,
        name=found.file_name,
        content_type=found.content_type,
        as_attachment=found.kind == PostFile.Kind.ATTACHMENT,
    )


@require_POST
def post_acknowledge(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    post = _visible_post(request, post_id)
    try:
        services.notice_acknowledge(user=request.user, post=post)
        messages.success(request, "Đã ghi nhận: đồng chí đã đọc thông báo này.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("handbook_post", post.pk)


def post_reads(request: AuthenticatedRequest, post_id: int) -> HttpResponse:
    """Who has read a post, per cell reached: for the committee that issued it."""
    post = _visible_post(request, post_id)
    if not selectors.may_publish_for(request.user, post.org):
        raise Http404
    rows = selectors.notice_reads(post, request.user)
    totals = {
        "members": sum(r.members for r in rows),
        "read": sum(r.read for r in rows),
        "acknowledged": sum(r.acknowledged for r in rows),
    }
    return render(
        request,
        "handbook/reads.html",
        {"post": post, "rows": rows, "totals": totals, "nav": "handbook"},
    )


def write_home(request: AuthenticatedRequest) -> HttpResponse:
    """Choose the committee to write for; a single one opens at once."""
    orgs = [
        o
        for o in org_roots_for(request.user)
        if selectors.may_publish_for(request.user, o) and o.dissolved_on is None
    ]
    target = "handbook_document_publish" if request.GET.get("van-ban") else "handbook_write"
    if len(orgs) == 1:
        return redirect(target, orgs[0].pk)
    return render(
        request, "handbook/write_home.html", {"orgs": orgs, "target": target, "nav": "handbook"}
    )


def write(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = selectors.orgs_user_may_publish_for(request.user).filter(pk=org_id).first()
    if org is None:
        raise Http404
    form = PostForm(request.POST or None, request.FILES or None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_publish(
                acting_user=request.user,
                org=org,
                kind=data["kind"],
                title=data["title"],
                body=data["body"],
                pinned=data["pinned"],
                publish_at=data["publish_at"],
                targets=list(data["targets"]),
                images=form.image_uploads(),
                attachments=form.attachment_uploads(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Đã đăng «{post.title}».")
            return redirect("handbook_post", post.pk)
    children = org.children.filter(dissolved_on__isnull=True).order_by("name")
    return render(
        request,
        "handbook/write.html",
        {
            "org": org,
            "form": form,
            "children": children,
            # Sent back with an error, the page has lost the files chosen (browsers drop them).
            "reselect": bool(request.FILES),
            "nav": "handbook",
        },
    )


def engagement(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """How the subtree uses the handbook in a month, its children ranked weakest first."""
    org = selectors.orgs_user_may_publish_for(request.user).filter(pk=org_id).first()
    if org is None:
        raise Http404
    month = _month(request.GET.get("thang", ""))
    return render(
        request,
        "handbook/engagement.html",
        {
            "org": org,
            "month": month,
            "month_value": f"{month:%Y-%m}",
            "total": engagement_of(org, month),
            "children": children_ranked(org, month),
            "notices": notice_rates(org, month),
            "documents": most_opened_documents(org, month),
            "nav": "handbook",
        },
    )


def _month(raw: str) -> dt.date:
    try:
        year, month = (int(part) for part in raw.split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


@require_POST
def correction_create(request: AuthenticatedRequest) -> HttpResponse:
    """A member asks for a correction of their own record."""
    if selectors.my_cell(request.user) is None:
        raise Http404
    try:
        services.correction_request(user=request.user, text=request.POST.get("text", ""))
        messages.success(request, "Đã gửi đề nghị sửa hồ sơ tới chi bộ.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("handbook_feed")


def corrections(request: AuthenticatedRequest) -> HttpResponse:
    rows = list(selectors.corrections_for(request.user)[:200])
    return render(request, "handbook/corrections.html", {"rows": rows, "nav": "handbook"})


@require_POST
def correction_done(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    found = selectors.corrections_for(request.user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    services.correction_resolve(acting_user=request.user, request=found)
    messages.success(request, f"Đã ghi nhận xử lý đề nghị của {found.member.full_name}.")
    return redirect("handbook_corrections")
