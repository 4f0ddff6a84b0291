from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and organisations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from outbox.registry import register

        from .middleware import session_signed_in
        from .services.invitations import INVITATION, invitation_render
        from .services.password_reset import PASSWORD_RESET, password_reset_render

        register(INVITATION, render=invitation_render)
        register(PASSWORD_RESET, render=password_reset_render)
        user_logged_in.connect(session_signed_in, dispatch_uid="haven_session_signed_in")
