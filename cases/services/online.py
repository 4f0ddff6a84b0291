"""Online reports from residents (W07, C13): receiving, acknowledging and triaging them.

The report is saved before anything else happens; its acknowledgement e-mail is written to
the outbox in the same transaction (kind ``cases.online_acknowledgement``, the report's id)
and sent once by the worker after commit; the outbox sweep hands over any the broker never
took (W08, C17).
"""

import logging
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date

from accounts import permissions
from accounts.models import Area, Organisation, User
from outbox.services import outbox_email_add

from ..models import Case, CaseParty, Incident, Person
from ..models.choices import (
    Category,
    Channel,
    IncidentAct,
    PartyRole,
    PerceivedBy,
    PerpetratorKind,
    ReporterType,
    Status,
)
from ..models.online import OnlineReport, online_reference_new
from ..selectors import cases_visible_to
from .intake import case_open
from .records import incident_record
from .search import case_search_refresh

logger = logging.getLogger(__name__)

ACKNOWLEDGEMENT = "cases.online_acknowledgement"

# A case posted by id that was not among those the triaging user was offered.
CASE_NOT_OFFERED = "Choose one of the cases offered."

TIME_OF_DAY_HOURS = {"morning": 9, "afternoon": 14, "evening": 19, "night": 23}


def online_report_submit(
    *,
    organisation: Organisation,
    answers: dict,
    received_at: datetime,
    upload: UploadedFile | None = None,
    submission_key: str | None = None,
    limit_unchecked: bool = False,
) -> OnlineReport:
    """Save a report from the public form, then queue its acknowledgement.

    ``submission_key`` is the send page's one-time key: sent again (a double click), it gets
    the report already saved, with no second row and no second e-mail. ``limit_unchecked``
    flags a report sent while the rate limits could not be checked, for triage to review."""
    if not answers.get("description"):
        raise ValidationError({"description": "A report needs to say what happened."})
    if submission_key:
        existing = _report_for_key(organisation, submission_key)
        if existing is not None:
            return existing
    try:
        return _report_save(
            organisation=organisation,
            answers=answers,
            received_at=received_at,
            upload=upload,
            submission_key=submission_key or None,
            limit_unchecked=limit_unchecked,
        )
    except IntegrityError:
        # Two sends with one key at once: the first row stands and both get its reference.
        existing = (
            OnlineReport.objects.filter(
                organisation=organisation, submission_key=submission_key
            ).first()
            if submission_key
            else None
        )
        if existing is None:
            raise
        logger.info("online report %s sent twice; the first kept", existing.pk)
        return existing


def _report_for_key(organisation: Organisation, key: str) -> OnlineReport | None:
    return OnlineReport.objects.filter(organisation=organisation, submission_key=key).first()


def _report_save(
    *,
    organisation: Organisation,
    answers: dict,
    received_at: datetime,
    upload: UploadedFile | None,
    submission_key: str | None,
    limit_unchecked: bool,
) -> OnlineReport:
    email = answers.get("email", "") if answers.get("contact_choice") == "contact" else ""
    with transaction.atomic():
        report = OnlineReport(
            organisation=organisation,
            reference=online_reference_new(organisation.code),
            received_at=received_at,
            channel=Channel.WEBSITE,
            answers=answers,
            acknowledgement_email=email,
            submission_key=submission_key,
            limit_unchecked=limit_unchecked,
        )
        if upload is not None:
            report.upload_content_type = getattr(upload, "content_type", "")
            # The resident's file name can identify them; the stored name is the reference.
            extension = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
            upload.name = report.reference + extension.get(report.upload_content_type, "")
            report.upload = upload
        report._change_reason = "Received from the website"  # type: ignore[attr-defined]
        try:
            report.save()
        except IntegrityError:
            if report.upload:  # written before the row was refused: nothing points at it
                report.upload.delete(save=False)
            raise
        if email:
            acknowledgement_queue(report_pk=report.pk)
    logger.info("online report %s received for organisation %s", report.pk, organisation.pk)
    return report


def acknowledgement_queue(*, report_pk: int) -> None:
    """Write the acknowledgement to the outbox in the caller's transaction."""
    outbox_email_add(kind=ACKNOWLEDGEMENT, key=str(report_pk), params={"report": report_pk})


