from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Users and organisations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import session_signed_in

        user_logged_in.connect(session_signed_in, dispatch_uid="haven_session_signed_in")
