"""Sent when a job is over (done or failed), outside its transaction: other apps follow up
without `jobs` knowing them (the reports bring their kept figures up to date after an import)."""

from django.dispatch import Signal

job_finished = Signal()  # sender: the Job class; job: the finished Job
