from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReportsConfig(AppConfig):
    name = "dangvien.reports"
    label = "reports"
    verbose_name = "Báo cáo thống kê"

    def ready(self) -> None:
        from dangvien.reports.stored import ensure_built

        post_migrate.connect(ensure_built, sender=self)
