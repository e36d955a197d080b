"""Exporting member lists to Excel on the demo dataset: `python -m bench --only export`.

The largest upper committee and the whole city (every member in the Party), as the table and as
the sổ danh sách (7-HSĐV). Each export runs in its own forked process of the measuring child
(`python -m bench.exports --child`), so its peak RSS (wait4) is its own: a flat figure from a few
thousand rows to the whole city shows that memory does not grow with the row count.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import Result, benchmark
from bench.demo import _duration, _size, child_on_demo


def _measure(work: Any) -> dict[str, Any]:
    """Run `work()` (returning a dict) in a forked process: its result, wall time and peak RSS."""
    from django.db import connections

    connections.close_all()  # the fork opens its own connection
    read, write = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked measurement
        os.close(read)
        try:
            payload = json.dumps(work()).encode()
        except BaseException as error:
            payload = json.dumps({"error": repr(error)}).encode()
        os.write(write, payload)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = json.loads(pipe.read() or b"{}")
    _pid, _status, usage = os.wait4(pid, 0)
    if "error" in data:
        raise SystemExit(f"export failed: {data['error']}")
    data["seconds"] = time.monotonic() - started
    data["rss"] = usage.ru_maxrss * 1024
    return data


def child() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
    import django

    django.setup()
    from django.db.models import Count

    from dangvien.accounts.models import User
    from dangvien.members.exports import BOOK, LIST, write_export
    from dangvien.members.models import IN_PARTY, Member
    from dangvien.orgs.models import Organization
    from dangvien.orgs.paths import ancestor_ids

    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    assert admin is not None, "the demo dataset has an administrator"
    root = Organization.objects.filter(parent__isnull=True).order_by("pk").first()
    assert root is not None
    # The upper committee (a child of the root) with the most members in the Party.
    in_party = Member.objects.filter(status__in=IN_PARTY)
    per_cell = in_party.values("org_path").annotate(n=Count("pk")).order_by()
    sizes: dict[int, int] = {}
    for row in per_cell:
        ids = ancestor_ids(row["org_path"])
        if len(ids) > 1:
            sizes[ids[1]] = sizes.get(ids[1], 0) + row["n"]
    upper = Organization.objects.get(pk=max(sizes, key=lambda pk: sizes[pk]))
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for org, layout in ((upper, LIST), (upper, BOOK), (root, LIST), (root, BOOK)):

            def work(org: Organization = org, layout: str = layout) -> dict[str, Any]:
                target = Path(scratch) / f"{org.pk}-{layout}.xlsx"
                rows = write_export(target, user=admin, org=org, layout=layout, filters={})
                size = target.stat().st_size
                target.unlink()
                return {"rows": rows, "bytes": size}

            measured = _measure(work)
            results.append({"org": org.name, "layout": layout, **measured})
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print(json.dumps({"results": results}))


@benchmark("export", "member lists exported to XLSX (table and sổ danh sách): time, peak memory")
def run(options: Any) -> list[Result]:
    data, label = child_on_demo(options, "export", "bench.exports")
    names = {"list": "table", "book": "sổ danh sách (7-HSĐV)"}
    rows = []
    for item in data["results"]:
        what = f"{item['org']}, {names[item['layout']]}"
        rows.append((f"{what}: rows", f"{item['rows']:,}", ""))
        rows.append(
            (
                f"{what}: time, rows per second",
                f"{_duration(item['seconds'])}, {item['rows'] / item['seconds']:,.0f}/s",
                "",
            )
        )
        rows.append(
            (
                f"{what}: peak RSS, file size",
                f"{_size(item['rss'])}, {_size(item['bytes'])}",
                "",
            )
        )
    return [
        Result(
            name="export",
            key=f"export-{options.scale}",
            title=f"Member list export to XLSX, scale `{options.scale}`",
            rows=rows,
            notes=[
                "Each export runs in a process of its own (forked), so its peak RSS is its own; it "
                "includes Django and the interpreter (about 100 MiB before any row).",
                "No target for the time in the brief: the export is a background task with a "
                "progress bar. The brief asks that memory not grow with the row count.",
            ],
            database=label,
        )
    ]


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
