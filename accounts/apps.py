from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and organisations"

    def ready(self) -> None:
        from outbox.registry import register

        from .services.invitations import INVITATION, invitation_render
        from .services.password_reset import PASSWORD_RESET, password_reset_render

        register(INVITATION, render=invitation_render)
        register(PASSWORD_RESET, render=password_reset_render)
