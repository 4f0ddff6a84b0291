from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "transfers"

    def ready(self) -> None:
        from outbox.registry import register

        from .services.notifications import (
            DECISION_OFFICER,
            decision_officer_render,
            decision_officer_sent,
        )

        register(DECISION_OFFICER, render=decision_officer_render, sent=decision_officer_sent)
