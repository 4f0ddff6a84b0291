"""Case-file factories: cases are opened through the intake service, as in the app."""

from datetime import timedelta

import factory
from django.utils import timezone

from cases.models import Person
from cases.models.choices import Category, Channel, ReporterType
from cases.services.intake import case_open


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Resident {n} Example")
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)


def make_case(organisation, logged_by, **overrides):
    fields = {
        "received_at": timezone.now() - timedelta(hours=2),
        "channel": Channel.PHONE,
        "reporter_type": ReporterType.VICTIM,
        "category": Category.HARASSMENT,
        "summary": "Shouting and banging on the door at night.",
    }
    fields.update(overrides)
    return case_open(organisation=organisation, logged_by=logged_by, **fields)
