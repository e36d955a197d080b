from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "dangvien.office"
    verbose_name = "Văn bản"
