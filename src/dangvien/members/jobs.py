"""The members app's jobs, found by dangvien.jobs (it imports every app's `jobs` module): the
import and the export register their kinds where their code is; the quality run in `tasks`."""

from dangvien.members import exports, imports, tasks

__all__ = ["exports", "imports", "tasks"]
