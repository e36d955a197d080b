from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "dangvien.procedures"
    verbose_name = "Thủ tục đảng viên"

    def ready(self) -> None:
        # Procedures kept in modules of their own add their flow to `flows` on import.
        from dangvien.procedures import recognition  # noqa: F401
