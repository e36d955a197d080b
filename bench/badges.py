"""The badge list of an award day: `python -m bench --only badges`.

On a loaded demo database (a scratch one at `--scale`, or `--reuse DIR`), a child process
(`python -m bench.badges --child`) takes the province with the most members and, of this year's
award days, the one whose list is the longest there (the hard case: the busiest round of the
largest province), then times `badges.badge_list` as the province's staff sees it (the SQL
windows on the admission date and the Python that turns members into rows), beside two floors
from the same run: `SELECT 1`, and the bare SQL of the same windows counted, without the scope,
the fields or the milestones.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from bench import Result, benchmark, ms, timed
from bench.demo import child_on_demo

TARGET = 0.500  # seconds: a province's list of one award date at national scale (issue)
RUNS = 15


def child() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvien.settings")
    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from dangvien.accounts.models import Role, RoleAssignment, User
    from dangvien.core.dates import years_before
    from dangvien.core.paths import subtree_q
    from dangvien.members.models import Member
    from dangvien.members.selectors import member_counts
    from dangvien.orgs.models import Organization
    from dangvien.procedures import badges
    from dangvien.procedures.rules.badge import MILESTONES

    roots = list(Organization.objects.filter(parent__isnull=True))
    counts = member_counts(roots)
    province = max(roots, key=lambda org: (counts.get(org.pk, 0), -org.pk))
    figures: dict[str, Any] = {"members": counts.get(province.pk, 0)}
    with transaction.atomic():
        staff = User.objects.create_user("bench_huyhieu")
        RoleAssignment.objects.create(user=staff, role=Role.PROVINCE_STAFF, org=province)
        year = timezone.localdate().year
        sizes = {
            day: len(badges.badge_list(staff, province, day)) for day in badges.award_days(year)
        }
        day = max(sizes, key=lambda d: (sizes[d], d))
        figures["day"] = day.isoformat()
        figures["rows"] = sizes[day]
        figures["sizes"] = {d.isoformat(): n for d, n in sizes.items()}

        def floor() -> None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()

        previous = badges.previous_award_day(day)

        def bare() -> int:
            """The ids in the windows, as the list's SQL reads them (one range per milestone,
            UNION ALL), without the scope, the fields or the rows."""
            inside = Member.objects.filter(subtree_q("org_path", province.path))
            branches = [
                inside.filter(
                    admission_date__gt=years_before(previous, m),
                    admission_date__lte=years_before(day, m),
                ).values_list("id")
                for m in MILESTONES
            ]
            return len(list(branches[0].union(*branches[1:], all=True)))

        figures["floor"] = timed(floor)
        figures["bare"] = timed(bare)
        figures["list"] = timed(lambda: badges.badge_list(staff, province, day))
        figures["early rows"] = len(badges.badge_list(staff, province, day, early=True))
        figures["early"] = timed(lambda: badges.badge_list(staff, province, day, early=True))
        transaction.set_rollback(True)
    print(json.dumps({"province": province.name, "figures": figures}))


@benchmark("badges", "badges: a province's list of one award date (Huy hiệu Đảng)")
def run(options: Any) -> list[Result]:
    data, label = child_on_demo(options, "badges", "bench.badges")
    return [_result(data, options.scale, label)]


def _result(data: dict[str, Any], scale: str, label: str) -> Result:
    f = data["figures"]
    met = "met" if f["list"][1] <= TARGET else "MISSED"
    sizes = ", ".join(f"{day[8:10]}/{day[5:7]}: {n:,}" for day, n in sorted(f["sizes"].items()))
    rows = [
        (
            f"badge list of {data['province']} ({f['members']:,} members), award day "
            f"{f['day'][8:10]}/{f['day'][5:7]}/{f['day'][:4]} ({f['rows']:,} rows)",
            ms(f["list"]),
            f"≤ {TARGET * 1000:,.0f} ms ({met})" if scale == "national" else "",
        ),
        (
            f"… with the seriously ill who may be proposed early ({f['early rows']:,} rows)",
            ms(f["early"]),
            "",
        ),
        ("floor: SELECT 1", ms(f["floor"]), ""),
        ("floor: the bare SQL of the same windows in the province (ids only)", ms(f["bare"]), ""),
    ]
    return Result(
        name="badges",
        key=f"badges-{scale}",
        title=f"Badge list of an award day, scale `{scale}`",
        rows=rows,
        notes=[
            f"{RUNS} runs after a warm-up, as the province's staff (a user created inside a "
            "transaction rolled back afterwards). The award day measured is the one of this "
            f"year with the longest list in that province (rows by award day: {sizes}).",
            "The list is the whole round (every row, not a page): the page cuts it after.",
        ],
        database=label,
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
