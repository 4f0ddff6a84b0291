"""Recording incidents (C08, W03, W04, W14) and contacts with parties."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import Case, CaseParty, Contact, Incident, IncidentActEntry, IncidentGroundEntry
from ..models.choices import VIOLENT_ACTS, PartyRole
from .deadline_events import deadlines_contact_logged, deadlines_violence_recorded


def course_of_conduct_exists(*, case: Case) -> bool:
    """W03: two or more incidents by the same perpetrator against the same victim."""
    through = Incident.parties.through
    perpetrator_rows = through.objects.filter(
        incident__case=case, caseparty__role=PartyRole.PERPETRATOR
    ).values("incident_id", "caseparty_id")
    victim_rows = through.objects.filter(
        incident__case=case, caseparty__role=PartyRole.VICTIM
    ).values("incident_id", "caseparty_id")
    pairs: dict[tuple[int, int], set[int]] = {}
    victims_by_incident: dict[int, list[int]] = {}
    for row in victim_rows:
        victims_by_incident.setdefault(row["incident_id"], []).append(row["caseparty_id"])
    for row in perpetrator_rows:
        for victim in victims_by_incident.get(row["incident_id"], []):
            pairs.setdefault((row["caseparty_id"], victim), set()).add(row["incident_id"])
    return any(len(incidents) >= 2 for incidents in pairs.values())


def _refresh_incident_flags(case: Case) -> None:
    """The case's flags that follow from its incidents: a course of conduct (W03) and a
    hate or harassment ground perceived in any incident (W04)."""
    flags = {
        "course_of_conduct": course_of_conduct_exists(case=case),
        "hate_ground_recorded": IncidentGroundEntry.objects.filter(incident__case=case).exists(),
    }
    changed = {name: flag for name, flag in flags.items() if flag != getattr(case, name)}
    if not changed:
        return
    # Saved (not update()) on a fresh row so the change is kept in the case's history.
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    reasons = []
    if "course_of_conduct" in changed:
        reasons.append(
            "Course of conduct " + ("found" if flags["course_of_conduct"] else "no longer found")
        )
    if "hate_ground_recorded" in changed:
        reasons.append(
            "Hostility on a protected ground "
            + ("recorded" if flags["hate_ground_recorded"] else "no longer recorded")
        )
    for name, flag in changed.items():
        setattr(fresh, name, flag)
        setattr(case, name, flag)
    fresh._change_reason = "; ".join(reasons)  # type: ignore[attr-defined]
    fresh.save(update_fields=list(changed))


def incident_record(
    *,
    case: Case,
    by: User,
    occurred_at: datetime,
    description: str,
    acts: list[str],
    grounds: list[str] | None = None,
    perceived_by: str = "",
    location: str = "",
    parties: list[CaseParty] | None = None,
    police_reported: str = "unknown",
    police_advice: str = "",
    crime_reference: str = "",
    police_officer: str = "",
) -> Incident:
    grounds = grounds or []
    parties = parties or []
    errors: dict[str, str] = {}
    if occurred_at > timezone.now():
        errors["occurred_at"] = "An incident cannot be in the future."
    if not acts:
        errors["acts"] = "Choose at least one thing that happened."
    if grounds and not perceived_by:
        errors["perceived_by"] = "Say who perceives the hostility (the victim or someone else)."
    if any(p.case_id != case.pk for p in parties):
        errors["parties"] = "Only people in this case can be involved."
    for party in parties:
        dob = party.person.date_of_birth if party.person_id else None
        if dob is not None and dob > timezone.localtime(occurred_at).date():
            errors["occurred_at"] = f"{party.person} was not yet born on that date."
    if police_reported != "yes" and crime_reference:
        errors["crime_reference"] = "A crime reference means it was reported to the police."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        incident = Incident.objects.create(
            case=case,
            organisation_id=case.organisation_id,
            occurred_at=occurred_at,
            description=description,
            location=location,
            perceived_by=perceived_by,
            police_reported=police_reported,
            police_advice=police_advice,
            crime_reference=crime_reference,
            police_officer=police_officer,
            recorded_by=by,
        )
        IncidentActEntry.objects.bulk_create(
            [IncidentActEntry(incident=incident, act=act) for act in sorted(set(acts))]
        )
        IncidentGroundEntry.objects.bulk_create(
            [IncidentGroundEntry(incident=incident, ground=g) for g in sorted(set(grounds))]
        )
        incident.parties.set(parties)
        _refresh_incident_flags(case)
        if VIOLENT_ACTS.intersection(acts):
            deadlines_violence_recorded(case=case, by=by, what=f"incident {incident.pk}")
    return incident


def incident_parties_set(*, incident: Incident, by: User, parties: list[CaseParty]) -> None:
    """Change who was involved in an incident (people are often named after the first call).

    The incident's history keeps who changed it, when, and the people involved afterwards;
    the course-of-conduct flag (W03) follows.
    """
    if any(p.case_id != incident.case_id for p in parties):
        raise ValidationError({"parties": "Only people in this case can be involved."})
    day = timezone.localtime(incident.occurred_at).date()
    for party in parties:
        dob = party.person.date_of_birth if party.person_id else None
        if dob is not None and dob > day:
            raise ValidationError({"parties": f"{party.person} was not yet born on that date."})
    with transaction.atomic():
        incident.parties.set(parties)
        names = "; ".join(str(p) for p in parties) or "nobody"
        incident._change_reason = f"People involved: {names}"[:100]  # type: ignore[attr-defined]
        incident._history_user = by  # type: ignore[attr-defined]
        incident.save()
        _refresh_incident_flags(incident.case)


def contact_log(
    *,
    case: Case,
    by: User,
    occurred_at: datetime,
    method: str,
    direction: str,
    purpose: str,
    party: CaseParty | None = None,
    reached: bool = True,
    notes: str = "",
) -> Contact:
    """Record a contact with a party. Contacts are data because they meet deadlines."""
    if occurred_at > timezone.now():
        raise ValidationError({"occurred_at": "A contact cannot be in the future."})
    if occurred_at < case.received_at - timezone.timedelta(days=1):
        raise ValidationError({"occurred_at": "That is before the report was received."})
    if party is not None and party.case_id != case.pk:
        raise ValidationError({"party": "Choose someone in this case."})
    with transaction.atomic():
        contact = Contact.objects.create(
            case=case,
            party=party,
            occurred_at=occurred_at,
            method=method,
            direction=direction,
            purpose=purpose,
            reached=reached,
            notes=notes,
            recorded_by=by,
        )
        deadlines_contact_logged(contact=contact)
    return contact
