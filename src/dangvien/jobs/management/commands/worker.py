"""`dangvien worker`: django-tasks-db's `db_worker` under this host's name, after failing the
jobs a dead worker of this host left running."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from dangvien.jobs.services import jobs_abandoned_fail, worker_name


class Command(BaseCommand):
    help = "Chạy các tác vụ nền (nhập dữ liệu, xuất danh sách …) đang chờ."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--queue",
            default="*",
            help="queues to take, separated by commas (default: every queue)",
        )
        parser.add_argument(
            "--exclude", default="", help="queues not to take (with --queue '*'), by commas"
        )
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between polls")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = jobs_abandoned_fail()
        if failed:
            self.stderr.write(f"{failed} tác vụ bị bỏ dở đã được đánh dấu không thành công.")
        name = worker_name()
        self.stdout.write(f"dangvien worker {name} ({options['queue']}): chờ tác vụ …")
        self.stdout.flush()
        extra = ["--batch"] if options["once"] else []
        if options["exclude"]:
            extra += ["--exclude-queues", options["exclude"]]
        call_command(
            "db_worker",
            "--queue-name",
            options["queue"],
            "--interval",
            str(options["poll"]),
            "--worker-id",
            name,
            "--no-reload",
            "--no-startup-delay",
            *extra,
            verbosity=options["verbosity"],
        )
