"""Starting jobs, running them (in a worker of the django-tasks queue), and failing abandoned
ones."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskContext, task
from django_tasks_db.models import DBTaskResult

from dangvien.accounts.access import REPORT, allowed
from dangvien.accounts.models import User
from dangvien.accounts.types import Actor
from dangvien.jobs.models import Job
from dangvien.jobs.registry import KINDS, JobContext, JobFailed, job_dir
from dangvien.jobs.signals import job_finished

log = logging.getLogger(__name__)

FAILED_UNEXPECTEDLY = "Tác vụ gặp lỗi ngoài dự kiến và đã dừng; dữ liệu không bị thay đổi dở dang."
WORKER_DIED = (
    "Tác vụ bị dừng giữa chừng vì chương trình chạy nền đã tắt; mọi thay đổi dở dang đã được "
    "hủy. Hãy chạy lại."
)


def _store_input(job: Job, name: str, content: bytes | Path | UploadedFile) -> None:
    target = job_dir(job) / "input" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    elif isinstance(content, Path):
        shutil.copyfile(content, target)
    else:
        with target.open("wb") as out:
            for chunk in content.chunks():
                out.write(chunk)


def job_start(
    *,
    acting_user: User,  # the job's owner, who alone sees it
    kind: str,
    params: dict[str, Any] | None = None,
    title: str,
    org: Any = None,
    files: Mapping[str, bytes | Path | UploadedFile] | None = None,
    priority: int | None = None,
    run_after: datetime | None = None,
) -> Job:
    """Queue a job (its input files stored first) on its kind's queue, to run no earlier than
    `run_after`. With the immediate backend (tests) it has run when this returns."""
    registered = KINDS.get(kind)
    if registered is None:
        raise ValueError(f"no handler registered for job kind {kind!r}")
    # Checked by the queue's backend (a queue it does not serve, a delay it cannot keep) before
    # anything is written.
    queued = job_execute.using(
        queue_name=registered.queue,
        priority=registered.priority if priority is None else priority,
        run_after=run_after,
    )
    job = Job.objects.create(
        kind=kind, title=title[:200], owner=acting_user, org=org, params=params or {}
    )
    for name, content in (files or {}).items():
        _store_input(job, name, content)
    try:
        result = queued.enqueue(job.pk)
    except BaseException:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, message=FAILED_UNEXPECTEDLY, finished_at=timezone.now()
        )
        raise
    # A worker may already have it (and written the same id): only fill an empty one.
    Job.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=result.id)
    job.refresh_from_db()
    return job


@task(takes_context=True)
def job_execute(context: TaskContext, job_id: int) -> str:
    """The queue's task for every job: run the handler of the job's kind. Its outcome is the
    job's (done, or failed with a message); the task itself fails only when its worker is
    stopped by force in the middle."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.finished:  # deleted, or failed as abandoned before a worker took it
        return "skipped"
    result = context.task_result
    worker = result.worker_ids[-1] if result.worker_ids else ""
    return job_run(job, worker=worker, task_result_id=str(result.id)).status


def job_run(job: Job, *, worker: str = "", task_result_id: str = "") -> Job:
    """Run the handler; the outcome (done, or failed with a message) is written to the row.

    A queued job is claimed by a conditional update, so a job runs once even if it were
    handed out twice."""
    if job.status == Job.Status.QUEUED:
        job.started_at = timezone.now()
        changes: dict[str, Any] = {"status": Job.Status.RUNNING, "started_at": job.started_at}
        if worker:
            changes["worker"] = job.worker = worker[:100]
        if task_result_id:
            changes["task_result_id"] = job.task_result_id = task_result_id
        if not Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(**changes):
            job.refresh_from_db()
            return job
        job.status = Job.Status.RUNNING
    context = JobContext(job)
    try:
        KINDS[job.kind].handler(context)
    except JobFailed as failure:
        job.status, job.message = Job.Status.FAILED, failure.message[:500]
        if failure.summary is not None:
            job.summary = failure.summary
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        job.status, job.message = Job.Status.FAILED, FAILED_UNEXPECTEDLY
    except BaseException:
        # The worker is being stopped by force (a second Ctrl+C or SIGTERM): the handler's
        # transaction was rolled back on the way out.
        _finish(job, Job.Status.FAILED, WORKER_DIED)
        raise
    else:
        job.status = Job.Status.DONE
        job.done = max(job.done, job.total)
    _finish(job, job.status, job.message)
    job_finished.send(sender=Job, job=job)
    return job


def _finish(job: Job, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message, timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=job.status,
        message=job.message,
        summary=job.summary,
        done=job.done,
        total=job.total,
        finished_at=job.finished_at,
    )


def worker_name() -> str:
    """The id a worker started by `dangvien worker` runs under: its host and process."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_abandoned_fail() -> int:
    """Unfinished jobs that no worker will finish, failed with a message saying so:

    - running on a worker of this host (`host:pid`) whose process is gone (killed, out of
      memory, the machine restarted);
    - whose queue row failed without the job saying so (its worker stopped by force before the
      job was written).

    Their work was inside a transaction that died with the process, so nothing half-done remains.
    `dangvien worker` calls this when it starts; a dead worker of another host is found when a
    worker starts on that host again.
    """
    host = socket.gethostname()[:40]
    abandoned: list[int] = []
    dead_results: list[str] = []
    unfinished = Job.objects.filter(status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
    for pk, status, worker, result_id in unfinished.values_list(
        "pk", "status", "worker", "task_result_id"
    ):
        name, _, pid = worker.rpartition(":")
        if status == Job.Status.RUNNING and name == host and pid.isdigit() and not _alive(int(pid)):
            abandoned.append(pk)
            if result_id:
                dead_results.append(result_id)
    by_result = dict(unfinished.exclude(task_result_id="").values_list("task_result_id", "pk"))
    failed = DBTaskResult.objects.failed().filter(id__in=_uuids(by_result))
    abandoned.extend(by_result[str(failed_id)] for failed_id in failed.values_list("id", flat=True))
    # The queue's own row of a killed worker stays "running" for ever: close it too.
    DBTaskResult.objects.running().filter(id__in=_uuids(dead_results)).update(
        status="FAILED", finished_at=timezone.now(), traceback=WORKER_DIED
    )
    return Job.objects.filter(
        pk__in=abandoned, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)
    ).update(status=Job.Status.FAILED, message=WORKER_DIED, finished_at=timezone.now())


def _uuids(ids: Any) -> list[str]:
    """The ids that are the queue's (uuids); the immediate backend's are not."""
    found = []
    for value in ids:
        try:
            found.append(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return found


def job_of(user: Actor, job_id: int) -> Job | None:
    """The user's own job, or None (someone else's job does not exist for them)."""
    if not isinstance(user, User):
        return None
    return Job.objects.filter(pk=job_id, owner=user).first()


def job_shown_to(user: Actor, job_id: int) -> Job | None:
    """The job if the user started it or keeps the records of its organization, else None."""
    if not isinstance(user, User):
        return None
    job = Job.objects.select_related("org").filter(pk=job_id).first()
    if job is None:
        return None
    if job.owner_id == user.pk or (job.org is not None and allowed(user, REPORT, job.org)):
        return job
    return None


def job_result_path(job: Job) -> Path | None:
    path = job_dir(job) / "result"
    return path if job.result_name and path.is_file() else None


def job_detail_url(job: Job) -> str:
    """The page that shows the job best: its kind's own (an import), else the generic one."""
    registered = KINDS.get(job.kind)
    name = registered.detail_url if registered and registered.detail_url else "task_detail"
    return reverse(name, args=[job.pk])
