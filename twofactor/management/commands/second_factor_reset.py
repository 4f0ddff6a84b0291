from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from twofactor.services.reset import second_factor_reset


class Command(BaseCommand):
    help = (
        "Reset a person's two-factor sign-in when no organisation admin can (the only admin "
        "lost every factor). Recorded with the reason; the person is e-mailed."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the account's e-mail address")
        parser.add_argument("--reason", required=True, help="why, e.g. how identity was checked")

    def handle(self, *args, email, reason, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No account has that e-mail address.")
        try:
            second_factor_reset(user=user, by=None, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Two-factor sign-in reset for account {user.pk}: they set up a new "
                "authenticator at their next sign-in, and have been e-mailed."
            )
        )
