from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_PASSWORD, seed_organisations


class Command(BaseCommand):
    help = "Create demonstration organisations, users and cases. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (never on a live installation).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates demonstration users with a published password. It refuses "
                "to run with DEBUG off; pass --force if this really is a demonstration site."
            )
        logins = seed_organisations()
        from letters.demo import seed_letter_templates

        seed_letter_templates()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.organisation}  {login.role:<22} {login.email}")
