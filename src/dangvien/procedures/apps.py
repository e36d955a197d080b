from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "dangvien.procedures"
    verbose_name = "Thủ tục đảng viên"
