"""What users see of background work: a `Job` row per piece of long work (an import, an export,
a check), its progress, summary and result file, over the django-tasks queue (database backend).

An app registers a kind of job with `@job(...)` (jobs.registry) in its `jobs` or `tasks` module,
which `JobsConfig.ready` imports in the web process and the worker alike; `jobs` names no app.
"""
