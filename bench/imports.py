"""Importing members from a file: `python -m bench --only import [--rows 457397] [--format xlsx]`.

A scratch SQLite database gets a province with 1,000 cells and one administrator; a file of
`--rows` synthetic members (Vietnamese headers, dd/mm/yyyy dates, names, CCCD, card numbers,
ethnicity, religion, cell) is written, untimed. Then a child process runs the two task handlers as
the worker would — the validation pass (with its XLSX report and preview) and the all-or-nothing
commit — and reports each one's time; its peak RSS (wait4) covers both.
"""

from __future__ import annotations

import contextlib
import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import ROOT, Result, benchmark
from bench.demo import _duration, _size, sqlite_scratch

TIME_TARGET = 60.0
MEMORY_TARGET = 1024**3
CELLS = 1000

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Số thẻ đảng viên",
    "Ngày vào Đảng",
    "Ngày chính thức",
    "Dân tộc",
    "Tôn giáo",
    "Chi bộ",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hà",
    "Hạnh",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Ngọc",
    "Phương",
    "Quân",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Việt",
    "Yến",
]

SETUP = f"""
import django, datetime as dt
django.setup()
from dangvien.accounts.models import User
from dangvien.orgs.models import OrgLevel
from dangvien.orgs.services import org_create
on = dt.date(2000, 1, 1)
p = org_create(acting_user=None, name="Đảng bộ Tỉnh", level=OrgLevel.objects.get(code="province"),
               parent=None, on=on)
g = org_create(acting_user=None, name="Đảng bộ Xã", level=OrgLevel.objects.get(code="upper"),
               parent=p, on=on)
cell = OrgLevel.objects.get(code="cell")
for i in range({CELLS}):
    org_create(acting_user=None, name=f"Chi bộ số {{i + 1}}", level=cell, parent=g, on=on)
User.objects.create_superuser(username="admin", password="x")
"""

RUN = """
import django, json, sys, time
django.setup()
from dangvien.accounts.models import User
from dangvien.members.imports.tasks import COMMIT, VALIDATE
from dangvien.jobs.services import job_run
from dangvien.jobs.models import Job
from pathlib import Path
import shutil
from dangvien.jobs.registry import job_dir
user = User.objects.get(username="admin")
name = sys.argv[1]
timings = {}
validation = Job.objects.create(kind=VALIDATE, title="bench", owner=user,
                                 params={"filename": Path(name).name})
(job_dir(validation) / "input").mkdir(parents=True)
shutil.copyfile(name, job_dir(validation) / "input" / "input")
started = time.monotonic()
job_run(validation)
timings["validate"] = time.monotonic() - started
commit = Job.objects.create(kind=COMMIT, title="bench", owner=user,
                             params={"validation": validation.pk})
started = time.monotonic()
job_run(commit)
timings["commit"] = time.monotonic() - started
print(json.dumps({"timings": timings, "validation": validation.summary | {"problems": None,
      "samples": None, "columns": None}, "commit": commit.summary, "messages": [
      validation.message, commit.message], "status": [validation.status, commit.status]}))
"""


def rows(count: int, seed: int) -> Any:
    """Rows a careful secretary would type: the CCCD agrees with the birth year and gender (its
    province code is a real one) and the recognition comes twelve months after the admission, so
    the file passes the checks without warnings and is committed."""
    import datetime as dt

    from dangvien.members.rules.cccd import PROVINCE_CODES, century_sex_digit

    provinces = sorted(PROVINCE_CODES)
    rng = random.Random(seed)
    for n in range(1, count + 1):
        born = rng.randrange(1940, 2000)
        admitted = born + rng.randrange(19, 24)
        male = rng.random() < 0.64
        day, month = rng.randrange(1, 29), rng.randrange(1, 13)
        admission_day, admission_month = rng.randrange(1, 29), rng.randrange(1, 13)
        sex_digit = century_sex_digit(dt.date(born, month, day), "M" if male else "F")
        yield [
            n,
            f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
            "Nam" if male else "Nữ",
            f"{day:02d}/{month:02d}/{born}",
            f"{rng.choice(provinces)}{sex_digit}{born % 100:02d}{n:06d}",
            f"{10_000_000 + n}",
            # Recognised as official twelve months after admission, as the statute has it.
            f"{admission_day:02d}/{admission_month:02d}/{admitted}",
            f"{admission_day:02d}/{admission_month:02d}/{admitted + 1}",
            rng.choice(["Kinh"] * 8 + ["Tày", "Thái", "Mường"]),
            rng.choice(["Không"] * 9 + ["Phật giáo", "Công giáo"]),
            f"Chi bộ số {rng.randrange(1, CELLS + 1)}",
        ]


