"""The procedures app's jobs, found by dangvien.jobs (it imports every app's `jobs` module)."""

from dangvien.procedures import document_jobs

__all__ = ["document_jobs"]
