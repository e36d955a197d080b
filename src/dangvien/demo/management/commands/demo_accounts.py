"""`dangvien demo_accounts`: the demo accounts, their password and where to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dangvien.demo.accounts import URL, demo_accounts_list, demo_password

HEADERS = ("Tài khoản", "Vai trò", "Tổ chức")


class Command(BaseCommand):
    help = (
        "In danh sách tài khoản mẫu (một tài khoản cho mỗi vai trò), mật khẩu và địa chỉ đăng nhập."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rows = demo_accounts_list()
        if not rows:
            self.stdout.write("Chưa có tài khoản mẫu: hãy chạy `dangvien demo` trước.")
            return
        widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS))]

        def line(cells: tuple[str, ...]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        out = [line(HEADERS), line(tuple("-" * w for w in widths))]
        out += [line(row) for row in rows]
        password = demo_password()
        out.append("")
        out.append(
            f"Mật khẩu (mọi tài khoản): {password or '(không rõ: đặt lại bằng dangvien demo)'}"
        )
        out.append(f"Đăng nhập tại: {URL}")
        self.stdout.write("\n".join(out))
