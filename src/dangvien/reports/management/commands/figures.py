"""`dangvien figures`: recount today's kept report figures of every node (reports/stored.py)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from dangvien.office.layout import number
from dangvien.reports.stored import rebuild


class Command(BaseCommand):
    help = (
        "Đếm lại số liệu báo cáo lưu sẵn của mọi tổ chức (tự làm sau khi nạp dữ liệu mẫu; "
        "chỉ cần khi khôi phục cơ sở dữ liệu từ bản sao lưu cũ)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        nodes = number(rebuild())
        seconds = number(time.monotonic() - started, 1)
        self.stdout.write(f"Đã đếm lại số liệu của {nodes} tổ chức trong {seconds} giây.")
