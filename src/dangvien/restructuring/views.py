"""The restructuring pages: choose the operation, fill its form, see the preview, confirm.

Every page answers 404 to anyone who may not restructure the node (`may_restructure`), whether it
exists or not. The preview is a POST that writes nothing; the confirmation carries the same fields
back with `xac-nhan`, and only then does the service run.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.orgs.models import Organization
from dangvien.orgs.selectors import org_ancestors_visible_to, org_visible
from dangvien.restructuring.forms import (
    DissolveForm,
    MergeForm,
    MoveForm,
    OperationForm,
    SplitForm,
)
from dangvien.restructuring.selectors import may_restructure, split_choices

CONFIRM = "xac-nhan"
EDIT = "sua-lai"

# url name → (form, title, what the success message says)
OPERATIONS: dict[str, tuple[type[OperationForm], str, str]] = {
    "restructuring_move": (MoveForm, "Chuyển tổ chức", "Đã chuyển «{org}»."),
    "restructuring_merge": (MergeForm, "Hợp nhất tổ chức", "Đã hợp nhất «{org}» vào «{result}»."),
    "restructuring_split": (SplitForm, "Chia tách tổ chức", "Đã chia tách «{org}»."),
    "restructuring_dissolve": (DissolveForm, "Giải thể tổ chức", "Đã giải thể «{org}»."),
}


def restructurable_org(request: AuthenticatedRequest, org_id: int) -> Organization:
    """A node the user may restructure; for anyone else it does not exist (404)."""
    org = org_visible(request.user, org_id)
    if org is None or not may_restructure(request.user, org):
        raise Http404
    return org


def _context(request: AuthenticatedRequest, org: Organization, **extra: Any) -> dict[str, Any]:
    return {
        "org": org,
        "ancestors": org_ancestors_visible_to(request.user, org),
        "nav": "tree",
        **extra,
    }


def restructuring_home(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    """The four operations on a node, with what each does."""
    org = restructurable_org(request, org_id)
    children, members = split_choices(org)
    context = _context(request, org, children=len(children), members=len(members))
    return render(request, "restructuring/home.html", context)


def _operation(request: AuthenticatedRequest, org_id: int, url_name: str) -> HttpResponse:
    org = restructurable_org(request, org_id)
    form_class, title, done = OPERATIONS[url_name]
    context = _context(request, org, title=title, url_name=url_name)
    if org.dissolved_on is not None:
        return render(request, "restructuring/form.html", context)
    if request.method != "POST":
        form = form_class(org=org, user=request.user)
        return render(request, "restructuring/form.html", {**context, "form": form})
    form = form_class(request.POST, org=org, user=request.user)
    if form.is_valid() and EDIT not in request.POST:
        try:
            preview = form.preview()
            if CONFIRM in request.POST:
                name = org.name
                result = form.apply(acting_user=request.user)
                messages.success(request, done.format(org=name, result=result.name))
                return redirect("org_members", result.pk)
        except ValidationError as refused:
            # Nothing was written (one transaction): the form says why, as the service put it.
            for message in refused.messages:
                form.add_error(None, message)
        else:
            return render(
                request, "restructuring/preview.html", {**context, "form": form, "preview": preview}
            )
    return render(request, "restructuring/form.html", {**context, "form": form})


def restructuring_move(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    return _operation(request, org_id, "restructuring_move")


def restructuring_merge(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    return _operation(request, org_id, "restructuring_merge")


def restructuring_split(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    return _operation(request, org_id, "restructuring_split")


def restructuring_dissolve(request: AuthenticatedRequest, org_id: int) -> HttpResponse:
    return _operation(request, org_id, "restructuring_dissolve")
