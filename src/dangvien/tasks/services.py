"""Starting, claiming and running background tasks."""

from __future__ import annotations

import logging
import os
import shutil
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from dangvien.tasks.models import Task
from dangvien.tasks.registry import HANDLERS, TaskContext, TaskFailed, task_dir

log = logging.getLogger(__name__)

FAILED_UNEXPECTEDLY = "Tác vụ gặp lỗi ngoài dự kiến và đã dừng; dữ liệu không bị thay đổi dở dang."
WORKER_DIED = (
    "Tác vụ bị dừng giữa chừng vì chương trình chạy nền đã tắt; mọi thay đổi dở dang đã được "
    "hủy. Hãy chạy lại."
)


def _store_input(task: Task, name: str, content: bytes | Path | UploadedFile) -> None:
    target = task_dir(task) / "input" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    elif isinstance(content, Path):
        shutil.copyfile(content, target)
    else:
        with target.open("wb") as out:
            for chunk in content.chunks():
                out.write(chunk)


def task_start(
    *,
    acting_user: Any,
    kind: str,
    params: dict[str, Any] | None = None,
    title: str,
    org: Any = None,
    files: Mapping[str, bytes | Path | UploadedFile] | None = None,
) -> Task:
    """Queue a task (its input files stored first); run at once when settings.TASKS_INLINE."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler registered for task kind {kind!r}")
    task = Task.objects.create(
        kind=kind, title=title[:200], owner=acting_user, org=org, params=params or {}
    )
    for name, content in (files or {}).items():
        _store_input(task, name, content)
    if getattr(settings, "TASKS_INLINE", False):
        task_run(task)
        task.refresh_from_db()
    return task


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def task_claim(worker: str | None = None) -> Task | None:
    """The oldest queued task, marked running for this worker; None when the queue is empty.

    A conditional update is the claim: of two workers racing for a task, one updates the row and
    the other updates nothing and tries the next one.
    """
    worker = worker or worker_name()
    while True:
        pk = (
            Task.objects.filter(status=Task.Status.QUEUED)
            .order_by("id")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return None
        claimed = Task.objects.filter(pk=pk, status=Task.Status.QUEUED).update(
            status=Task.Status.RUNNING, worker=worker, started_at=timezone.now()
        )
        if claimed:
            return Task.objects.select_related("owner").get(pk=pk)


def task_run(task: Task) -> Task:
    """Run the handler; the outcome (done, or failed with a message) is written to the row."""
    if task.status != Task.Status.RUNNING:
        task.status = Task.Status.RUNNING
        task.started_at = timezone.now()
        task.worker = task.worker or worker_name()
        Task.objects.filter(pk=task.pk).update(
            status=task.status, started_at=task.started_at, worker=task.worker
        )
    context = TaskContext(task)
    try:
        HANDLERS[task.kind](context)
    except TaskFailed as failure:
        task.status, task.message = Task.Status.FAILED, failure.message[:500]
        if failure.summary is not None:
            task.summary = failure.summary
    except Exception:
        log.exception("task %s (%s) failed", task.pk, task.kind)
        task.status, task.message = Task.Status.FAILED, FAILED_UNEXPECTEDLY
    else:
        task.status = Task.Status.DONE
        task.done = max(task.done, task.total)
    task.finished_at = timezone.now()
    Task.objects.filter(pk=task.pk).update(
        status=task.status,
        message=task.message,
        summary=task.summary,
        done=task.done,
        total=task.total,
        finished_at=task.finished_at,
    )
    return task


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def tasks_fail_abandoned() -> int:
    """Tasks left running by a dead worker of this host: failed, with a message saying so.

    Their work was inside a transaction that died with the process, so nothing half-done remains.
    """
    host = socket.gethostname()
    abandoned = []
    for pk, worker in Task.objects.filter(status=Task.Status.RUNNING).values_list("pk", "worker"):
        name, _, pid = worker.rpartition(":")
        if name == host and pid.isdigit() and not _alive(int(pid)):
            abandoned.append(pk)
    return Task.objects.filter(pk__in=abandoned, status=Task.Status.RUNNING).update(
        status=Task.Status.FAILED, message=WORKER_DIED, finished_at=timezone.now()
    )


def task_of(user: Any, task_id: int) -> Task | None:
    """The user's own task, or None (someone else's task does not exist for them)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Task.objects.filter(pk=task_id, owner=user).first()


def task_result_path(task: Task) -> Path | None:
    path = task_dir(task) / "result"
    return path if task.result_name and path.is_file() else None
