"""C08: an incident holds only acts the choices know, whoever writes it. The services refuse
any other with a message beside the field, and a check constraint backs them (the
monitoring dashboard once failed on an act it could not label)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from cases.models import Incident, IncidentActEntry
from cases.services.records import incident_record, incident_update
from tests.cases.conftest import local
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast):
    return make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)


def record(case, by, **overrides):
    kwargs = {
        "case": case,
        "by": by,
        "occurred_at": timezone.now() - timedelta(days=1),
        "description": "Shouting at the door",
        "acts": ["verbal_abuse"],
    }
    kwargs.update(overrides)
    return incident_record(**kwargs)


def test_c08_incident_record_refuses_an_act_that_is_not_a_choice(cast, case):
    with pytest.raises(ValidationError) as problem:
        record(case, cast.officer, acts=["verbal_abuse", "shouting"])
    assert problem.value.message_dict["acts"] == ["Choose what happened from the list offered."]
    assert not Incident.objects.exists()


def test_c08_incident_record_refuses_a_ground_that_is_not_a_choice(cast, case):
    with pytest.raises(ValidationError) as problem:
        record(case, cast.officer, grounds=["postcode"], perceived_by="victim")
    assert problem.value.message_dict["grounds"] == ["Choose the grounds from the list offered."]
    assert not Incident.objects.exists()


def test_c08_incident_update_refuses_an_act_that_is_not_a_choice(cast, case):
    incident = record(case, cast.officer)
    with pytest.raises(ValidationError) as problem:
        incident_update(
            incident=incident,
            by=cast.officer,
            reason="Typed wrongly",
            expected_version=incident.version,
            acts=["shouting"],
        )
    assert "acts" in problem.value.message_dict
    assert list(incident.acts.values_list("act", flat=True)) == ["verbal_abuse"]


def test_c08_a_posted_act_not_offered_is_refused_beside_the_field_with_input_kept(
    client, cast, case
):
    client.force_login(cast.officer)
    response = client.post(
        reverse("cases:incident_add", args=[case.pk]),
        {
            "occurred_at": local(timezone.now() - timedelta(days=1)),
            "location": "Car park",
            "description": "Car scratched and a note left",
            "acts": ["shouting"],
            "police_reported": "unknown",
        },
    )
    assert response.status_code == 200
    assert "acts" in response.context["form"].errors
    assert b"Car scratched and a note left" in response.content
    assert not Incident.objects.exists()


def test_c08_the_database_refuses_an_unknown_act_from_any_writer(cast, case):
    incident = record(case, cast.officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentActEntry.objects.create(incident=incident, act="shouting")


BEFORE = [("cases", "0016_online_report_submission_key")]
AFTER = [("cases", "0017_incident_act_known")]


@pytest.fixture
def back_to_the_latest_schema():
    """The tests that follow need every migration applied, whatever this one asserts."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_migration_turns_unknown_acts_into_other_before_adding_the_check(cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    lone = record(case, cast.officer)
    with_other = record(case, cast.officer, acts=["other", "threats"])
    two_unknown = record(case, cast.officer, acts=["assault"])
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("cases", "IncidentActEntry")
    old.objects.create(incident_id=lone.pk, act="shouting")
    old.objects.create(incident_id=with_other.pk, act="spitting")
    old.objects.create(incident_id=two_unknown.pk, act="shouting")
    old.objects.create(incident_id=two_unknown.pk, act="spitting")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)

    def acts(incident):
        return sorted(
            IncidentActEntry.objects.filter(incident=incident).values_list("act", flat=True)
        )

    assert acts(lone) == ["other", "verbal_abuse"]
    assert acts(with_other) == ["other", "threats"]
    assert acts(two_unknown) == ["assault", "other"]
