from django.apps import AppConfig


class HandbookConfig(AppConfig):
    name = "dangvien.handbook"
    label = "handbook"
    verbose_name = "Sổ tay đảng viên"
