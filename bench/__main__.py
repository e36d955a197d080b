"""`python -m bench [--scale hanoi] [--only demo] [--no-docs]`: run benchmarks, update the docs."""

from __future__ import annotations

import argparse

from bench import DOCS, REGISTRY, Result, update_docs
from bench import badges as _badges  # noqa: F401
from bench import demo as _demo  # noqa: F401  (registers the benchmark)
from bench import exports as _exports  # noqa: F401
from bench import handbook as _handbook  # noqa: F401
from bench import imports as _imports  # noqa: F401
from bench import load as _load  # noqa: F401
from bench import procedure_docs as _procedure_docs  # noqa: F401
from bench import procedures as _procedures  # noqa: F401
from bench import quality as _quality  # noqa: F401
from bench import reports as _reports  # noqa: F401
from bench import search as _search  # noqa: F401


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scale",
        default="hanoi",
        choices=["tiny", "district", "hanoi", "national"],
        help="scale of the demo dataset (default: hanoi)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only",
        action="append",
        choices=sorted(REGISTRY),
        help="run only this benchmark (repeatable); default: all",
    )
    parser.add_argument("--no-docs", action="store_true", help=f"do not update {DOCS.name}")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="measure on an existing loaded SQLite database in DIR (a DANGVIEN_VAR directory)",
    )
    parser.add_argument("--rows", type=int, help="import: rows in the file (default 457397)")
    parser.add_argument("--format", choices=["xlsx", "csv"], help="import: file format (xlsx)")
    parser.add_argument("--workers", type=int, help="load: gunicorn workers (default 3)")
    parser.add_argument("--seconds", type=int, help="load: seconds of the measured run (30)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    options = parser.parse_args(argv)
    if options.list:
        for name, bench in sorted(REGISTRY.items()):
            print(f"{name}: {bench.help}")
        return
    results: list[Result] = []
    for name in options.only or sorted(REGISTRY):
        results += REGISTRY[name].run(options)
    for result in results:
        print()
        for label, value, target in result.rows:
            print(f"  {label}: {value}" + (f"  [{target}]" if target else ""))
    if not options.no_docs:
        update_docs(results)
        print(f"\nwritten to {DOCS.relative_to(DOCS.parent.parent)}")


if __name__ == "__main__":
    main()
