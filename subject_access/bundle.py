"""What Haven holds about one person, third parties struck out (UK GDPR art. 15).

``bundle_build`` gathers, from the person's organisation only: their person record, each case
they are in with their role, the case's account and incidents, the contacts with them, the
notes marked disclosable, the letters addressed to them, the evidence held on cases where they
are the complainant or the victim, and the access-log entries about them. The PDF and the
JSON file are both written from this one dictionary, so they can never disagree.

Third parties (everyone else on any of their cases) are not named: their names, name parts,
known-as names, addresses, postcodes, phone numbers and e-mail addresses are struck out of
every piece of free text as ``[withheld]`` (``cases.disclosure.strike``, the rule letters
use), whatever consent they gave for the case (that consent was to be named to the other side
during the case, not in someone else's data). Where the person is the alleged perpetrator or a
witness, who reported the case is left out. Staff are named: they acted for the landlord. A
staff note goes in only when it is marked disclosable (``Note.disclosable``); the number left
out is stated, so the reviewing manager knows to look.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.html import strip_tags

from cases.disclosure import identity_strings, strike
from cases.models import (
    Case,
    CaseAccess,
    CaseParty,
    Contact,
    Evidence,
    Incident,
    Note,
    Person,
)
from cases.models.choices import PartyRole
from letters.models import Letter
from letters.rendering import render_text

# The roles on whose cases the person's side supplied the report and its evidence.
REPORTING_SIDE = frozenset({PartyRole.COMPLAINANT, PartyRole.VICTIM})
ABOUT_THE_PERSON = (
    CaseAccess.Action.VIEWED_PERSON,
    CaseAccess.Action.OPENED_PERSON_FORM,
    CaseAccess.Action.SUBJECT_ACCESS,
)


def third_party_strings(person: Person) -> list[str]:
    """What could identify someone else in free text: the letters' rule plus their phone
    number and e-mail address."""
    extra = [s.strip() for s in (person.phone, person.email) if s and len(s.strip()) >= 3]
    return identity_strings(person) + extra


def _label(model, field: str, value) -> str:
    if value in (None, ""):
        return ""
    return str(dict(model._meta.get_field(field).flatchoices).get(value, value))


def _person_record(person: Person, withheld: list[str]) -> dict:
    record = {
        "full_name": person.full_name,
        "known_as": person.known_as,
        "date_of_birth": person.date_of_birth,
        "phone": person.phone,
        "safe_to_leave_a_message": person.safe_phone,
        "email": person.email,
        "address": person.address,
        "postcode": person.postcode,
        "preferred_language": person.preferred_language,
        "interpreter_needed": person.interpreter_needed,
        "preferred_format": _label(Person, "preferred_format", person.preferred_format),
        "tenure": _label(Person, "tenure", person.tenure),
        "tenancy_reference": person.tenancy_reference,
        "tenancy_type": _label(Person, "tenancy_type", person.tenancy_type),
        # Whose tenancy is someone else's data: only that there is one.
        "in_another_persons_tenancy": person.tenancy_holder_id is not None,
        "adult_at_risk": person.adult_at_risk,
        "vulnerability_notes": strike(person.vulnerability_notes, withheld),
        "disclosure_consent": person.disclosure_consent,
        "disclosure_consent_recorded_at": person.disclosure_consent_recorded_at,
        "recorded_since": person.created_at,
    }
    for field in (
        "gender",
        "gender_same_as_birth",
        "ethnicity",
        "religion",
        "sexual_orientation",
        "disability",
        "marital_status",
        "pregnant_or_maternity",
    ):
        record[field] = _label(Person, field, getattr(person, field))
    return record


def _letter_text(letter: Letter, withheld: list[str]) -> tuple[str, str]:
    try:
        subject = render_text(letter.template.subject, letter.merge_values)
        body = render_text(letter.template.body, letter.merge_values, paragraphs=True)
    except ValueError:
        return "", ""
    body = body.replace("</p>", "\n\n").replace("<br>", "\n")
    return strike(strip_tags(subject), withheld), strike(strip_tags(body).strip(), withheld)


def bundle_build(*, person: Person, reference: str = "") -> dict:
    """Everything Haven holds about ``person``, third parties struck out."""
    own_parties = list(
        CaseParty.objects.filter(person=person, case__organisation_id=person.organisation_id)
        .select_related("case")
        .order_by("case__received_at", "role")
    )
    case_ids = list(dict.fromkeys(p.case_id for p in own_parties))
    roles: dict[int, list[str]] = defaultdict(list)
    own_party_ids: set[int] = set()
    for party in own_parties:
        roles[party.case_id].append(party.role)
        own_party_ids.add(party.pk)

    own = set(identity_strings(person)) | {person.phone, person.email}
    withheld_by_case: dict[int, list[str]] = defaultdict(list)
    others_by_case: dict[int, int] = defaultdict(int)
    for other in CaseParty.objects.filter(case_id__in=case_ids).select_related("person"):
        if other.person_id == person.pk:
            continue
        others_by_case[other.case_id] += 1
        if other.person_id is not None:
            withheld_by_case[other.case_id] += third_party_strings(other.person)
        if other.description.strip():
            withheld_by_case[other.case_id].append(other.description.strip())
    for case_id, strings in withheld_by_case.items():
        withheld_by_case[case_id] = sorted(
            {s for s in strings if s not in own}, key=len, reverse=True
        )
    everyone_withheld = sorted(
        {s for strings in withheld_by_case.values() for s in strings}, key=len, reverse=True
    )

    incidents: dict[int, list] = defaultdict(list)
    for incident in (
        Incident.objects.filter(case_id__in=case_ids)
        .prefetch_related("acts", "grounds", "parties")
        .order_by("occurred_at")
    ):
        w = withheld_by_case[incident.case_id]
        incidents[incident.case_id].append(
            {
                "occurred_at": incident.occurred_at,
                "location": strike(incident.location, w),
                "description": strike(incident.description, w),
                "what_happened": [_label(type(a), "act", a.act) for a in incident.acts.all()],
                "hate_grounds": [
                    _label(type(g), "ground", g.ground) for g in incident.grounds.all()
                ],
                "you_were_involved": any(p.pk in own_party_ids for p in incident.parties.all()),
                "reported_to_police": _label(Incident, "police_reported", incident.police_reported),
                "crime_reference": incident.crime_reference,
            }
        )

    contacts: dict[int, list] = defaultdict(list)
    for contact in (
        Contact.objects.filter(party_id__in=own_party_ids)
        .select_related("recorded_by")
        .order_by("occurred_at")
    ):
        contacts[contact.case_id].append(
            {
                "occurred_at": contact.occurred_at,
                "method": contact.get_method_display(),
                "direction": contact.get_direction_display(),
                "purpose": contact.get_purpose_display(),
                "spoke_with_you": contact.reached,
                "notes": strike(contact.notes, withheld_by_case[contact.case_id]),
                "recorded_by": contact.recorded_by.full_name,
            }
        )

    notes: dict[int, list] = defaultdict(list)
    notes_withheld: dict[int, int] = defaultdict(int)
    for note in Note.objects.filter(case_id__in=case_ids).select_related("author"):
        if not note.disclosable:
            notes_withheld[note.case_id] += 1
            continue
        notes[note.case_id].append(
            {
                "written_at": note.created_at,
                "author": note.author.full_name,
                "text": strike(note.text, withheld_by_case[note.case_id]),
            }
        )

    letters: dict[int, list] = defaultdict(list)
    for letter in (
        Letter.objects.filter(recipient_id__in=own_party_ids)
        .select_related("template")
        .order_by("created_at")
    ):
        subject, body = _letter_text(letter, withheld_by_case[letter.case_id])
        letters[letter.case_id].append(
            {
                "written_at": letter.created_at,
                "kind": letter.get_kind_display(),
                "sent_by": letter.get_delivery_display(),
                "status": letter.get_status_display(),
                "subject": subject,
                "text": body,
            }
        )

    reporting_cases = [c for c in case_ids if set(roles[c]) & REPORTING_SIDE]
    evidence: dict[int, list] = defaultdict(list)
    for item in Evidence.objects.filter(case_id__in=reporting_cases).select_related("incident"):
        evidence[item.case_id].append(
            {
                "received_at": item.uploaded_at,
                "kind": item.get_kind_display(),
                "description": strike(item.description, withheld_by_case[item.case_id]),
                "incident_of": item.incident.occurred_at if item.incident else None,
            }
        )

    access_log = [
        {
            "at": row.at,
            "by": row.user.full_name,
            "what": row.get_action_display(),
            "case": row.case.reference,
        }
        for row in CaseAccess.objects.filter(
            case_id__in=case_ids, object_id=person.pk, action__in=ABOUT_THE_PERSON
        )
        .select_related("user", "case")
        .order_by("at")
    ]

    cases = []
    for case in Case.objects.filter(pk__in=case_ids).order_by("received_at"):
        w = withheld_by_case[case.pk]
        case_roles = roles[case.pk]
        reporting_side = bool(set(case_roles) & REPORTING_SIDE)
        cases.append(
            {
                "reference": case.reference,
                "your_roles": [PartyRole(r).label for r in case_roles],
                "category": case.get_category_display(),
                "status": case.get_status_display(),
                "received_at": case.received_at,
                "closed_at": case.closed_at,
                # Who reported it is withheld from the other side (and from witnesses).
                "reported_by": case.get_reporter_type_display() if reporting_side else None,
                "how_reported": case.get_channel_display(),
                "where": strike(case.location, w),
                "what_was_reported": strike(case.summary, w),
                "what_had_been_done": strike(case.prior_action, w),
                "other_people_on_the_case": others_by_case[case.pk],
                "incidents": incidents[case.pk],
                "contacts_with_you": contacts[case.pk],
                "notes": notes[case.pk],
                "notes_not_disclosed": notes_withheld[case.pk],
                "letters_to_you": letters[case.pk],
                "evidence": evidence[case.pk],
            }
        )

    return {
        "reference": reference,
        "organisation": person.organisation.name,
        "produced_at": timezone.now(),
        "about_this_file": (
            "Everything we hold about you in our anti-social behaviour and hate-crime case "
            "records. Other people's names and details are shown as [withheld]: they are "
            "their personal data. Where you are named as the alleged perpetrator or a "
            "witness, who reported the case is not shown."
        ),
        "person": _person_record(person, everyone_withheld),
        "cases": cases,
        "access_log": access_log,
    }


def bundle_counts(bundle: dict) -> dict[str, int]:
    """What a bundle holds, as numbers: kept on the request, never the data itself."""
    cases = bundle["cases"]
    return {
        "cases": len(cases),
        "incidents": sum(len(c["incidents"]) for c in cases),
        "contacts": sum(len(c["contacts_with_you"]) for c in cases),
        "notes": sum(len(c["notes"]) for c in cases),
        "notes_not_disclosed": sum(c["notes_not_disclosed"] for c in cases),
        "letters": sum(len(c["letters_to_you"]) for c in cases),
        "evidence": sum(len(c["evidence"]) for c in cases),
        "access_log": len(bundle["access_log"]),
    }
