"""Member search timings: name and number queries in a whole country, a province and a cell.

A scratch database is loaded with `dangvien demo` (or an existing one is reused with `--reuse DIR`,
a DANGVIEN_VAR directory holding a loaded SQLite database; migrations are applied and the name
index is built if it is empty). The timings run in a child process (`python -m bench.search
--child`): each query of a mix (common and rare names, with and without tones, prefixes, single
given names, card numbers, CCCD) is run several times through `member_search` as a user of each
scope would call it, and the time spent inside the database is measured beside the total.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from typing import Any

from bench import Result, benchmark
from bench.demo import child_on_demo

TARGETS = {"name": 0.020, "number": 0.005}  # p95, seconds, from the project brief
RUNS = 5

COMMON = ["nguyen van", "Nguyễn Văn", "nguyen", "nguyen thi", "van", "thi", "tran", "le thi"]
GIVEN = ["anh", "Hùng", "phong", "Phương", "lan", "dung", "hoa", "tuan"]
PREFIXES = ["ng", "ph", "tr", "h", "nguyen van a", "dang thu"]


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
    django.setup()
    from django.db import connection

    from dangvien.core.paths import subtree_q
    from dangvien.members.models import Member, NameKey
    from dangvien.members.search import member_search, name_keys_rebuild
    from dangvien.orgs.models import Organization

    if not NameKey.objects.exists():
        print("search: building the name index …", file=sys.stderr, flush=True)
        name_keys_rebuild()
    rng = random.Random(7)
    total = Member.objects.count()
    top_ids = list(Organization.objects.filter(parent=None).order_by("pk").values_list("pk"))
    province = Organization.objects.get(pk=top_ids[len(top_ids) // 2][0])
    grassroots = (
        Organization.objects.filter(path__startswith=province.path, level__is_grassroots=True)
        .order_by("pk")
        .first()
    )
    assert grassroots is not None
    # Rare names: full names and family + given of members picked at random.
    sample = list(
        Member.objects.filter(pk__in=[rng.randint(1, total) for _ in range(40)]).values_list(
            "full_name", "party_card_number", "citizen_id", "org_path"
        )
    )
    rare = [name for name, *_ in sample[:8]]
    rare_folded = [name.lower().split(" ")[-1] + "" for name, *_ in sample[8:12]]
    in_cell = list(
        Member.objects.filter(subtree_q("org_path", grassroots.path)).values_list(
            "full_name", flat=True
        )[:6]
    )
    numbers = [c for _, c, _, _ in sample[:10] if c] + [i for _, _, i, _ in sample[:10] if i]
    numbers.append("999999999999")  # nobody
    mixes = {
        "name": COMMON + GIVEN + PREFIXES + rare + rare_folded + in_cell,
        "number": numbers,
    }
    base = Member.objects.select_related("org", "ethnicity", "religion")
    scopes = [
        (f"whole country ({total:,} members)", base, None),
        (
            f"a province ({base.filter(subtree_q('org_path', province.path)).count():,} members)",
            base.filter(subtree_q("org_path", province.path)),
            [province.path],
        ),
        (
            f"a grassroots org "
            f"({base.filter(subtree_q('org_path', grassroots.path)).count():,} members)",
            base.filter(subtree_q("org_path", grassroots.path)),
            [grassroots.path],
        ),
    ]
    sql_time = [0.0]

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started

    rows: list[dict[str, Any]] = []
    slowest: list[tuple[float, str, str]] = []
    with connection.execute_wrapper(timer):
        for scope_label, members, within in scopes:
            for kind, queries in mixes.items():
                totals: list[float] = []
                sqls: list[float] = []
                for query in queries:
                    member_search(members, query, within=within)  # warm the cache
                    for _ in range(RUNS):
                        sql_time[0] = 0.0
                        started = time.perf_counter()
                        member_search(members, query, within=within)
                        took = time.perf_counter() - started
                        totals.append(took)
                        sqls.append(sql_time[0])
                    slowest.append((max(totals[-RUNS:]), scope_label, query))
                rows.append(
                    {
                        "scope": scope_label,
                        "kind": kind,
                        "queries": len(queries),
                        "p50": statistics.median(totals),
                        "p95": _p(totals, 0.95),
                        "sql_p50": statistics.median(sqls),
                        "sql_p95": _p(sqls, 0.95),
                        "max": max(totals),
                    }
                )
    slowest.sort(reverse=True)
    print(
        json.dumps(
            {
                "rows": rows,
                "records": total,
                "keys": NameKey.objects.count(),
                "slowest": slowest[:5],
            }
        )
    )


@benchmark("search", "member search: name and number queries in a country, a province, a cell")
def run(options: Any) -> list[Result]:
    data, label = child_on_demo(options, "search", "bench.search")
    return [_result(data, options.scale, label)]


def _result(data: dict[str, Any], scale: str, label: str) -> Result:
    rows = [
        ("member records", f"{data['records']:,}", ""),
        ("name search keys", f"{data['keys']:,}", ""),
    ]
    for row in data["rows"]:
        target = TARGETS[row["kind"]]
        verdict = f"p95 ≤ {target * 1000:.0f} ms ({'met' if row['p95'] <= target else 'MISSED'})"
        rows.append(
            (
                f"{row['scope']}: {row['kind']} queries ({row['queries']} × {RUNS} runs)",
                f"p50 {row['p50'] * 1000:.1f} ms, p95 {row['p95'] * 1000:.1f} ms, "
                f"max {row['max'] * 1000:.1f} ms "
                f"(SQL alone: p50 {row['sql_p50'] * 1000:.1f} ms, "
                f"p95 {row['sql_p95'] * 1000:.1f} ms)",
                verdict,
            )
        )
    slowest = ", ".join(
        f"«{q}» in {s.split(' (')[0]} {t * 1000:.0f} ms" for t, s, q in data["slowest"]
    )
    return Result(
        name="search",
        key=f"search-{scale}",
        title=f"Member search, scale `{scale}`",
        rows=rows,
        notes=[
            "Server time of `member_search` (members/search.py) for one page of 20 results, "
            "including loading the page's members; SQL alone: the time spent inside the database.",
            "Name mix: very common names and prefixes (nguyen van, nguyen, van, thi, ng …), "
            "single given names with and without tones, full names and given names of random "
            "members, names in the grassroots org. Number mix: card numbers and CCCD of random "
            "members and one that does not exist.",
            f"Slowest queries: {slowest}.",
        ],
        database=label,
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
