from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dangvien.demo"
    verbose_name = "Dữ liệu mẫu"
