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
        from cases.demo import seed_cases
        from cases.online.demo import seed_online_reports
        from dashboards.demo import seed_demo_cases
        from letters.demo import seed_letter_templates
        from transfers.demo import seed_panels

        self._seed_casework()
        # A year of generated history first: it only fills an organisation with no cases yet.
        for code, count in seed_demo_cases().items():
            if count:
                self.stdout.write(f"  {code}: {count} cases of demo history for the dashboards")
        new_cases = seed_cases()
        seed_online_reports()
        seed_letter_templates()
        panel_logins = seed_panels()
        self.stdout.write(self.style.SUCCESS(f"Demo data is in place ({new_cases} new cases)."))
        self.stdout.write(f"Every demo user's password: {DEMO_PASSWORD}")
        for login in logins:
            self.stdout.write(f"  {login.organisation}  {login.role:<22} {login.email}")
        for line in panel_logins:
            self.stdout.write(line)
        self._second_factor(logins)

    def _second_factor(self, logins):
        """Every demo user signs in with a second factor too. With DEBUG on they share one
        known authenticator secret, printed here; on a --force demo site with DEBUG off they
        each set one up at their first sign-in (the secret is never printed there)."""
        from twofactor.demo import demo_code, demo_secret_grouped, seed_demo_authenticators

        if not settings.DEBUG:
            self.stdout.write(
                "Two-factor sign-in: each demo user sets up an authenticator app at first sign-in."
            )
            return
        seed_demo_authenticators(domains=sorted({login.email.split("@")[1] for login in logins}))
        self.stdout.write(
            "Two-factor sign-in: after the password, Haven asks for a code. Every demo user's "
            f"authenticator secret is {demo_secret_grouped()} (time-based, 6 digits): add it "
            "to an authenticator app, or run `.venv/bin/python manage.py demo_code` for the "
            f"current code (now {demo_code()})."
        )

    def _seed_casework(self):
        """The default risk matrix (W10) and W12's agencies for each demo organisation."""
        from accounts.models import Organisation
        from risk.services import question_set_ensure_default
        from support.services.referrals import agencies_ensure_defaults

        for organisation in Organisation.objects.filter(code__in=["WCH", "CAH"]):
            question_set_ensure_default(organisation=organisation)
            agencies_ensure_defaults(organisation=organisation)
