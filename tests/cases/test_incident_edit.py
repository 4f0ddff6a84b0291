"""Correcting a recorded incident: acts, grounds, police reporting, history and locking."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseParty, Incident, IncidentActEntry
from cases.services.parties import party_add
from cases.services.records import StaleIncidentError, incident_record, incident_update
from dashboards.filters import reporting_year_of
from dashboards.selectors.nm01 import nm01_counts
from support.services.police import incident_police_update
from tests.cases.conftest import local
from tests.cases.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(cast):
    return make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)


def record(case, by, **kwargs):
    fields = {
        "occurred_at": timezone.now() - timedelta(days=1),
        "description": "Shouting at the door",
        "acts": ["verbal_abuse", "threats"],
    }
    fields.update(kwargs)
    return incident_record(case=case, by=by, **fields)


def update(incident, by, **changes):
    incident.refresh_from_db()
    return incident_update(
        incident=incident,
        by=by,
        reason=changes.pop("reason", "Recorded wrongly"),
        expected_version=changes.pop("expected_version", incident.version),
        **changes,
    )


def acts_of(incident):
    return set(incident.acts.values_list("act", flat=True))


def grounds_of(incident):
    return set(incident.grounds.values_list("ground", flat=True))


def edit_url(incident):
    return reverse("cases:incident_edit", args=[incident.case_id, incident.pk])


def form_data(incident, **overrides):
    """What the edit form posts back for ``incident`` unchanged, with ``overrides``."""
    data = {
        "occurred_at": local(incident.occurred_at),
        "location": incident.location,
        "description": incident.description,
        "acts": sorted(acts_of(incident)),
        "grounds": sorted(grounds_of(incident)),
        "perceived_by": incident.perceived_by,
        "police_reported": incident.police_reported,
        "police_advice": incident.police_advice,
        "crime_reference": incident.crime_reference,
        "police_officer": incident.police_officer,
        "version": incident.version,
        "reason": "Wrong details taken on the phone",
    }
    data.update(overrides)
    return data


# The service -----------------------------------------------------------------------------


def test_c08_correcting_an_incident_replaces_its_acts_and_keeps_the_unchanged_rows(cast, case):
    incident = record(case, cast.officer)
    kept = IncidentActEntry.objects.get(incident=incident, act="verbal_abuse")

    update(incident, cast.officer, acts=["verbal_abuse", "graffiti", "graffiti"])

    assert acts_of(incident) == {"verbal_abuse", "graffiti"}
    assert IncidentActEntry.objects.filter(pk=kept.pk).exists()  # not deleted and re-added


def test_w04_correcting_an_incident_replaces_its_grounds_and_who_perceived_them(cast, case):
    incident = record(case, cast.officer, grounds=["race", "religion"], perceived_by="victim")

    update(incident, cast.officer, grounds=["religion", "nationality"], perceived_by="other")

    incident.refresh_from_db()
    assert grounds_of(incident) == {"religion", "nationality"}
    assert incident.perceived_by == "other"


def test_what_is_left_out_of_a_correction_stays_as_it_was(cast, case):
    incident = record(
        case, cast.officer, location="Stairwell", grounds=["age"], perceived_by="other"
    )

    update(incident, cast.officer, location="Car park")

    incident.refresh_from_db()
    assert incident.location == "Car park"
    assert incident.description == "Shouting at the door"
    assert acts_of(incident) == {"verbal_abuse", "threats"}
    assert grounds_of(incident) == {"age"}


def test_w14_police_reporting_is_corrected(cast, case):
    incident = record(case, cast.officer)

    update(
        incident,
        cast.officer,
        police_reported="yes",
        police_advice="101",
        crime_reference="HC/55/26",
        police_officer="PC 1234 Jones",
    )

    incident.refresh_from_db()
    assert (incident.police_reported, incident.crime_reference) == ("yes", "HC/55/26")
    assert (incident.police_advice, incident.police_officer) == ("101", "PC 1234 Jones")


def test_w04_the_hate_ground_flag_follows_a_correction_both_ways_and_nm01_with_it(cast, case):
    year = reporting_year_of(timezone.localdate(case.received_at))

    def counted_as_hate():
        return nm01_counts(organisations=[cast.organisation], year=year)[cast.organisation.pk][
            "hate"
        ]

    incident = record(case, cast.officer)
    case.refresh_from_db()
    assert not case.hate_ground_recorded and counted_as_hate() == 0

    update(incident, cast.officer, grounds=["disability"], perceived_by="victim")
    case.refresh_from_db()
    assert case.hate_ground_recorded and counted_as_hate() == 1

    update(incident, cast.officer, grounds=[])
    case.refresh_from_db()
    assert not case.hate_ground_recorded and counted_as_hate() == 0
    flag_change = case.history.latest()
    assert flag_change.history_change_reason == "Hostility on a protected ground no longer recorded"


def test_w04_a_ground_on_another_incident_keeps_the_case_flag_when_one_is_removed(cast, case):
    first = record(case, cast.officer, grounds=["race"], perceived_by="victim")
    record(case, cast.officer, grounds=["race"], perceived_by="victim")

    update(first, cast.officer, grounds=[])

    case.refresh_from_db()
    assert case.hate_ground_recorded


def test_w03_course_of_conduct_is_unaffected_when_the_people_are_unchanged(cast, case):
    victim = party_add(
        case=case,
        by=cast.officer,
        role="victim",
        person=PersonFactory(organisation=cast.organisation),
    )
    perpetrator = party_add(
        case=case, by=cast.officer, role="perpetrator", perpetrator_kind="unknown"
    )
    first = record(case, cast.officer, parties=[victim, perpetrator])
    record(case, cast.officer, parties=[victim, perpetrator])
    case.refresh_from_db()
    assert case.course_of_conduct
    changes_before = case.history.count()

    update(first, cast.officer, acts=["assault"], location="Lift lobby")

    case.refresh_from_db()
    assert case.course_of_conduct
    assert set(first.parties.all()) == {victim, perpetrator}
    assert case.history.count() == changes_before  # no flag change recorded


def test_a_correction_needs_the_officers_reason(cast, case):
    incident = record(case, cast.officer)
    with pytest.raises(ValidationError) as refused:
        update(incident, cast.officer, reason="  ", acts=["assault"])
    assert refused.value.message_dict == {"reason": ["Say why you are changing this incident."]}
    assert acts_of(incident) == {"verbal_abuse", "threats"}


def test_only_an_incidents_own_fields_can_be_corrected(cast, case):
    incident = record(case, cast.officer)
    with pytest.raises(TypeError):
        update(incident, cast.officer, case=make_case(cast.organisation, cast.staff))


# The same rules when recording and when correcting ---------------------------------------


RULES = {
    # rule: (the fields that break it, the field its message is beside)
    "in_the_future": (lambda: {"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at"),
    "c08_no_act": (lambda: {"acts": []}, "acts"),
    "w04_ground_without_who_perceived": (
        lambda: {"grounds": ["race"], "perceived_by": ""},
        "perceived_by",
    ),
    "w14_crime_reference_without_a_report": (
        lambda: {"police_reported": "no", "crime_reference": "CR-1"},
        "crime_reference",
    ),
    "before_someone_involved_was_born": (
        lambda: {"occurred_at": timezone.now() - timedelta(days=10)},
        "occurred_at",
    ),
}


@pytest.mark.parametrize("rule", RULES)
def test_recording_and_correcting_refuse_the_same_incident_for_the_same_reason(cast, case, rule):
    breaking, field = RULES[rule][0](), RULES[rule][1]
    baby = PersonFactory(
        organisation=case.organisation, date_of_birth=timezone.localdate() - timedelta(days=3)
    )
    # A correction keeps the people involved: it is the new date that is checked against
    # their dates of birth, so the baby is involved from the start for that rule.
    parties = []
    if rule == "before_someone_involved_was_born":
        parties = [CaseParty.objects.create(case=case, person=baby, role="witness")]
    incident = record(
        case, cast.officer, occurred_at=timezone.now() - timedelta(hours=1), parties=parties
    )

    with pytest.raises(ValidationError) as on_recording:
        record(case, cast.officer, parties=parties, **breaking)
    with pytest.raises(ValidationError) as on_correcting:
        update(incident, cast.officer, **breaking)

    assert list(on_recording.value.message_dict) == [field]
    assert on_correcting.value.message_dict == on_recording.value.message_dict
    assert Incident.objects.filter(case=case).count() == 1
    incident.refresh_from_db()
    assert incident.version == 1


# History ----------------------------------------------------------------------------------


def test_the_incidents_history_keeps_who_why_and_the_acts_and_grounds_before_and_after(cast, case):
    incident = record(case, cast.officer, grounds=["race"], perceived_by="victim")

    update(
        incident,
        cast.officer,
        reason="Victim says it was graffiti, not shouting",
        acts=["graffiti", "threats"],
        grounds=["race", "religion"],
        location="Block C",
    )

    change = incident.history.latest()
    assert change.history_type == "~"
    assert change.history_user == cast.officer
    assert change.history_change_reason == (
        "Incident corrected: Victim says it was graffiti, not shouting\n"
        "What happened: Threats of violence, Verbal abuse or insults → "
        "Graffiti or offensive written material, Threats of violence\n"
        "Hostility perceived because of: Race or ethnicity → Race or ethnicity, Religion or belief"
    )
    assert change.location == "Block C" and change.prev_record.location == ""


def test_audit_trail_shows_an_incident_correction_readably(client, cast, case):
    incident = record(case, cast.officer)
    client.force_login(cast.officer)
    client.post(
        edit_url(incident),
        form_data(
            incident,
            acts=["verbal_abuse", "graffiti"],
            grounds=["race"],
            perceived_by="victim",
            police_reported="yes",
            reason="Graffiti seen on the door",
        ),
    )

    client.force_login(cast.manager)
    body = client.get(reverse("cases:audit", args=[case.pk])).content.decode()
    day = f"{timezone.localtime(incident.occurred_at):%-d %b %Y}"
    assert f"Changed: Incident of {day}" in body
    assert "Incident corrected: Graffiti seen on the door<br>" in body
    assert "What happened: Threats of violence, Verbal abuse or insults → " in body
    assert "Hostility perceived because of: none → Race or ethnicity" in body
    # Choices read as on the case page, and the locking version is not shown.
    assert "police reported: Not known → Reported to the police" in body
    assert "Version:" not in body and "version:" not in body
    assert "Hostility on a protected ground recorded" in body  # the case's flag


# Optimistic locking -----------------------------------------------------------------------


def test_a_correction_from_a_stale_version_is_refused_by_the_service(cast, case):
    incident = record(case, cast.officer)
    update(incident, cast.officer, acts=["assault"])
    with pytest.raises(StaleIncidentError):
        update(incident, cast.manager, expected_version=1, acts=["arson"])
    assert acts_of(incident) == {"assault"}


def test_second_officer_correcting_a_stale_incident_gets_a_clear_message_and_keeps_input(
    client, cast, case
):
    incident = record(case, cast.officer)
    opened_by_both = form_data(incident)
    client.force_login(cast.officer)
    first = {**opened_by_both, "acts": ["assault"], "reason": "It was an assault"}
    assert client.post(edit_url(incident), first).status_code == 302

    client.force_login(cast.manager)
    second = {**opened_by_both, "acts": ["arson"], "description": "Fire set at the door"}
    response = client.post(edit_url(incident), second)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this incident after you opened it." in body
    assert "Fire set at the door" in body  # their input is kept
    form = response.context["form"]
    assert form["acts"].value() == ["arson"]
    assert acts_of(incident) == {"assault"}
    assert 'data-testid="incident-current"' in body and "Physical assault" in body
    # Having seen the message, saving again on purpose goes through.
    response = client.post(edit_url(incident), {**second, "version": form.data["version"]})
    assert response.status_code == 302
    assert acts_of(incident) == {"arson"}


def test_w14_police_details_saved_meanwhile_make_a_correction_stale(cast, case):
    incident = record(case, cast.officer)
    opened_at = incident.version
    incident_police_update(
        incident=incident,
        by=cast.manager,
        police_reported="yes",
        police_advice="",
        crime_reference="HC/9/26",
        police_officer="",
    )
    with pytest.raises(StaleIncidentError):
        update(incident, cast.officer, expected_version=opened_at, police_reported="unknown")
    incident.refresh_from_db()
    assert incident.crime_reference == "HC/9/26"


# The page ----------------------------------------------------------------------------------


def test_edit_form_is_prefilled_with_the_incident(client, cast, case):
    incident = record(
        case,
        cast.officer,
        location="Bin store",
        grounds=["age", "disability"],
        perceived_by="other",
        police_reported="yes",
        crime_reference="CR-9",
    )
    client.force_login(cast.officer)
    response = client.get(edit_url(incident))
    form = response.context["form"]
    assert sorted(form["acts"].value()) == ["threats", "verbal_abuse"]
    assert sorted(form["grounds"].value()) == ["age", "disability"]
    assert form["perceived_by"].value() == "other"
    assert form["crime_reference"].value() == "CR-9"
    assert form["version"].value() == 1
    body = response.content.decode()
    assert re.search(r'<input[^>]*name="grounds"[^>]*value="age"[^>]*checked', body)
    assert "Why are you changing this incident?" in body
    assert "csrfmiddlewaretoken" in body


def test_officer_corrects_an_incident_and_returns_to_the_case_page(client, cast, case):
    incident = record(case, cast.officer)
    client.force_login(cast.officer)
    response = client.post(
        edit_url(incident),
        form_data(incident, grounds=["sexual_orientation"], perceived_by="victim"),
        follow=True,
    )
    assert response.redirect_chain == [(reverse("cases:detail", args=[case.pk]), 302)]
    body = response.content.decode()
    assert "Incident corrected." in body
    assert "because of: Sexual orientation" in body


def test_errors_are_shown_beside_the_fields_with_the_input_kept(client, cast, case):
    incident = record(case, cast.officer)
    client.force_login(cast.officer)
    response = client.post(
        edit_url(incident),
        form_data(
            incident,
            description="Neighbour banged on the wall",
            police_reported="no",
            crime_reference="CR-404",
            reason="",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reason"] == ["This field is required."]
    assert "Neighbour banged on the wall" in response.content.decode()
    # The reason given, the service's rules put their message beside the field too.
    response = client.post(
        edit_url(incident),
        form_data(incident, police_reported="no", crime_reference="CR-404", description="Banging"),
    )
    errors = response.context["form"].errors
    assert errors["crime_reference"] == ["A crime reference means it was reported to the police."]
    assert "Banging" in response.content.decode()
    incident.refresh_from_db()
    assert incident.crime_reference == "" and incident.version == 1


def test_a_correction_must_be_posted_with_the_csrf_token(cast, case):
    incident = record(case, cast.officer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer)
    response = client.post(edit_url(incident), form_data(incident, acts=["arson"]))
    assert response.status_code == 403
    assert acts_of(incident) == {"verbal_abuse", "threats"}


def test_an_incident_of_another_case_is_404(client, cast, case):
    incident = record(case, cast.officer)
    other = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    client.force_login(cast.officer)
    url = reverse("cases:incident_edit", args=[other.pk, incident.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(incident, acts=["arson"])).status_code == 404


def test_a_restricted_case_incident_is_404_for_an_officer_not_named(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.manager)
    incident = record(case, cast.manager)
    Case.objects.filter(pk=case.pk).update(restricted=True)
    client.force_login(cast.officer)
    assert client.get(edit_url(incident)).status_code == 404
    assert client.post(edit_url(incident), form_data(incident, acts=["arson"])).status_code == 404
    assert acts_of(incident) == {"verbal_abuse", "threats"}


@pytest.mark.parametrize(
    ("role", "shown"),
    [("staff", False), ("officer", True), ("manager", True), ("admin", False)],
)
def test_the_edit_link_is_beside_each_incident_for_those_who_may_edit(
    client, cast, case, role, shown
):
    incidents = [record(case, cast.officer), record(case, cast.officer)]
    client.force_login(cast.by_role()[role])
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for incident in incidents:
        assert (f'href="{edit_url(incident)}"' in body) is shown
