from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "dangvien.quality"
    label = "quality"
    verbose_name = "Chất lượng dữ liệu"