def acknowledgement_render(params: dict) -> EmailMessage | None:
    """Called by the outbox worker as it sends (the address stays on the report)."""
    report = OnlineReport.objects.select_related("organisation").filter(pk=params["report"]).first()
    if report is None or not report.acknowledgement_email:
        return None
    context = {"reference": report.reference, "organisation": report.organisation}
    return EmailMessage(
        subject=f"Your reference {report.reference}",
        body=render_to_string("online/acknowledgement_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[report.acknowledgement_email],
    )


def acknowledgement_sent(params: dict, sent_at: datetime) -> None:
    OnlineReport.objects.filter(pk=params["report"]).update(acknowledgement_sent_at=sent_at)


# --- Triage ------------------------------------------------------------------------------


def suggested_category(report: OnlineReport) -> str:
    return Category.HATE_INCIDENT if report.answers.get("grounds") else Category.HARASSMENT


def _reporter_type(answers: dict) -> str:
    if answers.get("contact_choice") == "anonymous":
        return ReporterType.ANONYMOUS
    return answers.get("reporter_type") or ReporterType.ANONYMOUS


def _occurred_at(report: OnlineReport) -> datetime:
    day = parse_date(report.answers.get("occurred_on") or "")
    if day is None:
        return report.received_at
    hour = TIME_OF_DAY_HOURS.get(report.answers.get("time_of_day", ""), 12)
    moment = timezone.make_aware(datetime.combine(day, time(hour)))
    return min(moment, report.received_at)


def _incident_description(answers: dict) -> str:
    parts = [answers.get("description", "")]
    if answers.get("when_text"):
        parts.append(f"When: {answers['when_text']}")
    return "\n\n".join(p for p in parts if p)


def _claim_for_triage(report: OnlineReport) -> OnlineReport:
    locked = OnlineReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != OnlineReport.Status.NEW:
        raise ValidationError("This report has already been dealt with.")
    return locked


def _reporter_person(report: OnlineReport) -> Person | None:
    answers = report.answers
    if answers.get("contact_choice") != "contact" or not answers.get("full_name"):
        return None
    return Person.objects.create(
        organisation=report.organisation,
        full_name=answers["full_name"][:200],
        phone=answers.get("phone", "")[:40],
        email=answers.get("email", ""),
        address=answers.get("address", ""),
        postcode=answers.get("postcode", "")[:10].upper(),
        safe_phone=answers.get("leave_message") == "yes",
        preferred_language=(answers.get("preferred_language") or "English")[:60],
        interpreter_needed=bool(answers.get("interpreter")),
        preferred_format=answers.get("preferred_format") or "standard",
    )


def _parties_create(*, case: Case, report: OnlineReport) -> list[CaseParty]:
    """The people in the report become the case's parties (C18): roles are per case."""
    answers = report.answers
    parties: list[CaseParty] = []
    reporter = _reporter_person(report)
    kind = answers.get("reporter_type")
    if reporter is not None:
        parties.append(CaseParty(case=case, person=reporter, role=PartyRole.COMPLAINANT))
        if kind == ReporterType.VICTIM:
            parties.append(CaseParty(case=case, person=reporter, role=PartyRole.VICTIM))
        elif kind == ReporterType.WITNESS:
            parties.append(CaseParty(case=case, person=reporter, role=PartyRole.WITNESS))
    if kind == ReporterType.ON_BEHALF and answers.get("victim_name"):
        victim = Person.objects.create(
            organisation=report.organisation, full_name=answers["victim_name"][:200]
        )
        parties.append(CaseParty(case=case, person=victim, role=PartyRole.VICTIM))
    name = answers.get("perpetrator_name", "")
    if name:
        perpetrator = Person.objects.create(organisation=report.organisation, full_name=name)
        parties.append(CaseParty(case=case, person=perpetrator, role=PartyRole.PERPETRATOR))
    else:
        parties.append(
            CaseParty(
                case=case,
                role=PartyRole.PERPETRATOR,
                perpetrator_kind=PerpetratorKind.UNKNOWN,
                description=answers.get("perpetrator_description", "")[:255],
            )
        )
    for party in parties:
        party._change_reason = f"From online report {report.reference}"  # type: ignore[attr-defined]
        party.save()
    case_search_refresh(case_ids=[case.pk])
    return parties


def _incident_from(*, case: Case, report: OnlineReport, by: User, parties) -> Incident:
    answers = report.answers
    grounds = answers.get("grounds") or []
    perceived_by = ""
    if grounds:
        victim_reported = answers.get("reporter_type") == ReporterType.VICTIM
        perceived_by = PerceivedBy.VICTIM if victim_reported else PerceivedBy.OTHER
    return incident_record(
        case=case,
        by=by,
        occurred_at=_occurred_at(report),
        description=_incident_description(answers),
        # Answers are kept as sent: an act the incident cannot hold (a form since changed)
        # falls back to "other" rather than refusing the whole report.
        acts=[a for a in answers.get("acts") or [] if a in IncidentAct.values] or ["other"],
        grounds=grounds,
        perceived_by=perceived_by,
        location=answers.get("location", "")[:255],
        parties=[p for p in parties if p.role in (PartyRole.VICTIM, PartyRole.PERPETRATOR)],
    )


def online_report_accept(
    *, report: OnlineReport, by: User, category: str, area: Area | None = None
) -> Case:
    """Open a case from the report, its clock running from when the resident sent it (W08)."""
    answers = report.answers
    with transaction.atomic():
        report = _claim_for_triage(report)
        case = case_open(
            organisation=report.organisation,
            logged_by=by,
            received_at=report.received_at,
            channel=Channel.WEBSITE,
            reporter_type=_reporter_type(answers),
            category=category,
            summary=answers.get("description", ""),
            location=answers.get("location", "")[:255],
            area=area,
            fear_of_violence=answers.get("danger") == "yes",
        )
        parties = _parties_create(case=case, report=report)
        incident = _incident_from(case=case, report=report, by=by, parties=parties)
        report.status = OnlineReport.Status.ACCEPTED
        report.case = case
        report.incident = incident
        report.decided_by = by
        report.decided_at = timezone.now()
        report._change_reason = f"Opened as case {case.reference}"  # type: ignore[attr-defined]
        report.save()
    logger.info("online report %s opened as case %s", report.pk, case.pk)
    return case


def _may_open(*, by: User, case: Case) -> bool:
    """A report is added only to a case the triaging user may open (restricted cases)."""
    access = permissions.access_for(by, case.organisation_id)
    if access.organisation is None or access.organisation.pk != case.organisation_id:
        return False
    return cases_visible_to(user=by, access=access).filter(pk=case.pk).exists()


def online_report_add_to_case(*, report: OnlineReport, by: User, case: Case) -> Incident:
    """Add the report to an open case as a new incident: no new case is counted (NM01)."""
    if case.organisation_id != report.organisation_id:
        raise ValidationError({"case": "That case belongs to another organisation."})
    if not _may_open(by=by, case=case):
        raise ValidationError({"case": CASE_NOT_OFFERED})
    if case.status == Status.CLOSED:
        raise ValidationError({"case": "Choose an open case."})
    with transaction.atomic():
        report = _claim_for_triage(report)
        parties = list(case.parties.select_related("person"))
        incident = _incident_from(case=case, report=report, by=by, parties=parties)
        report.status = OnlineReport.Status.ADDED
        report.case = case
        report.incident = incident
        report.decided_by = by
        report.decided_at = timezone.now()
        report._change_reason = f"Added to case {case.reference}"  # type: ignore[attr-defined]
        report.save()
    logger.info("online report %s added to case %s", report.pk, case.pk)
    return incident


def online_report_reject(*, report: OnlineReport, by: User, reason: str, note: str = "") -> None:
    if reason not in OnlineReport.RejectReason.values:
        raise ValidationError({"reason": "Choose a reason."})
    with transaction.atomic():
        report = _claim_for_triage(report)
        report.status = OnlineReport.Status.REJECTED
        report.reject_reason = reason
        report.reject_note = note[:500]
        report.decided_by = by
        report.decided_at = timezone.now()
        report._change_reason = "Rejected"  # type: ignore[attr-defined]
        report.save()
    logger.info("online report %s rejected", report.pk)
