"""A kind of job for the two-worker test: it notes which process ran which job, once per run."""

from __future__ import annotations

import os
import time

from dangvien.jobs.registry import JobContext, job

KIND = "test.note_runner"


@job(KIND)
def note_runner(ctx: JobContext) -> None:
    time.sleep(ctx.params["seconds"])
    # One short append per run: lines of two processes never mix.
    with open(ctx.params["log"], "a") as log:
        log.write(f"{ctx.job.pk} {os.getpid()}\n")
