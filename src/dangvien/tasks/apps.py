import importlib

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules

# Modules registering handlers that are not named `tasks` (the member import lives with its code).
HANDLER_MODULES = ["dangvien.members.imports.tasks", "dangvien.members.exports"]


class TasksConfig(AppConfig):
    name = "dangvien.tasks"
    verbose_name = "Tác vụ nền"

    def ready(self) -> None:
        # Handlers register themselves when their module is imported: every app's `tasks` module
        # and the modules above are loaded in the web process and the worker alike.
        autodiscover_modules("tasks")
        for module in HANDLER_MODULES:
            importlib.import_module(module)
