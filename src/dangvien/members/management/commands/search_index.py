"""`dangvien search_index [--rebuild]`: state of the name search index, or rebuild it."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from dangvien.members.models import Member, NameKey
from dangvien.members.search import name_keys_rebuild


class Command(BaseCommand):
    help = "Chỉ mục tìm kiếm theo tên: kiểm tra, hoặc dựng lại (--rebuild)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="dựng lại toàn bộ chỉ mục")
        parser.add_argument("--batch", type=int, default=20000, help="số đảng viên mỗi lượt")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["rebuild"]:
            members = Member.objects.count()
            indexed = NameKey.objects.values("member_id").distinct().count()
            self.stdout.write(f"{indexed}/{members} đảng viên có trong chỉ mục tìm kiếm.")
            return
        started = time.monotonic()

        def progress(last_id: int, written: int) -> None:
            self.stdout.write(f"  … đến mã {last_id}: {written} khóa", ending="\r")
            self.stdout.flush()

        written = name_keys_rebuild(batch=options["batch"], progress=progress)
        self.stdout.write(
            f"\nĐã dựng lại chỉ mục: {written} khóa trong {time.monotonic() - started:.0f} giây."
        )
