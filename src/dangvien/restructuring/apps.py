from django.apps import AppConfig


class RestructuringConfig(AppConfig):
    name = "dangvien.restructuring"
    verbose_name = "Sắp xếp tổ chức"
