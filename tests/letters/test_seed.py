import pytest
from django.core.management import call_command

from letters.models import LetterKind, LetterTemplate

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_each_demo_organisation_every_default_template_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    for code in ("WCH", "CAH"):
        kinds = list(
            LetterTemplate.objects.filter(organisation__code=code).values_list("kind", flat=True)
        )
        assert sorted(kinds) == sorted(LetterKind.values)
