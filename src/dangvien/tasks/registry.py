"""Handlers by kind, and what a handler gets to report progress and store its result."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from dangvien.tasks.models import Task

Handler = Callable[["TaskContext"], None]
HANDLERS: dict[str, Handler] = {}

PROGRESS_INTERVAL = 0.5  # seconds between two writes of the progress row


class TaskFailed(Exception):
    """A handler's way to stop with a message for the user (in Vietnamese)."""

    def __init__(self, message: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.summary = summary


def task_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[kind] = handler
        return handler

    return register


def task_dir(task: Task) -> Path:
    return Path(settings.TASKS_DIR) / str(task.pk)


class TaskContext:
    def __init__(self, task: Task) -> None:
        self.task = task
        self.params: dict[str, Any] = task.params or {}
        self.user = task.owner
        self._last_write = 0.0

    @property
    def dir(self) -> Path:
        path = task_dir(self.task)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def input_path(self, name: str = "input") -> Path:
        return task_dir(self.task) / "input" / name

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Cheap: the row is written at most every PROGRESS_INTERVAL seconds.

        Inside a transaction nothing is written: the row would not be visible to the page polling
        it until the commit, and SQLite would hold the write lock longer.
        """
        self.task.done = max(0, done)
        if total is not None:
            self.task.total = max(0, total)
        if message is not None:
            self.task.message = message[:500]
        now = time.monotonic()
        if now - self._last_write < PROGRESS_INTERVAL or connection.in_atomic_block:
            return
        self._last_write = now
        Task.objects.filter(pk=self.task.pk).update(
            done=self.task.done, total=self.task.total, message=self.task.message
        )

    def save_result(self, filename: str, content: bytes | str | Path) -> Path:
        """Store the result file (bytes, or a file to move in) for the owner to download."""
        target = self.dir / "result"
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            shutil.move(str(content), target)
        self.task.result_name = Path(filename).name[:200]
        Task.objects.filter(pk=self.task.pk).update(result_name=self.task.result_name)
        return target

    def set_summary(self, summary: dict[str, Any]) -> None:
        self.task.summary = summary
        Task.objects.filter(pk=self.task.pk).update(summary=summary)

    def now(self) -> Any:
        return timezone.now()
