"""`dangvien quality [--org ID]`: check the data quality of a subtree (or of every record) now,
for cron; the results replace the previous ones of that subtree, as from the dashboard."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvien.orgs.models import Organization
from dangvien.quality.services import quality_check


class Command(BaseCommand):
    help = "Kiểm tra chất lượng dữ liệu hồ sơ đảng viên của một tổ chức (--org) hoặc toàn bộ."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", type=int, help="mã tổ chức (mặc định: toàn bộ hồ sơ)")

    def handle(self, *args: Any, **options: Any) -> None:
        org = None
        if options["org"] is not None:
            org = Organization.objects.filter(pk=options["org"]).first()
            if org is None:
                raise CommandError(f"Không có tổ chức mã {options['org']}.")
        where = org.name if org is not None else "toàn bộ hồ sơ"
        started = time.monotonic()
        last = [0.0]

        def progress(done: int, total: int, message: str) -> None:
            if time.monotonic() - last[0] >= 5:
                last[0] = time.monotonic()
                percent = done * 100 // total if total else 0
                self.stdout.write(f"  {percent:3d}% {message}")

        self.stdout.write(f"Kiểm tra chất lượng dữ liệu: {where} …")
        run = quality_check(acting_user=None, org=org, progress=progress)
        summary = run.summary
        members = summary.get("members", 0)
        errors = summary.get("with_errors", 0)
        self.stdout.write(
            f"Đã kiểm tra {members} đảng viên trong {time.monotonic() - started:.0f} giây: "
            f"{errors} hồ sơ có lỗi, {summary.get('with_issues', 0) - errors} hồ sơ chỉ có "
            f"cảnh báo ({summary.get('issues', 0)} vấn đề)."
        )
        if summary.get("unplaced"):
            self.stdout.write(
                f"{summary['unplaced']} đảng viên không thuộc tổ chức nào trong cây tổ chức."
            )
