"""Load a large organisation's history to measure the dashboards (default 100,000 cases).

    manage.py seed_volume --cases 100000

Creates (or reuses) the organisation ``VOL`` ("Volume Test Homes") with its own areas,
users and support agencies, and writes cases spread over the last three years with
``bulk_create``: their incidents, parties and deadlines and, unless ``--without-casework``,
support offers, action plans, enforcement, repairs and closures. Refuses with
DEBUG off unless ``--force``: never run it on a live installation.
"""

from datetime import timedelta
from time import monotonic

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Area, Membership, Organisation, Role, User
from cases.models import Case
from dashboards.generation import Cast, cases_generate
from support.services.referrals import agencies_ensure_defaults

AREAS = (
    "Northgate",
    "Southmead",
    "Riverside",
    "Hillcrest",
    "Old Town",
    "Eastfields",
    "Westbury",
    "Parkside",
)


class Command(BaseCommand):
    help = "Write many generated cases to one organisation (VOL) to measure the dashboards."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--force", action="store_true")
        parser.add_argument(
            "--without-casework",
            action="store_true",
            help="leave out support, plans, enforcement, repairs and closures (faster)",
        )

    def handle(self, *args, cases: int, years: int, force: bool, without_casework: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_volume writes test data; it refuses with DEBUG off.")
        organisation, _ = Organisation.objects.get_or_create(
            code="VOL", defaults={"name": "Volume Test Homes", "homes_owned": 60_000}
        )
        areas = [Area.objects.get_or_create(organisation=organisation, name=n)[0] for n in AREAS]
        agencies_ensure_defaults(organisation=organisation)  # support is offered through them
        officers = [self._member(organisation, f"vol-officer{i}", Role.OFFICER) for i in range(12)]
        manager = self._member(organisation, "vol-manager", Role.MANAGER)
        staff = self._member(organisation, "vol-staff", Role.STAFF)
        have = Case.objects.filter(organisation=organisation).count()
        wanted = max(cases - have, 0)
        started = monotonic()
        now = timezone.now()
        if wanted:
            cases_generate(
                cast=Cast(organisation, staff, officers, manager, areas),
                count=wanted,
                start=now - timedelta(days=365 * years),
                end=now,
                seed=have + 1,
                casework=not without_casework,
            )
        self.stdout.write(
            f"VOL has {have + wanted} cases ({wanted} written in {monotonic() - started:.1f} s). "
            "Its users have no password; measure with: manage.py dashboard_timing"
        )

    def _member(self, organisation, local_part: str, role: str) -> User:
        email = f"{local_part}@vol.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, full_name=local_part)
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
        return user
