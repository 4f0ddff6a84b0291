from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    name = "twofactor"
    verbose_name = "Two-factor sign-in"

    def ready(self) -> None:
        from outbox.registry import register

        from .services.reset import RESET_EMAIL, reset_email_render

        register(RESET_EMAIL, render=reset_email_render)
