"""Party card pages: an organization's issue queue by stage (rolled up by child organization,
acting on the chosen rows), the lookup by card number, and a member's cards (history and the
actions on them: request, register, hand out, report lost or damaged, withdraw, correct)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from dangvien.accounts.access import MANAGE, restrict
from dangvien.accounts.http import AuthenticatedRequest
from dangvien.members.models import Member
from dangvien.members.services import member_viewed
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to
from dangvien.orgs.views import reportable_org
from dangvien.procedures import cards
from dangvien.procedures.models import CARD_IN_PROGRESS, CardState, CardVoidReason, PartyCard
from dangvien.web.shortcuts import Page, render_page_or_partial

NAV = "procedures"


def _date(raw: str | None, what: str) -> dt.date:
    """A date field of a form (yyyy-mm-dd or dd/mm/yyyy; empty: today)."""
    raw = (raw or "").strip()
    if not raw:
        return timezone.localdate()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValidationError(f"Ngày {what} «{raw}» không hợp lệ (ngày/tháng/năm).")


def _stage(raw: str | None) -> tuple[str, str, str | None]:
    return next((s for s in cards.STAGES if s[0] == raw), cards.STAGES[0])


# --- The queue ---------------------------------------------------------------------------------


def card_queue(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    org = reportable_org(request, org_id)
    data = request.POST if request.method == "POST" else request.GET
    code, title, state = _stage(data.get("giai-doan"))
    if request.method == "POST":
        return _queue_act(request, org, code, state)
    if request.GET.get("chi-so"):
        return _figure(request, org)
    stages, children = cards.queue_counts(request.user, org)
    page: Page[Any] = Page.from_request(request)
    rows: list[Any]
    if state is None:
        rows = page.of(cards.queue_members(request.user, org).select_related("org"))
        acts = [(m, cards.may_decide(request.user, m)) for m in rows]
    else:
        rows = page.of(cards.queue_cards(request.user, org, state))
        may = cards.may_decide if state == CardState.REQUESTED else cards.may_propose
        acts = [(c, state != CardState.HANDED and may(request.user, c.member)) for c in rows]
    context: dict[str, Any] = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "stages": stages,
        "children": children,
        "stage": code,
        "stage_title": title,
        "state": state or "",
        "rows": acts,
        "may_act": any(may for _, may in acts),
        "today": timezone.localdate(),
        "query": urlencode({"giai-doan": code}),
        **page.context(),
        "nav": NAV,
    }
    return render_page_or_partial(
        request, "procedures/card_queue.html", "procedures/_card_queue.html", context
    )


def _figure(request: AuthenticatedRequest, org: Organization) -> HttpResponse:
    """The cards behind a report figure (`?chi-so=…&tu=…&den=…`), the period as the report's."""
    today = timezone.localdate()
    try:
        start = _date(request.GET.get("tu") or today.replace(month=1, day=1).isoformat(), "từ")
        end = _date(request.GET.get("den"), "đến")
    except ValidationError as error:
        raise Http404(" ".join(error.messages)) from error
    found = cards.figure_cards(request.user, org, request.GET["chi-so"], start, end)
    if found is None:
        raise Http404
    label, rows = found
    page: Page[Any] = Page.from_request(request)
    context: dict[str, Any] = {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "stage_title": f"{label} từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}",
        "state": "figure",
        "rows": [(card, False) for card in page.of(rows)],
        "may_act": False,
        **page.context(),
        "nav": NAV,
    }
    return render(request, "procedures/card_figure.html", context)


def _chosen_ids(request: AuthenticatedRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("chon") if v.isdigit()]


def _queue_act(
    request: AuthenticatedRequest, org: Organization, code: str, state: str | None
) -> HttpResponse:
    """The chosen rows of the stage, each one the user sees in the subtree and may act on."""
    back = redirect(f"{reverse('card_queue', args=[org.pk])}?{urlencode({'giai-doan': code})}")
    try:
        on = _date(request.POST.get("ngay"), "ghi")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    ids = _chosen_ids(request)
    if state is None:
        chosen = list(cards.queue_members(request.user, org).filter(pk__in=ids))
        if not chosen:
            messages.error(request, "Xin chọn ít nhất một đảng viên trong danh sách.")
            return back
        if not all(cards.may_decide(request.user, m) for m in chosen):
            raise PermissionDenied(
                "Đồng chí không có quyền đề nghị cấp thẻ cho một số người đã chọn."
            )
        done, refused = cards.cards_request(
            acting_user=request.user,
            members=chosen,
            on=on,
            reference=request.POST.get("so-van-ban", ""),
        )
        _report(request, done, "Đã đề nghị cấp thẻ cho {} đảng viên.", refused)
        return back
    if state == CardState.HANDED:
        raise PermissionDenied("Thẻ đã trao không có việc gì để ghi ở danh sách này.")
    found = list(cards.queue_cards(request.user, org, state).filter(pk__in=ids))
    if state == CardState.REQUESTED:
        # Registering: only the rows given a number count as chosen.
        numbered = {c.pk: request.POST.get(f"so-{c.pk}", "").strip() for c in found}
        found = [c for c in found if numbered[c.pk]]
    if not found:
        messages.error(
            request,
            "Xin chọn ít nhất một thẻ trong danh sách"
            + (" và nhập số thẻ." if state == CardState.REQUESTED else "."),
        )
        return back
    may = cards.may_decide if state == CardState.REQUESTED else cards.may_propose
    if not all(may(request.user, c.member) for c in found):
        raise PermissionDenied("Đồng chí không có quyền ghi cho một số thẻ đã chọn.")
    done, refused = 0, []
    for card in found:
        try:
            if state == CardState.REQUESTED:
                cards.card_register(
                    acting_user=request.user, card=card, on=on, number=numbered[card.pk]
                )
            else:
                cards.card_hand(
                    acting_user=request.user, card=card, on=on, note=request.POST.get("ghi-chu", "")
                )
            done += 1
        except ValidationError as error:
            refused.append(f"{card.member.full_name}: {' '.join(error.messages)}")
    template = (
        "Đã ghi số thẻ cho {} đảng viên."
        if state == CardState.REQUESTED
        else ("Đã ghi trao thẻ cho {} đảng viên.")
    )
    _report(request, done, template, refused)
    return back


