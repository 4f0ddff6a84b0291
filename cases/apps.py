from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"

    def ready(self) -> None:
        from outbox.registry import register

        from .services.online import ACKNOWLEDGEMENT, acknowledgement_render, acknowledgement_sent

        register(ACKNOWLEDGEMENT, render=acknowledgement_render, sent=acknowledgement_sent)
