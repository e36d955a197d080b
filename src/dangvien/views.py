"""The project's own page: home, where each user lands after logging in."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.orgs.selectors import reportable_roots
from dangvien.procedures.todo import todo_for
from dangvien.reports.selectors import key_figures
from dangvien.reports.targets import targets_behind

DASHBOARD_NODES = 5  # a user with more roots sees the first ones; reports reach them all


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Staff and secretaries land on what they must do and their nodes' key figures; members on
    the handbook."""
    nodes = reportable_roots(request.user)
    if not nodes:
        return redirect("handbook_feed")
    dashboards = [key_figures(org) for org in nodes[:DASHBOARD_NODES]]
    todo = todo_for(request.user)
    todo.include(targets_behind(request.user, nodes[:DASHBOARD_NODES], timezone.localdate()))
    context = {"dashboards": dashboards, "todo": todo, "nav": "home"}
    return render(request, "web/home.html", context)
