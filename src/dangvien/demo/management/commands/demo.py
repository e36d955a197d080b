"""`dangvien demo --scale tiny|district|hanoi|national`: load the demo dataset and its accounts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dangvien.demo.accounts import demo_accounts_create, demo_password
from dangvien.demo.plan import SCALES
from dangvien.demo.producer import ProducerFailed
from dangvien.demo.services import DEFAULT_AS_OF, DEFAULT_SEED, demo_is_loaded, demo_load
from dangvien.members.models import Status
from dangvien.office.layout import number


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--as-of {raw!r}: cần ngày dạng YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu (cây tổ chức, đảng viên, tài khoản mẫu) vào cơ sở dữ liệu trống. "
        "Cùng seed cho cùng dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="district",
            help="quy mô: tiny (kiểm thử), district, hanoi (số liệu Hà Nội 31/12/2020), national",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="hạt giống ngẫu nhiên")
        parser.add_argument(
            "--as-of",
            type=_day,
            default=None,
            help=(
                f"ngày mà dữ liệu mô tả (mặc định {DEFAULT_AS_OF.isoformat()}; "
                "quy mô hanoi: 2020-12-31, ngày của số liệu Hà Nội)"
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="không làm gì nếu cơ sở dữ liệu đã có tổ chức",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        scale: str = options["scale"]
        if demo_is_loaded():
            if options["if_empty"]:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: bỏ qua việc nạp dữ liệu mẫu.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có tổ chức hoặc đảng viên: dữ liệu mẫu chỉ nạp vào cơ sở dữ "
                "liệu trống (dùng --if-empty để bỏ qua)."
            )
        verbose = options["verbosity"] >= 2
        try:
            report = demo_load(
                scale=scale,
                seed=options["seed"],
                as_of=options["as_of"],
                progress=(lambda message: self.stderr.write(message)) if verbose else None,
            )
            demo_accounts_create(password=demo_password(create=True) or "")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except ProducerFailed as exc:
            # The generating process crashed. Its traceback goes to the error stream; the user
            # gets one line saying what to do (the bulk load is not one transaction).
            self.stderr.write(str(exc))
            raise CommandError(
                "Tiến trình sinh dữ liệu mẫu bị lỗi và đã dừng giữa chừng: dữ liệu mẫu chưa nạp "
                "xong. Hãy xóa cơ sở dữ liệu (thư mục var/) rồi chạy lại; chi tiết lỗi ở trên."
            ) from None
        f = report.figures
        lines = [
            f"Đã nạp dữ liệu mẫu quy mô «{scale}» (seed {report.seed}, tính đến ngày "
            f"{report.as_of:%d/%m/%Y}) trong {number(report.seconds, 1)} giây:",
            f"  {number(f.provinces)} đảng bộ tỉnh/thành phố, "
            f"{number(f.upper)} đảng bộ trực thuộc,",
            f"  {number(f.grassroots)} tổ chức cơ sở đảng ({number(f.grassroots_committees)} "
            f"đảng bộ cơ sở, {number(f.grassroots_cells)} chi bộ cơ sở),",
            f"  {number(f.sub_committees)} đảng bộ bộ phận, {number(f.cells)} chi bộ trực thuộc,",
            f"  {number(f.members)} đảng viên đang sinh hoạt; "
            f"{number(report.member_records)} hồ sơ đảng viên tất cả.",
            f"  Sổ tay: {number(report.posts)} tin bài, thông báo; "
            f"{number(report.documents)} văn bản.",
        ]
        labels = dict(Status.choices)
        lines.append(
            "  Theo tình trạng: "
            + ", ".join(
                f"{label} {number(count)}"
                for status, label in labels.items()
                if (count := report.by_status.get(status))
            )
        )
        self.stdout.write("\n".join(lines))
