"""The project's own page: home, where each user lands after logging in."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.orgs.selectors import reportable_roots
from dangvien.procedures.todo import todo_for
from dangvien.reports.selectors import key_figures

DASHBOARD_NODES = 5  # a user with more roots sees the first ones; reports reach them all


def home(request: AuthenticatedRequest) -> HttpResponse:
    """Staff and secretaries land on what they must do and their nodes' key figures; members on
    the handbook."""
    nodes = reportable_roots(request.user)
    if not nodes:
        return redirect("handbook_feed")
    dashboards = [key_figures(org) for org in nodes[:DASHBOARD_NODES]]
    context = {"dashboards": dashboards, "todo": todo_for(request.user), "nav": "home"}
    return render(request, "web/home.html", context)
