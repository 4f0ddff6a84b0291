import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_dashboard_cache():
    """Each test computes its own figures: the dashboards cache their tables."""
    cache.clear()
    yield
    cache.clear()
