"""`dangvien worker`: run queued background tasks, one at a time, until stopped."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from dangvien.tasks.services import task_claim, task_run, tasks_fail_abandoned, worker_name


class Command(BaseCommand):
    help = "Chạy các tác vụ nền (nhập dữ liệu, xuất danh sách …) đang chờ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = tasks_fail_abandoned()
        if failed:
            self.stderr.write(f"{failed} tác vụ bị bỏ dở đã được đánh dấu không thành công.")
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True  # finish the running task first: it is one transaction anyway

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        name = worker_name()
        self.stdout.write(f"dangvien worker {name}: chờ tác vụ …")
        while not stopping:
            if not connection.in_atomic_block:  # (tests run the worker inside a transaction)
                close_old_connections()
            task = task_claim(name)
            if task is None:
                if options["once"]:
                    return
                time.sleep(options["poll"])
                continue
            self.stdout.write(f"tác vụ {task.pk} ({task.kind}) …")
            task = task_run(task)
            self.stdout.write(f"tác vụ {task.pk}: {task.get_status_display()}")
