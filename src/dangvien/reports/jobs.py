"""Background work of the reports (found by dangvien.jobs): bringing the kept figures and dated
events up to date after a job that wrote records (an import), in a worker rather than in the
request of the first report that reads them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django_tasks import task

from dangvien.jobs.models import Job
from dangvien.jobs.signals import job_finished
from dangvien.reports import stored
from dangvien.reports.models import EventDirty, FigureDirty


@task()
def figures_refresh() -> bool:
    """What the first report read after the writes would otherwise do (`stored.refresh`,
    `stored.events_current`): recount the marked paths and re-derive the marked members' events.
    Nobody waits on it, so it is a task without a job row."""
    kept = stored.refresh()
    stored.events_current()
    return kept


@receiver(job_finished, sender=Job)
def figures_refresh_after(sender: Any, job: Job, **kwargs: Any) -> None:
    """Queue a refresh once a job's writes are committed, when they left marks."""
    if job.status != Job.Status.DONE:
        return
    if FigureDirty.objects.exists() or EventDirty.objects.exists():
        transaction.on_commit(figures_refresh.enqueue)
