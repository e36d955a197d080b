from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "dangvien.procedures"
    verbose_name = "Thủ tục đảng viên"

    def ready(self) -> None:
        # Procedures kept in modules of their own add their flow to `flows` on import.
        from dangvien.core.paths import register_path_rebase
        from dangvien.procedures import badges, recognition  # noqa: F401
        from dangvien.procedures.services import paths_rebase

        register_path_rebase(paths_rebase)
