from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "dangvien.core"
    label = "core"
    verbose_name = "Lõi hệ thống"
