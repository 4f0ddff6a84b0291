"""The fault experiments (issue 16): each starts its own Redis, web server, worker and beat
against the test database, injects one fault and counts what survived.

They run only with HAVEN_FAULTS=1 (``.ci/run`` sets it) and on PostgreSQL: several
processes write at once, which SQLite's single writer cannot take."""

import os

import pytest
from django.db import connection

from accounts.models import Role
from tests.factories import OrganisationFactory, member

from .stack import Stack
from .workload import People


def pytest_collection_modifyitems(config, items):
    if os.environ.get("HAVEN_FAULTS") == "1":
        return
    skip = pytest.mark.skip(
        reason="fault experiment: starts Redis, gunicorn and Celery and stops them on purpose; "
        "run by .ci/run (HAVEN_FAULTS=1 on PostgreSQL)"
    )
    for item in items:
        if item.get_closest_marker("fault"):
            item.add_marker(skip)


@pytest.fixture
def stack(transactional_db, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("fault experiments need PostgreSQL (several processes write at once)")
    stack = Stack(folder=tmp_path)
    yield stack
    stack.close()
    print(f"\n(logs of this experiment: {tmp_path})")


@pytest.fixture
def people(transactional_db) -> People:
    organisation = OrganisationFactory(name="Fault Housing", code="FLT")
    return People(
        organisation=organisation,
        officer=member(organisation, Role.OFFICER, full_name="Fiona Officer"),
        admin=member(organisation, Role.ORG_ADMIN, full_name="Alan Admin"),
    )
