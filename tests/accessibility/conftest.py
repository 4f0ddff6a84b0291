import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The demo organisations, cast and case work (``make demo``'s data)."""
    call_command("seed_demo", "--force", verbosity=0)
