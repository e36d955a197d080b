from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "dangvien.members"
    label = "members"
    verbose_name = "Đảng viên"