def _report(request: AuthenticatedRequest, done: int, template: str, refused: list[str]) -> None:
    if done:
        messages.success(request, template.format(done))
    for reason in refused:
        messages.error(request, reason)


# --- Lookup --------------------------------------------------------------------------------------


def card_lookup(request: AuthenticatedRequest) -> HttpResponse:
    """The card with exactly this number among the members the user sees; opening it is a view
    of the member's data, logged as the record page logs it."""
    number = (request.GET.get("so") or "").strip()
    card = cards.card_lookup(request.user, number) if number else None
    if card is not None:
        member_viewed(acting_user=request.user, member=card.member)
    return render(
        request,
        "procedures/card_lookup.html",
        {"number": number, "card": card, "nav": NAV},
    )


# --- A member's cards ----------------------------------------------------------------------------


def member_cards(request: AuthenticatedRequest, member_id: int) -> HttpResponse:
    # Those who keep the record (the member sees their own card in the handbook).
    member = restrict(Member.objects.all(), request.user, MANAGE).filter(pk=member_id).first()
    if member is None:
        raise Http404
    if request.method == "POST":
        return _member_act(request, member)
    history = cards.card_history(request.user, member)
    current = next((c for c in history if c.state in (*CARD_IN_PROGRESS, CardState.HANDED)), None)
    decide = cards.may_decide(request.user, member)
    context = {
        "member": member,
        "history": history,
        "current": current,
        "may_decide": decide,
        "may_propose": cards.may_propose(request.user, member),
        "may_request": decide and current is None and member.status in cards.OFFICIAL,
        "void_reasons": CardVoidReason.choices,
        "today": timezone.localdate(),
        "nav": NAV,
    }
    return render(request, "procedures/card_member.html", context)


def _member_act(request: AuthenticatedRequest, member: Member) -> HttpResponse:
    back = redirect("member_cards", member.pk)
    action = request.POST.get("viec", "")
    card: PartyCard | None = None
    if request.POST.get("the", "").isdigit():
        card = PartyCard.objects.filter(pk=int(request.POST["the"]), member=member).first()
        if card is None:
            raise Http404
    committee = action in ("request", "register", "withdraw", "correct", "reissue")
    may = cards.may_decide if committee else cards.may_propose
    if action not in ("request", "register", "hand", "void", "reissue", "withdraw", "correct"):
        raise Http404
    if not may(request.user, member):
        raise PermissionDenied(
            "Việc này do cấp ủy cấp trên cơ sở ghi."
            if committee
            else "Đồng chí không có quyền ghi việc này."
        )
    post = request.POST
    try:
        on = _date(post.get("ngay"), "ghi")
        if action == "request":
            cards.card_request(
                acting_user=request.user, member=member, on=on, reference=post.get("so-van-ban", "")
            )
            messages.success(request, "Đã ghi đề nghị cấp thẻ đảng viên.")
        elif action == "withdraw":
            done = cards.card_withdraw(
                acting_user=request.user, member=member, on=on, reason=post.get("ly-do", "")
            )
            if done is None:
                raise ValidationError("Đảng viên này không có thẻ đang dùng hay đang cấp.")
            messages.success(request, f"Đã ghi thu hồi thẻ số {done.number or '(chưa có số)'}.")
        else:
            if card is None:
                raise Http404
            if action == "register":
                issued = _date(post.get("ngay-cap"), "cấp thẻ") if post.get("ngay-cap") else None
                cards.card_register(
                    acting_user=request.user,
                    card=card,
                    on=on,
                    issued_on=issued,
                    number=post.get("so-the", ""),
                    reference=post.get("so-van-ban", ""),
                )
                messages.success(request, "Đã ghi số thẻ.")
            elif action == "hand":
                cards.card_hand(
                    acting_user=request.user, card=card, on=on, note=post.get("ghi-chu", "")
                )
                messages.success(request, "Đã ghi trao thẻ cho đảng viên.")
            elif action == "void":
                cards.card_void(
                    acting_user=request.user,
                    card=card,
                    on=on,
                    reason=post.get("ly-do", ""),
                    note=post.get("ghi-chu", ""),
                )
                messages.success(request, "Đã ghi hủy thẻ.")
            elif action == "reissue":
                cards.card_reissue(
                    acting_user=request.user,
                    card=card,
                    on=on,
                    reason=post.get("ly-do", ""),
                    note=post.get("ghi-chu", ""),
                )
                messages.success(request, "Đã ghi hủy thẻ cũ và đề nghị cấp lại thẻ mới.")
            else:
                issued = _date(post.get("ngay-cap"), "cấp thẻ") if post.get("ngay-cap") else None
                cards.card_correct(
                    acting_user=request.user,
                    card=card,
                    issued_on=issued,
                    number=post.get("so-the", ""),
                )
                messages.success(request, "Đã sửa số thẻ ghi sai.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return back
