"""Demo data for letters: every demo organisation gets the default templates. Idempotent."""

from accounts.demo import DEMO_ORGANISATIONS
from accounts.models import Organisation

from .services.templates import letter_templates_ensure_defaults


def seed_letter_templates() -> int:
    created = 0
    codes = [spec.code for spec in DEMO_ORGANISATIONS]
    for organisation in Organisation.objects.filter(code__in=codes):
        created += letter_templates_ensure_defaults(organisation=organisation)
    return created
