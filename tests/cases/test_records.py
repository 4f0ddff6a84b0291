from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseAccess, CaseParty, Contact, Evidence, Incident, Note, Person
from cases.models.choices import HateGround, IncidentAct
from tests.cases.conftest import local
from tests.cases.factories import PersonFactory, make_case

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def case(cast):
    return make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)


def url(name, case, *args):
    return reverse(f"cases:{name}", args=[case.pk, *args])


def person_data(**overrides):
    data = {
        "party-role": "victim",
        "party-perpetrator_kind": "named",
        "person-full_name": "Tomasz Nowak",
        "person-preferred_language": "Polish",
        "person-preferred_format": "large_print",
        "person-tenure": "tenant",
    }
    data.update(overrides)
    return data


def test_w22_preferred_language_format_and_equality_data_with_prefer_not_to_say(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(
        url("party_add", case),
        person_data(
            **{
                "person-interpreter_needed": "on",
                "person-ethnicity": "prefer_not",
                "person-religion": "prefer_not",
                "person-sexual_orientation": "prefer_not",
                "person-gender": "man",
                "person-disability": "yes",
            }
        ),
    )
    assert response.status_code == 302
    person = Person.objects.get(full_name="Tomasz Nowak")
    assert (person.preferred_language, person.preferred_format) == ("Polish", "large_print")
    assert person.interpreter_needed
    assert (person.ethnicity, person.religion, person.sexual_orientation) == ("prefer_not",) * 3
    assert person.marital_status == ""  # not asked, never mistaken for an answer
    body = client.get(url("detail", case)).content.decode()
    assert "Large print" in body and "Polish" in body


def test_w02_every_tenure_can_be_recorded(client, cast, case):
    from cases.models.choices import Tenure

    assert {
        "tenant",
        "leaseholder",
        "jv_tenant",
        "household_member",
        "visitor",
        "not_resident",
    } <= set(Tenure.values)
    client.force_login(cast.officer)
    client.post(url("party_add", case), person_data(**{"person-tenure": "jv_tenant"}))
    assert Person.objects.get().tenure == "jv_tenant"


def test_c10_perpetrator_linked_to_the_tenancy_they_belong_to(client, cast, case):
    tenant = PersonFactory(organisation=cast.organisation, full_name="Linda Hart", tenure="tenant")
    client.force_login(cast.officer)
    response = client.post(
        url("party_add", case),
        person_data(
            **{
                "party-role": "perpetrator",
                "person-full_name": "Jake Hart",
                "person-tenure": "household_member",
                "person-tenancy_holder": str(tenant.pk),
            }
        ),
    )
    assert response.status_code == 302
    jake = Person.objects.get(full_name="Jake Hart")
    assert jake.tenancy_holder == tenant
    assert "of Linda Hart's tenancy" in client.get(url("detail", case)).content.decode()


def test_c10_tenancy_holder_must_belong_to_the_organisation(client, cast, case):
    stranger = PersonFactory(organisation=cast.other_organisation, tenure="tenant")
    client.force_login(cast.officer)
    response = client.post(
        url("party_add", case), person_data(**{"person-tenancy_holder": str(stranger.pk)})
    )
    assert response.status_code == 200
    assert "tenancy_holder" in response.context["person_form"].errors


def test_c11_written_consent_records_who_and_when_and_can_be_withdrawn(client, cast, case):
    client.force_login(cast.officer)
    client.post(url("party_add", case), person_data(**{"person-disclosure_consent": "on"}))
    person = Person.objects.get()
    assert person.disclosure_consent
    assert person.disclosure_consent_recorded_by == cast.officer
    assert person.disclosure_consent_recorded_at is not None
    data = {
        "full_name": person.full_name,
        "preferred_language": "Polish",
        "preferred_format": "standard",
        "tenure": "tenant",
        "version": person.version,
    }
    client.post(reverse("cases:person_edit", args=[person.pk]), data)
    person.refresh_from_db()
    assert not person.disclosure_consent and person.disclosure_consent_recorded_at is None
    assert person.history.count() == 2


def test_c11_party_without_consent_is_shown_as_not_to_be_disclosed(client, cast, case):
    client.force_login(cast.officer)
    client.post(url("party_add", case), person_data())
    assert "identity not to be disclosed (C11)" in client.get(url("detail", case)).content.decode()


def test_c18_one_person_holds_different_roles_in_several_cases(client, cast, case):
    person = PersonFactory(organisation=cast.organisation, full_name="Rosa Diaz")
    later = make_case(cast.organisation, cast.staff)
    CaseParty.objects.create(case=case, person=person, role="complainant")
    CaseParty.objects.create(
        case=later, person=person, role="perpetrator", perpetrator_kind="named"
    )
    client.force_login(cast.manager)
    response = client.get(reverse("cases:person", args=[person.pk]))
    rows = {(p.case.reference, p.role) for p in response.context["roles"]}
    assert rows == {(case.reference, "complainant"), (later.reference, "perpetrator")}
    viewed = CaseAccess.objects.filter(
        action="viewed_person", object_id=person.pk, user=cast.manager
    )
    assert {a.case_id for a in viewed} == {case.pk, later.pk}


def test_c18_existing_person_is_suggested_when_added_to_another_case(client, cast, case):
    existing = PersonFactory(organisation=cast.organisation, full_name="Tomasz Nowak")
    client.force_login(cast.officer)
    response = client.post(url("party_add", case), person_data())
    assert list(response.context["matches"]) == [existing]
    client.post(url("party_add", case), person_data(**{"person-match": str(existing.pk)}))
    assert case.parties.get().person == existing


def test_unknown_and_group_perpetrators_need_no_person(client, cast, case):
    client.force_login(cast.officer)
    client.post(
        url("party_add", case),
        {
            "party-role": "perpetrator",
            "party-perpetrator_kind": "group",
            "party-description": "Youths on bikes",
        },
    )
    party = case.parties.get()
    assert party.person is None and party.display_name == "Group: Youths on bikes"


def incident_data(**overrides):
    data = {
        "occurred_at": local(timezone.now() - timedelta(days=1)),
        "location": "Car park",
        "description": "Car scratched and a note left",
        "acts": ["criminal_damage", "hate_mail", "driving_out"],
        "grounds": ["disability", "illness"],
        "perceived_by": "other",
        "police_reported": "yes",
        "crime_reference": "CR-77",
    }
    data.update(overrides)
    return data


def test_c08_incident_types_cover_both_policies_lists():
    wanted = {
        "verbal_abuse", "threats", "assault", "criminal_damage", "vandalism", "graffiti",
        "hate_mail", "online_abuse", "robbery", "arson", "intimidation", "driving_out",
        "discriminatory_language", "interference",
    }  # fmt: skip
    assert wanted <= set(IncidentAct.values)


def test_c08_incident_records_several_acts(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(url("incident_add", case), incident_data())
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert set(incident.acts.values_list("act", flat=True)) == {
        "criminal_damage",
        "hate_mail",
        "driving_out",
    }
    assert incident.crime_reference == "CR-77"


def test_w04_hostility_perceived_by_another_person_is_enough(client, cast, case):
    client.force_login(cast.officer)
    client.post(
        url("incident_add", case), incident_data(grounds=["transgender"], perceived_by="other")
    )
    incident = Incident.objects.get()
    assert incident.perceived_by == "other"
    assert list(incident.grounds.values_list("ground", flat=True)) == ["transgender"]


def test_w04_grounds_need_someone_who_perceives_them(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(url("incident_add", case), incident_data(perceived_by=""))
    assert "perceived_by" in response.context["form"].errors
    assert Incident.objects.count() == 0


def test_c06_grounds_cover_both_policies():
    assert {
        "disability", "race", "colour", "nationality", "religion", "sexual_orientation",
        "transgender", "gender", "age", "illness",
    } == set(HateGround.values)  # fmt: skip


def test_incident_in_the_future_is_refused_beside_the_field_with_input_kept(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(
        url("incident_add", case),
        incident_data(occurred_at=local(timezone.now() + timedelta(days=1))),
    )
    assert response.context["form"].errors["occurred_at"] == [
        "An incident cannot be in the future."
    ]
    assert b"Car scratched and a note left" in response.content


def test_date_of_birth_after_the_incident_is_refused(client, cast, case):
    baby = PersonFactory(
        organisation=cast.organisation, date_of_birth=timezone.localdate() - timedelta(days=3)
    )
    party = CaseParty.objects.create(case=case, person=baby, role="witness")
    client.force_login(cast.officer)
    response = client.post(
        url("incident_add", case),
        incident_data(occurred_at=local(timezone.now() - timedelta(days=10)), parties=[party.pk]),
    )
    assert "was not yet born" in response.context["form"].errors["occurred_at"][0]
    assert b"Car scratched and a note left" in response.content
    assert Incident.objects.count() == 0


def test_contact_is_recorded_as_data(client, cast, case):
    victim = CaseParty.objects.create(
        case=case, person=PersonFactory(organisation=cast.organisation), role="victim"
    )
    client.force_login(cast.officer)
    response = client.post(
        url("contact_add", case),
        {
            "party": victim.pk,
            "occurred_at": local(timezone.now() - timedelta(minutes=10)),
            "method": "visit",
            "direction": "outbound",
            "purpose": "interview",
            "reached": "on",
            "notes": "Interviewed at home.",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.method, contact.purpose, contact.party, contact.recorded_by) == (
        "visit",
        "interview",
        victim,
        cast.officer,
    )


def test_note_is_added(client, cast, case):
    client.force_login(cast.officer)
    client.post(url("note_add", case), {"text": "Called the police liaison."})
    assert Note.objects.get().author == cast.officer


def upload(name, content, **extra):
    return {
        "kind": "photo",
        "description": "Photo of the graffiti",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }


def test_evidence_upload_gets_a_generated_name_and_downloads_through_a_checked_view(
    client, cast, case
):
    client.force_login(cast.officer)
    response = client.post(url("evidence_add", case), upload("amina-door.png", PNG))
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert "amina" not in evidence.file.name and evidence.storage_key in evidence.file.name
    assert evidence.content_type == "image/png" and evidence.size == len(PNG)
    download = client.get(url("evidence_download", case, evidence.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert "amina" not in download["Content-Disposition"]
    assert CaseAccess.objects.filter(
        case=case, user=cast.officer, action="downloaded_evidence", object_id=evidence.pk
    ).exists()
    client.force_login(cast.outsider)
    assert client.get(url("evidence_download", case, evidence.pk)).status_code == 404


def test_oversized_upload_is_refused_beside_the_field_with_the_rest_kept(
    client, cast, case, settings
):
    settings.HAVEN_EVIDENCE_MAX_BYTES = 40
    client.force_login(cast.officer)
    response = client.post(url("evidence_add", case), upload("big.png", PNG + b"\x00" * 100))
    assert "larger than the limit" in response.context["form"].errors["file"][0]
    assert b"Photo of the graffiti" in response.content
    assert Evidence.objects.count() == 0


def test_disguised_upload_is_refused_by_its_content(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(url("evidence_add", case), upload("photo.png", b"MZ\x90\x00 not a png"))
    assert "not an accepted type" in response.context["form"].errors["file"][0]
    assert b"Photo of the graffiti" in response.content
    assert Evidence.objects.count() == 0


def test_c07_recategorising_records_who_when_why_and_keeps_the_original(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(
        url("recategorise", case),
        {
            "category": "hate_crime",
            "reason": "Victim perceives racial motive",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.category, case.original_category) == ("hate_crime", "harassment")
    latest = case.history.first()
    assert latest.history_user == cast.officer
    assert latest.history_change_reason == "Recategorised: Victim perceives racial motive"
    assert "first logged as Harassment" in client.get(url("detail", case)).content.decode()


def test_c07_recategorising_needs_a_reason(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(
        url("recategorise", case), {"category": "hate_crime", "reason": "", "version": case.version}
    )
    assert "reason" in response.context["form"].errors
    case.refresh_from_db()
    assert case.category == "harassment"


def test_manager_reassigns_with_a_reason(client, cast, case):
    client.force_login(cast.manager)
    client.post(
        url("reassign", case),
        {"officer": cast.manager.pk, "reason": "Officer on leave", "version": case.version},
    )
    case.refresh_from_db()
    assert case.assigned_officer == cast.manager
    assert case.history.first().history_change_reason == "Reassigned: Officer on leave"


def test_restricted_case_is_404_for_an_officer_not_named_until_named(client, cast):
    case = make_case(cast.organisation, cast.staff, assigned_officer=cast.manager)
    other_officer_case_url = url("detail", case)
    client.force_login(cast.manager)
    client.post(
        url("restrict", case),
        {"restricted": "on", "reason": "Staff member's relative", "version": case.version},
    )
    client.force_login(cast.officer)
    assert client.get(other_officer_case_url).status_code == 404
    case.refresh_from_db()
    client.force_login(cast.manager)
    client.post(
        url("restrict", case),
        {
            "restricted": "on",
            "named_staff": [cast.officer.pk],
            "reason": "Officer covers",
            "version": case.version,
        },
    )
    client.force_login(cast.officer)
    assert client.get(other_officer_case_url).status_code == 200


def test_second_officer_saving_a_stale_case_gets_a_clear_message_and_keeps_input(
    client, cast, case
):
    stale_version = case.version
    client.force_login(cast.officer)
    first = {
        "status": "open",
        "risk_level": "high",
        "location": "Block A",
        "summary": "First officer's summary",
        "prior_action": "",
        "version": stale_version,
    }
    assert client.post(url("edit", case), first).status_code == 302
    second = {**first, "location": "Block C", "summary": "Second officer's summary"}
    response = client.post(url("edit", case), second)
    assert response.status_code == 200
    assert "Someone else saved this case" in response.content.decode()
    assert b"Second officer&#x27;s summary" in response.content
    case.refresh_from_db()
    assert case.summary == "First officer's summary"
    # Saving again on purpose, having seen the message, goes through.
    response = client.post(url("edit", case), {**second, "version": case.version})
    assert response.status_code == 302


def test_audit_trail_shows_every_change_and_opening_to_managers(client, cast, case):
    client.force_login(cast.officer)
    client.get(url("detail", case))
    client.post(url("note_add", case), {"text": "A note"})
    client.post(
        url("recategorise", case),
        {"category": "hate_incident", "reason": "Perceived as hate", "version": case.version},
    )
    client.force_login(cast.manager)
    response = client.get(url("audit", case))
    body = response.content.decode()
    assert "Recategorised: Perceived as hate" in body
    assert "Harassment → Hate incident" in body or "harassment → hate_incident" in body
    assert "Created: Note" in body
    assert "Viewed the case" in body
    assert CaseAccess.objects.filter(case=case, action="viewed_history").exists()


def test_c01_another_organisations_case_and_person_are_404(client, cast, case):
    person = PersonFactory(organisation=cast.organisation)
    client.force_login(cast.outsider)
    assert client.get(url("detail", case)).status_code == 404
    assert client.get(reverse("cases:person", args=[person.pk])).status_code == 404
    assert Case.objects.filter(organisation=cast.other_organisation).count() == 0


def test_party_added_in_error_is_removed_but_not_once_contacts_exist(client, cast, case):
    victim = CaseParty.objects.create(
        case=case, person=PersonFactory(organisation=cast.organisation), role="victim"
    )
    witness = CaseParty.objects.create(
        case=case, person=PersonFactory(organisation=cast.organisation), role="witness"
    )
    Contact.objects.create(
        case=case,
        party=victim,
        occurred_at=timezone.now(),
        method="phone",
        direction="outbound",
        purpose="first_contact",
        recorded_by=cast.officer,
    )
    client.force_login(cast.officer)
    assert (
        reverse("cases:party_remove", args=[case.pk, witness.pk])
        in client.get(url("detail", case)).content.decode()
    )
    client.post(reverse("cases:party_remove", args=[case.pk, witness.pk]))
    client.post(reverse("cases:party_remove", args=[case.pk, victim.pk]))
    assert list(case.parties.all()) == [victim]
    assert CaseParty.history.filter(id=witness.pk, history_type="-").exists()


def test_w03_naming_who_was_involved_later_makes_a_course_of_conduct(client, cast, case):
    victim = CaseParty.objects.create(
        case=case, person=PersonFactory(organisation=cast.organisation), role="victim"
    )
    perpetrator = CaseParty.objects.create(
        case=case, role="perpetrator", perpetrator_kind="group", description="Youths by the shop"
    )
    from cases.services.records import incident_record

    first, second = (
        incident_record(
            case=case,
            by=cast.officer,
            occurred_at=timezone.now() - timedelta(days=days),
            description="Shouting",
            acts=[IncidentAct.VERBAL_ABUSE],
            parties=[victim, perpetrator] if days == 3 else [],
        )
        for days in (3, 1)
    )
    case.refresh_from_db()
    assert not case.course_of_conduct
    client.force_login(cast.officer)
    target = reverse("cases:incident_parties", args=[case.pk, second.pk])
    response = client.post(target, {"parties": [victim.pk, perpetrator.pk]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.course_of_conduct
    assert set(second.parties.all()) == {victim, perpetrator}
    latest = second.history.latest()
    assert latest.history_user == cast.officer
    assert latest.history_change_reason.startswith("People involved:")


def test_only_people_in_the_case_can_be_involved_and_the_choice_is_kept(client, cast, case):
    from cases.services.records import incident_record

    incident = incident_record(
        case=case,
        by=cast.officer,
        occurred_at=timezone.now() - timedelta(days=1),
        description="Shouting",
        acts=[IncidentAct.VERBAL_ABUSE],
    )
    elsewhere = make_case(cast.organisation, cast.staff)
    stranger = CaseParty.objects.create(
        case=elsewhere, person=PersonFactory(organisation=cast.organisation), role="victim"
    )
    client.force_login(cast.officer)
    response = client.post(
        reverse("cases:incident_parties", args=[case.pk, incident.pk]), {"parties": [stranger.pk]}
    )
    assert response.status_code == 200
    assert "parties" in response.context["form"].errors
    assert not incident.parties.exists()


def test_c25_tenancy_type_recorded_for_a_tenant_and_refused_for_a_leaseholder(client, cast, case):
    person = PersonFactory(organisation=cast.organisation, tenure="tenant")
    client.force_login(cast.officer)
    data = {
        "full_name": person.full_name,
        "preferred_language": "English",
        "preferred_format": "standard",
        "tenure": "leaseholder",
        "tenancy_type": "secure",
        "version": person.version,
    }
    response = client.post(reverse("cases:person_edit", args=[person.pk]), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "Only a tenant's tenancy has a type" in form.errors["tenancy_type"][0]
    assert form["tenure"].value() == "leaseholder"  # the input is kept
    person.refresh_from_db()
    assert person.tenure == "tenant" and person.tenancy_type == ""

    response = client.post(
        reverse("cases:person_edit", args=[person.pk]), {**data, "tenure": "tenant"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.tenancy_type == "secure"
    body = client.get(reverse("cases:person", args=[person.pk])).content.decode()
    assert "tenancy: Secure (Housing Act 1985)" in body
