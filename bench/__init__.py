"""Benchmarks at real scale: `python -m bench` (`make bench`), results in docs/benchmarks.md.

Each benchmark is a function registered under a name with `@benchmark`; it receives the parsed
options and returns a `Result`. `python -m bench --only NAME` runs one; a new benchmark (search,
pages …) is a new module in this package, imported in `bench/__main__.py`.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"


@dataclass
class Result:
    """What one benchmark measured: a heading, the figures as (label, value, target) rows."""

    name: str
    key: str  # identifies the section in docs/benchmarks.md, e.g. "demo-hanoi"
    title: str
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    database: str = "SQLite"

    def markdown(self, machine: str, when: dt.datetime) -> str:
        lines = [
            f"## {self.title}",
            "",
            f"Run {when:%Y-%m-%d %H:%M} UTC on {machine}; database: {self.database}.",
            "",
            "| measure | value | target |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {label} | {value} | {target} |" for label, value, target in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class Benchmark:
    name: str
    help: str
    run: Callable[[Any], list[Result]]


REGISTRY: dict[str, Benchmark] = {}


def timed(fn: Callable[[], Any], runs: int = 15) -> tuple[float, float]:
    """Median and p95 wall time of `runs` calls of `fn` (after one warm-up), in seconds."""
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def ms(pair: tuple[float, float]) -> str:
    """A `timed` pair as the tables show it."""
    return f"median {pair[0] * 1000:,.1f} ms, p95 {pair[1] * 1000:,.1f} ms"


def benchmark(name: str, help: str) -> Callable[[Callable[[Any], list[Result]]], Any]:
    """Register `run(options) -> [Result]` under `name`."""

    def register(run: Callable[[Any], list[Result]]) -> Callable[[Any], list[Result]]:
        REGISTRY[name] = Benchmark(name, help, run)
        return run

    return register


def machine() -> str:
    """Cores, memory, CPU model, Python and SQLite versions: enough to compare two runs."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        if found:
            model = found.group(1).strip()
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s*(\d+) kB", meminfo.read_text(), re.MULTILINE)
        if found:
            memory = f", {int(found.group(1)) / 1024**2:.1f} GiB RAM"
    return (
        f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


HEADER = """# Benchmarks

Measured with `make bench` (`python -m bench`; `BENCH_ARGS="--scale national"`,
`BENCH_ARGS="--only demo"`). Each section is rewritten by the run that measured it; the machine and
date are in the section. Targets come from the project brief.
"""


def update_docs(results: list[Result], path: Path = DOCS) -> None:
    """Replace (or append) each result's section, keeping the others."""
    text = path.read_text() if path.exists() else HEADER
    when = dt.datetime.now(dt.UTC)
    host = machine()
    for result in results:
        begin, end = f"<!-- bench:{result.key} -->", f"<!-- /bench:{result.key} -->"
        section = f"{begin}\n{result.markdown(host, when)}\n{end}"
        pattern = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.DOTALL)
        found = pattern.search(text)
        if found:
            text = text[: found.start()] + section + text[found.end() :]
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
