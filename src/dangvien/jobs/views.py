"""A job's page, its progress partial (polled by HTMX) and its result: to its owner, and to
those who keep the records of its organization."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangvien.accounts.http import AuthenticatedRequest
from dangvien.jobs.models import Job
from dangvien.jobs.services import job_detail_url, job_result_path, job_shown_to

LIST_SIZE = 50


def _shown(request: AuthenticatedRequest, job_id: int) -> Job:
    job = job_shown_to(request.user, job_id)
    if job is None:
        raise Http404
    return job


@require_GET
def job_list(request: AuthenticatedRequest) -> HttpResponse:
    jobs = Job.objects.filter(owner_id=request.user.pk).order_by("-created_at", "-id")
    rows = [(job, job_detail_url(job)) for job in jobs[:LIST_SIZE]]
    return render(request, "jobs/job_list.html", {"rows": rows})


@require_GET
def job_detail(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    job = _shown(request, job_id)
    return render(request, "jobs/job_detail.html", {"job": job})


@require_GET
def job_progress(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    """The progress block alone; once the job is over it asks the page to reload itself."""
    job = _shown(request, job_id)
    response = render(request, "jobs/_progress.html", {"job": job})
    if job.finished and getattr(request, "htmx", False):
        response["HX-Refresh"] = "true"
    return response


@require_GET
def job_download(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    job = _shown(request, job_id)
    path = job_result_path(job)
    if path is None:
        raise Http404
    # A streaming response: the views' type says HttpResponse, which is what Django needs.
    response = FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name)
    return cast(HttpResponse, response)
