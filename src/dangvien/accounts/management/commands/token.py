"""`dangvien token USERNAME`: issue an API token. It is printed once; only its hash is kept."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvien.accounts.models import User
from dangvien.accounts.services import token_create


class Command(BaseCommand):
    help = "Cấp một mã truy cập API mới cho người dùng (mã chỉ hiện một lần)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="tên đăng nhập của người dùng")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        if not user.is_active:
            raise CommandError(f"Tài khoản «{username}» đã bị khoá: không cấp mã truy cập.")
        raw = token_create(acting_user=None, user=user)
        self.stdout.write(raw)
        self.stderr.write(
            f"Đã cấp mã truy cập API cho «{username}». Hãy lưu lại ngay: mã không hiện lại lần nữa."
        )
