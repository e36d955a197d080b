"""Kinds of job, each registered by its app, and what a running job gets to report its progress
and store its result."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dangvien.jobs.models import Job

Handler = Callable[["JobContext"], None]

# The queues a kind may name (settings.TASKS lists the same): an import never waits behind an
# export or a check, because a worker of its own takes the imports queue.
DEFAULT_QUEUE = "default"
IMPORTS_QUEUE = "imports"

PROGRESS_INTERVAL = 0.5  # seconds between two writes of the progress row


@dataclass(frozen=True)
class JobKind:
    name: str
    handler: Handler
    queue: str = DEFAULT_QUEUE
    priority: int = 0  # -100 … 100: higher first, within a queue
    # The URL name (taking the job's id) of a page that shows this kind better than the generic
    # job page, e.g. the import page with its report and preview.
    detail_url: str | None = None


KINDS: dict[str, JobKind] = {}


class JobFailed(Exception):
    """A handler's way to stop with a message for the user (in Vietnamese)."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.summary = summary


def job(
    kind: str,
    *,
    queue: str = DEFAULT_QUEUE,
    priority: int = 0,
    detail_url: str | None = None,
) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of jobs of `kind` ("app.what")."""

    def register(handler: Handler) -> Handler:
        KINDS[kind] = JobKind(kind, handler, queue, priority, detail_url)
        return handler

    return register


def job_dir(job: Job) -> Path:
    return Path(settings.TASKS_DIR) / "jobs" / str(job.pk)


class JobContext:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.params: dict[str, Any] = job.params or {}
        self.user = job.owner
        self._last_write = 0.0

    @property
    def dir(self) -> Path:
        path = job_dir(self.job)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def input_path(self, name: str = "input") -> Path:
        return job_dir(self.job) / "input" / name

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Cheap: the row is written at most every PROGRESS_INTERVAL seconds.

        Inside a transaction nothing is written: the row would not be visible to the page polling
        it until the commit, and SQLite would hold the write lock longer.
        """
        self.job.done = max(0, done)
        if total is not None:
            self.job.total = max(0, total)
        if message is not None:
            self.job.message = message[:500]
        now = time.monotonic()
        if now - self._last_write < PROGRESS_INTERVAL or connection.in_atomic_block:
            return
        self._last_write = now
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, message=self.job.message
        )

    def save_result(self, filename: str, content: bytes | str | Path) -> Path:
        """Store the result file (bytes, or a file to move in) for the owner to download."""
        target = self.dir / "result"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            shutil.move(str(content), target)
        self.job.result_name = Path(filename).name[:200]
        Job.objects.filter(pk=self.job.pk).update(result_name=self.job.result_name)
        return target

    def set_summary(self, summary: dict[str, Any]) -> None:
        self.job.summary = summary
        Job.objects.filter(pk=self.job.pk).update(summary=summary)

    def now(self) -> Any:
        return timezone.now()
