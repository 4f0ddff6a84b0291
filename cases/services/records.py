"""Recording incidents (C08, W03, W04, W14) and contacts with parties."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from deadlines.events import deadlines_contact_logged, deadlines_violence_recorded

from ..models import Case, CaseParty, Contact, Incident, IncidentActEntry, IncidentGroundEntry
from ..models.choices import VIOLENT_ACTS, HateGround, IncidentAct, PartyRole, PoliceReported


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


def incident_errors(
    *,
    case: Case,
    occurred_at: datetime,
    acts: list[str],
    grounds: list[str],
    perceived_by: str,
    parties: list[CaseParty],
    police_reported: str,
    crime_reference: str,
    police_officer: str = "",
) -> dict[str, str]:
    """What is wrong with an incident, by field: the one set of rules for recording and
    correcting one (C08, W04, W14), so the two cannot drift apart."""
    errors: dict[str, str] = {}
    if occurred_at > timezone.now():
        errors["occurred_at"] = "An incident cannot be in the future."
    if not acts:
        errors["acts"] = "Choose at least one thing that happened."
    elif not set(acts) <= set(IncidentAct.values):
        # The form offers only these; a hand-edited POST or another caller must not store an
        # act the reports cannot name (the monitoring dashboard failed on one).
        errors["acts"] = "Choose what happened from the list offered."
    if not set(grounds) <= set(HateGround.values):
        errors["grounds"] = "Choose the grounds from the list offered."
    if grounds and not perceived_by:
        errors["perceived_by"] = "Say who perceives the hostility (the victim or someone else)."
    if any(p.case_id != case.pk for p in parties):
        errors["parties"] = "Only people in this case can be involved."
    for party in parties:
        dob = party.person.date_of_birth if party.person_id else None
        if dob is not None and dob > timezone.localtime(occurred_at).date():
            errors["occurred_at"] = f"{party.person} was not yet born on that date."
    errors.update(
        police_errors(
            police_reported=police_reported,
            crime_reference=crime_reference,
            police_officer=police_officer,
        )
    )
    return errors


def police_errors(*, police_reported: str, crime_reference: str, police_officer: str) -> dict:
    """W14: a crime reference or an officer in the case means it was reported to the police.
    Shared by recording, correcting and the police details page."""
    errors: dict[str, str] = {}
    if police_reported != PoliceReported.YES and crime_reference.strip():
        errors["crime_reference"] = "A crime reference means it was reported to the police."
    if police_reported != PoliceReported.YES and police_officer.strip():
        errors["police_officer"] = "An officer in the case means it was reported to the police."
    return errors


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
    errors = incident_errors(
        case=case,
        occurred_at=occurred_at,
        acts=acts,
        grounds=grounds,
        perceived_by=perceived_by,
        parties=parties,
        police_reported=police_reported,
        crime_reference=crime_reference,
        police_officer=police_officer,
    )
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


class StaleIncidentError(Exception):
    """Someone else saved the incident after this user opened it."""


# What an officer may correct on a recorded incident; who was involved has its own service.
INCIDENT_FIELDS = (
    "occurred_at",
    "location",
    "description",
    "perceived_by",
    "police_reported",
    "police_advice",
    "crime_reference",
    "police_officer",
)


def _entries_replace(model, field: str, *, incident: Incident, before: set, after: set) -> None:
    """Set-based: delete the rows whose value went, add the new ones; the rest stay."""
    model.objects.filter(incident=incident, **{f"{field}__in": before - after}).delete()
    model.objects.bulk_create(
        [model(incident=incident, **{field: v}) for v in sorted(after - before)]
    )


def _correction_reason(
    reason: str, *, acts: tuple[set[str], set[str]], grounds: tuple[set[str], set[str]]
) -> str:
    """The officer's reason, then the acts and grounds before and after where they changed:
    they are rows without history of their own, so the incident's history carries them."""

    def labels(values: set[str], choices) -> str:
        return ", ".join(str(choices(v).label) for v in sorted(values)) or "none"

    lines = [f"Incident corrected: {reason.strip()}"]
    for title, (before, after), choices in (
        ("What happened", acts, IncidentAct),
        ("Hostility perceived because of", grounds, HateGround),
    ):
        if before != after:
            lines.append(f"{title}: {labels(before, choices)} → {labels(after, choices)}")
    return "\n".join(lines)


def incident_update(
    *, incident: Incident, by: User, reason: str, expected_version: int, **changes
) -> Incident:
    """Correct a recorded incident: its time, place, acts (C08), grounds and who perceived
    the hostility (W04), and police reporting (W14), under the rules it was recorded by.

    ``changes`` holds any of ``INCIDENT_FIELDS`` and ``acts`` / ``grounds`` (lists of
    values); what is left out stays as it is. The acts and grounds are rows, not history-
    tracked, so the incident's change reason records them before and after beside the
    officer's reason. A save from a stale ``expected_version`` raises
    ``StaleIncidentError``. The case's flags (W03, W04) follow.
    """
    unknown = set(changes) - set(INCIDENT_FIELDS) - {"acts", "grounds"}
    if unknown:
        raise TypeError(f"incident_update() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = Incident.objects.select_for_update().get(pk=incident.pk)
        if locked.version != expected_version:
            raise StaleIncidentError
        acts_before = set(locked.acts.values_list("act", flat=True))
        grounds_before = set(locked.grounds.values_list("ground", flat=True))
        acts = set(changes.pop("acts", acts_before))
        grounds = set(changes.pop("grounds", grounds_before))
        for name, value in changes.items():
            setattr(locked, name, value)
        errors = incident_errors(
            case=incident.case,
            occurred_at=locked.occurred_at,
            acts=sorted(acts),
            grounds=sorted(grounds),
            perceived_by=locked.perceived_by,
            parties=list(locked.parties.select_related("person")),
            police_reported=locked.police_reported,
            crime_reference=locked.crime_reference,
            police_officer=locked.police_officer,
        )
        if not reason.strip():
            errors["reason"] = "Say why you are changing this incident."
        if errors:
            raise ValidationError(errors)

        _entries_replace(IncidentActEntry, "act", incident=locked, before=acts_before, after=acts)
        _entries_replace(
            IncidentGroundEntry, "ground", incident=locked, before=grounds_before, after=grounds
        )
        locked.version += 1
        locked._change_reason = _correction_reason(  # type: ignore[attr-defined]
            reason, acts=(acts_before, acts), grounds=(grounds_before, grounds)
        )
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save()
        _refresh_incident_flags(incident.case)
        if VIOLENT_ACTS.intersection(acts - acts_before):
            # C19, C20, C21: a correction that adds violence brings the deadlines forward.
            deadlines_violence_recorded(case=incident.case, by=by, what=f"incident {locked.pk}")
    return locked


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