def write_file(path: Path, count: int, seed: int, fmt: str) -> None:
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8-sig") as out:
            writer = csv.writer(out)
            writer.writerow(HEADER)
            writer.writerows(rows(count, seed))
        return
    from dangvien.office.xlsx import Workbook

    with Workbook(path) as workbook:
        sheet = workbook.sheet("Danh sách")
        sheet.append(HEADER)
        for row in rows(count, seed):
            sheet.append(row)


def _python(code: str, env: dict[str, str], *args: str) -> tuple[float, int, str]:
    with tempfile.TemporaryFile("w+") as output:
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), *args],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        output.seek(0)
        text = output.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import benchmark child failed:\n{text}")
    return seconds, usage.ru_maxrss * 1024, text


@contextlib.contextmanager
def _removed(directory: str) -> Iterator[None]:
    try:
        yield
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@benchmark("import", "member import: validation and all-or-nothing commit of a large file")
def run(options: Any) -> list[Result]:
    import json

    count = getattr(options, "rows", None) or 457_397
    fmt = getattr(options, "format", None) or "xlsx"
    tasks_dir = tempfile.mkdtemp(prefix="dangvien-bench-tasks-")
    with sqlite_scratch(options.keep) as scratch, _removed(tasks_dir):
        env = {**scratch.env, "DJANGO_SETTINGS_MODULE": "dangvien.settings"}
        env["DANGVIEN_TASKS_DIR"] = tasks_dir
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        print("import: migrating a scratch database …", flush=True)
        subprocess.run(
            [sys.executable, "-m", "dangvien", "migrate", "--noinput", "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        _python(SETUP, env)
        path = Path(tasks_dir) / f"danh-sach.{fmt}"
        print(f"import: writing {count:,} rows to {path.name} …", flush=True)
        started = time.monotonic()
        write_file(path, count, options.seed, fmt)
        print(
            f"import: file written in {time.monotonic() - started:.0f} s "
            f"({_size(path.stat().st_size)})",
            flush=True,
        )
        print("import: validating and committing …", flush=True)
        seconds, rss, output = _python(RUN, env, str(path))
        size = path.stat().st_size
        members = scratch.query("SELECT COUNT(*) FROM members_member")
    report = json.loads(output.strip().splitlines()[-1])
    if report["status"] != ["done", "done"]:
        raise SystemExit(f"import benchmark: tasks did not finish: {report}")
    timings = report["timings"]
    total = timings["validate"] + timings["commit"]
    rows_ = [
        ("rows in the file", f"{count:,}", ""),
        ("file", f"{fmt.upper()}, {_size(size)}", ""),
        ("validation (read, check, report, plan)", _duration(timings["validate"]), ""),
        ("commit (one transaction)", _duration(timings["commit"]), ""),
        (
            "validation + commit",
            _duration(total),
            f"≤ 60 s ({'met' if total <= TIME_TARGET else 'MISSED'})",
        ),
        ("member records created", f"{members:,}", ""),
        (
            "peak RSS of the child",
            _size(rss),
            f"< 1 GiB ({'met' if rss < MEMORY_TARGET else 'MISSED'})",
        ),
        ("wall time of the child (with start-up)", _duration(seconds), ""),
    ]
    return [
        Result(
            name="import",
            key=f"import-{fmt}",
            title=f"Member import, {count:,} rows ({fmt.upper()})",
            rows=rows_,
            notes=[
                "Synthetic rows into an empty scratch SQLite database (1,000 cells); file writing "
                "and migrations untimed.",
                "Validation and commit run the task handlers in one child process, as the worker "
                "does; the commit writes members, status periods, memberships and one audit row "
                "per member plus one for the import.",
            ],
            database=scratch.label,
        )
    ]
