"""The members app's jobs, found by dangvien.jobs (it imports every app's `jobs` module): the
import and the export register their kinds where their code is."""

from dangvien.members import exports
from dangvien.members.imports import tasks

__all__ = ["exports", "tasks"]
