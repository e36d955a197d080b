from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "dangvien.jobs"
    verbose_name = "Tác vụ nền"

    def ready(self) -> None:
        # Kinds register themselves when their module is imported: every app's `jobs` and `tasks`
        # modules are loaded here, so the web process and every worker know the same kinds.
        autodiscover_modules("jobs", "tasks")
