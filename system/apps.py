from django.apps import AppConfig


class SystemConfig(AppConfig):
    name = "system"
    verbose_name = "System health"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
