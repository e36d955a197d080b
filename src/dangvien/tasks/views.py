"""A task's page, its progress partial (polled by HTMX) and its result: to its owner only."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvien.tasks.models import Task
from dangvien.tasks.services import task_of, task_result_path
from dangvien.web.shortcuts import login_required

LIST_SIZE = 50

# Pages that know how to show a task of a kind better than the generic page (e.g. an import).
DETAIL_URLS: dict[str, str] = {
    "members.import_validate": "import_detail",
    "members.import_commit": "import_detail",
}


def _own(request: HttpRequest, task_id: int) -> Task:
    task = task_of(request.user, task_id)
    if task is None:
        raise Http404
    return task


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    tasks = Task.objects.filter(owner_id=request.user.pk).order_by("-created_at", "-id")[:LIST_SIZE]
    return render(request, "tasks/task_list.html", {"tasks": tasks, "detail_urls": DETAIL_URLS})


@login_required
@require_GET
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _own(request, task_id)
    return render(request, "tasks/task_detail.html", {"task": task})


@login_required
@require_GET
def task_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    """The progress block alone; once the task is over it asks the page to reload itself."""
    task = _own(request, task_id)
    response = render(request, "tasks/_progress.html", {"task": task})
    if task.finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def task_download(request: HttpRequest, task_id: int) -> HttpResponse:
    task = _own(request, task_id)
    path = task_result_path(task)
    if path is None:
        raise Http404
    # A streaming response: the views' type says HttpResponse, which is what Django needs.
    response = FileResponse(path.open("rb"), as_attachment=True, filename=task.result_name)
    return cast(HttpResponse, response)
