"""The restricted-case matrix: every URL pattern that shows a case, a person or anything of a
case is a 404 to a colleague of the same organisation who is not on the restricted case, on
GET and on POST, while the officer on the case reaches it.

The patterns are read from the URL resolver, not listed by hand: a new pattern with
arguments fails ``test_every_url_pattern_with_arguments_is_classified`` until it is added
to ``CASE_SCOPED`` (and so tried here) or to ``NOT_CASE_SCOPED`` with the reason.
"""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Role
from cases.models import (
    Case,
    CaseAccess,
    CaseParty,
    Contact,
    Evidence,
    Incident,
    Note,
    OnlineReport,
    Person,
)
from cases.models.choices import PartyRole, Tenure
from cases.services.evidence import evidence_attach
from cases.services.online import online_report_add_to_case, online_report_submit
from cases.services.parties import party_add
from deadlines.models import Deadline
from enforcement.services import enforcement_action_record
from letters import tasks
from letters.models import Delivery, LetterKind, LetterStatus
from letters.services.closure import case_close
from letters.services.false_report import false_report_concern_raise
from letters.services.issue import letter_issue
from repairs.services import repair_report
from retention.services.erasure import erasure_request_record
from risk.services import assessment_complete, question_set_ensure_default
from support.models import Agency
from support.services.plans import action_plan_agree, plan_action_add
from support.services.referrals import agencies_ensure_defaults, support_offer
from tests.cases.factories import PersonFactory, make_case
from tests.casework.helpers import add_incident, add_perpetrator, case_with_people
from tests.deadline_helpers import policy_adopt_rule
from tests.factories import member
from transfers.choices import Reason, ReferralType, Urgency
from transfers.models import TransferReferral
from transfers.services.referrals import transfer_referral_create

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def _case(w):
    return {"pk": w["case"].pk}


def _closed(w):
    return {"pk": w["closed"].pk}


# Every pattern showing a case, a person or a part of a case, and how to fill its arguments
# from the world below (every object in it belongs to a restricted case).
CASE_SCOPED = {
    "deadlines:waive": lambda w: {"pk": w["deadline"].pk},
    "cases:detail": _case,
    "cases:edit": _case,
    "cases:recategorise": _case,
    "cases:reassign": _case,
    "cases:restrict": _case,
    "cases:audit": _case,
    "cases:party_add": _case,
    "cases:party_remove": lambda w: {"pk": w["case"].pk, "party_pk": w["victim"].pk},
    "cases:incident_add": _case,
    "cases:incident_parties": lambda w: {"pk": w["case"].pk, "incident_pk": w["incident"].pk},
    "cases:incident_edit": lambda w: {"pk": w["case"].pk, "incident_pk": w["incident"].pk},
    "cases:contact_add": _case,
    "cases:note_add": _case,
    "cases:review_add": _case,
    "cases:contact_frequency": _case,
    "cases:evidence_add": _case,
    "cases:evidence_download": lambda w: {"pk": w["case"].pk, "evidence_pk": w["evidence"].pk},
    "cases:person": lambda w: {"pk": w["victim"].person_id},
    "cases:person_edit": lambda w: {"pk": w["victim"].person_id},
    "transfers:referral_create": lambda w: {"case_pk": w["case"].pk},
    "transfers:referral_detail": lambda w: {"pk": w["transfer"].pk},
    "transfers:referral_progress": lambda w: {"pk": w["transfer"].pk},
    "transfers:panel_request": lambda w: {"pk": w["transfer"].pk},
    "transfers:panel_decide": lambda w: {"pk": w["transfer"].pk},
    "risk:assessment_new": _case,
    "risk:assessment_detail": lambda w: {"pk": w["case"].pk, "assessment_pk": w["assessment"].pk},
    "support:offer": _case,
    "support:referral_update": lambda w: {"pk": w["case"].pk, "referral_pk": w["referral"].pk},
    "support:police": lambda w: {"pk": w["case"].pk, "incident_pk": w["incident"].pk},
    "support:safeguarding": _case,
    "support:welfare_call": _case,
    "support:plan_action_add": _case,
    "support:plan_action_update": lambda w: {"pk": w["case"].pk, "action_pk": w["action"].pk},
    "support:plan_agree": _case,
    "support:plan_review": _case,
    "support:plan_issue": _case,
    "repairs:new": _case,
    "repairs:edit": lambda w: {"pk": w["case"].pk, "repair_pk": w["repair"].pk},
    "enforcement:remedies": _case,
    "enforcement:action_new": _case,
    "enforcement:action_edit": lambda w: {"pk": w["case"].pk, "action_pk": w["enforcement"].pk},
    "enforcement:conviction_new": _case,
    "letters:issue": _case,
    "letters:download": lambda w: {"pk": w["case"].pk, "letter_pk": w["letter"].pk},
    "letters:posted": lambda w: {"pk": w["case"].pk, "letter_pk": w["letter"].pk},
    "letters:retry": lambda w: {"pk": w["case"].pk, "letter_pk": w["letter"].pk},
    "letters:concern_raise": _case,
    "letters:concern_evidence": _case,
    "letters:concern_decide": _case,
    "letters:close": _case,
    "letters:appeal": _closed,
    "letters:satisfaction": _closed,
    "letters:follow_up": _closed,
    "online_reports:detail": lambda w: {"pk": w["report"].pk},
    "online_reports:upload": lambda w: {"pk": w["report"].pk},
    "online_reports:accept": lambda w: {"pk": w["report"].pk},
    "online_reports:add_to_case": lambda w: {"pk": w["report"].pk},
    "online_reports:reject": lambda w: {"pk": w["report"].pk},
    "retention:hold_place": _case,
    "retention:hold_release": _case,
    "retention:erasure_new": lambda w: {"pk": w["victim"].person_id},
    "retention:erasure_decide": lambda w: {
        "pk": w["victim"].person_id,
        "request_pk": w["erasure"].pk,
    },
}

# Patterns with arguments that name no case, person or part of a case.
SUBJECT_ACCESS = (
    "a subject access or rectification request: managers and organisation admins only, who "
    "may open every case (anyone else gets 403; tests/subject_access/test_views.py)"
)
NOT_CASE_SCOPED = {
    "policy:export": "a version of the organisation's policy (organisation admins and managers)",
    "policy:rule_edit": "a rule of the organisation's draft policy (organisation admins)",
    "policy:rule_delete": "a rule of the organisation's draft policy (organisation admins)",
    "password_reset_confirm": "a password reset link",
    "accounts:member": "a member of staff",
    "accounts:member_deactivate": "a member of staff",
    "accounts:member_invitation": "a member of staff",
    "twofactor:member_reset": "a member of staff's second factor",
    "transfers:meeting_agenda": "a panel meeting (panel members and managers only)",
    "transfers:meeting_close": "a panel meeting (panel members and managers only)",
    "transfers:meeting_minutes": "a panel meeting's minutes (panel members and managers only)",
    "support:agency_edit": "a support agency of the directory",
    "dashboards:csv": "the organisation's figures",
    "dashboards:partner": "a partner organisation's figures",
    "dashboards:partner_equality": "a partner organisation's figures",
    "dashboards:partner_csv": "a partner organisation's figures",
    "letters:template_edit": "a letter template",
    "feedback": "a satisfaction survey answered by its token, signed out",
    "online_report_start": "the public report form",
    "online_report_privacy": "the public report form",
    "online_report_sent": "the public report form",
    "online_report_leave": "the public report form",
    "online_report_step": "the public report form",
    "retention:rule_edit": "a line of the organisation's retention schedule (organisation admins)",
    "retention:run": "a retention run: counts and record numbers, no case data (managers)",
    "subject_access:create": SUBJECT_ACCESS,
    "subject_access:rectification_create": SUBJECT_ACCESS,
    "subject_access:detail": SUBJECT_ACCESS,
    "subject_access:release": SUBJECT_ACCESS,
    "subject_access:prepare_again": SUBJECT_ACCESS,
    "subject_access:note_disclose": SUBJECT_ACCESS,
    "subject_access:download": SUBJECT_ACCESS,
    "subject_access:rectification": SUBJECT_ACCESS,
}


def url_patterns(patterns=None, namespace=""):
    """(name, argument names) of every named pattern in the project, admin's aside."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names = set(entry.pattern.converters) | set(entry.pattern.regex.groupindex)
            yield f"{namespace}{entry.name}", names


def test_every_url_pattern_with_arguments_is_classified():
    unknown = sorted(
        name
        for name, arguments in url_patterns()
        if arguments and name not in CASE_SCOPED and name not in NOT_CASE_SCOPED
    )
    assert not unknown, (
        f"Add these patterns to CASE_SCOPED (to try them with a restricted case) or to "
        f"NOT_CASE_SCOPED with the reason: {unknown}"
    )
    stale = sorted((set(CASE_SCOPED) | set(NOT_CASE_SCOPED)) - {n for n, _ in url_patterns()})
    assert not stale, f"No such patterns any more: {stale}"


@pytest.fixture
def storage(tmp_path, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


@pytest.fixture
def colleague(cast):
    """An officer of the same organisation, on no restricted case."""
    return member(cast.organisation, Role.OFFICER, full_name="Colin Colleague")


@pytest.fixture
def world(cast, storage):
    """A restricted case, assigned to the cast's officer, with one of everything."""
    agencies_ensure_defaults(organisation=cast.organisation)
    officer = cast.officer
    case, victim = case_with_people(cast, preset="circle_anglia_2009", restricted=True)
    # Circle Anglia 2009 is silent on false reports: this landlord adopted WCH's W20.
    policy_adopt_rule(cast.organisation, preset="wch_2022", code="w20_false_report_evidence")
    perp = add_perpetrator(case, officer)
    incident = add_incident(case, officer, [victim, perp])
    evidence = evidence_attach(
        case=case,
        by=officer,
        upload=SimpleUploadedFile("door.png", PNG),
        kind="photo",
        description="Door",
    )
    question_set = question_set_ensure_default(organisation=cast.organisation)
    assessment = assessment_complete(
        case=case,
        by=officer,
        question_set=question_set,
        method="telephone",
        respondent=victim,
        completed_at=timezone.now() - timedelta(minutes=1),
        answers={q.pk: q.options.first().pk for q in question_set.questions.all()},
    )
    referral = support_offer(
        case=case,
        by=officer,
        party=victim,
        agency=Agency.objects.get(organisation=cast.organisation, name="Victim Support"),
        offered_at=timezone.now(),
        consent=True,
        refer=True,
    )
    action = plan_action_add(
        case=case,
        by=officer,
        kind="action",
        description="Visit",
        owner="Olivia",
        due_date=timezone.localdate(),
    )
    action_plan_agree(case=case, by=officer, agreed_at=timezone.now())
    repair = repair_report(
        case=case,
        by=officer,
        kind="graffiti",
        description="Slogan",
        reported_at=timezone.now(),
        offensive=True,
    )
    enforcement = enforcement_action_record(
        case=case,
        by=officer,
        party=perp,
        remedy="verbal_warning",
        action_date=timezone.localdate(),
    )
    Person.objects.filter(pk=victim.person_id).update(address="1 Oak House", postcode="WD17 1AA")
    victim.person.refresh_from_db()
    with mock.patch.object(tasks.letter_process, "apply_async"):
        letter = letter_issue(
            case=case,
            kind=LetterKind.ACKNOWLEDGEMENT,
            recipient=victim,
            by=officer,
            reason="",
            extra={"next_contact_date": "Monday 4 May 2026"},
            delivery=Delivery.POST,
        )
        false_report_concern_raise(case=case, by=officer, reasons="Doubts.")
    letter.pdf = ContentFile(b"%PDF-1.4 letter", name=f"letter-{letter.pk}.pdf")
    letter.status = LetterStatus.RENDERED
    letter.save()
    transfer = transfer_referral_create(
        case=case,
        by=officer,
        referral_type=ReferralType.MANAGED_TRANSFER,
        household=[victim.person],
        reasons=[Reason.POLICE_ADVICE],
        reason_details="Police advise the family to move.",
        urgency=Urgency.URGENT,
        bedrooms_needed=2,
    )
    received = timezone.now() - timedelta(hours=1)
    with time_machine.travel(received, tick=False):
        report = online_report_submit(
            organisation=cast.organisation,
            answers={"description": "Shouting.", "full_name": "Vera Victim", "danger": "no"},
            received_at=received,
            upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        )
    online_report_add_to_case(report=report, by=officer, case=case)
    closed = make_case(cast.organisation, cast.staff, assigned_officer=officer, restricted=True)
    party_add(
        case=closed,
        by=officer,
        role=PartyRole.VICTIM,
        person=PersonFactory(
            organisation=cast.organisation, full_name="Carla Closed", postcode="WD17 2BB"
        ),
    )
    with mock.patch.object(tasks.letter_process, "apply_async"):
        case_close(
            case=closed,
            by=officer,
            reason="resolved",
            rationale="Quiet for months.",
            discussed_with_complainant=True,
            discussed_on=timezone.localdate(),
            discussion_notes="",
            expected_version=closed.version,
        )
    erasure = erasure_request_record(
        person=victim.person,
        by=cast.manager,
        received_on=timezone.localdate(),
        channel="letter",
        grounds="",
    )
    return {
        "erasure": erasure,
        "case": case,
        "closed": closed,
        "victim": victim,
        "incident": incident,
        "evidence": evidence,
        "assessment": assessment,
        "referral": referral,
        "action": action,
        "repair": repair,
        "enforcement": enforcement,
        "letter": letter,
        "transfer": transfer,
        "report": report,
        "deadline": Deadline.objects.filter(case=case).order_by("pk").first(),
    }


def footprint(cases, *, form_sent=False) -> dict:
    """What a refused request must leave as it was. ``form_sent``: the page was one the user
    may open, so the form they sent is in its case's access log (as "Sent a form") and only
    that may be added."""
    ids = [c.pk for c in cases]
    logged = CaseAccess.objects.filter(case__in=ids)
    if form_sent:
        logged = logged.exclude(action=CaseAccess.Action.SUBMITTED)
    return {
        "cases": list(Case.objects.filter(pk__in=ids).values_list("version", "status")),
        "history": sum(c.history.count() for c in Case.objects.filter(pk__in=ids)),
        "parties": CaseParty.objects.filter(case__in=ids).count(),
        "incidents": Incident.objects.filter(case__in=ids).count(),
        "contacts": Contact.objects.filter(case__in=ids).count(),
        "notes": Note.objects.filter(case__in=ids).count(),
        "evidence": Evidence.objects.filter(case__in=ids).count(),
        "access_log": logged.count(),
        "people": list(Person.objects.order_by("pk").values_list("pk", "version")),
        "reports": list(OnlineReport.objects.values_list("pk", "status")),
        "transfers": list(TransferReferral.objects.values_list("pk", "status")),
    }


def _request(client, method, url):
    return client.get(url) if method == "get" else client.post(url, {})


@pytest.mark.parametrize("name", sorted(CASE_SCOPED))
def test_restricted_case_pages_are_404_to_a_colleague_not_on_the_case_on_get_and_post(
    client, cast, world, colleague, name
):
    kwargs = CASE_SCOPED[name](world)
    arguments = dict(url_patterns())[name]
    assert set(kwargs) == arguments, f"{name} takes {arguments}: fill each of them"
    url = reverse(name, kwargs=kwargs)
    restricted = [world["case"], world["closed"]]

    before = footprint(restricted)
    role_refusals = []
    for user in (colleague, cast.staff):
        client.force_login(user)
        for method in ("get", "post"):
            status = _request(client, method, url).status_code
            if status in (403, 405):
                role_refusals.append((user, method, status))
            else:
                assert status == 404, f"{method.upper()} {url} as {user}: {status}"
    assert footprint(restricted) == before, f"a refused request to {url} changed the case"

    # A 403 or 405 says nothing about the case only if the same user gets it with the case
    # unrestricted too: their role may not use the page at all, or the method is wrong.
    Case.objects.filter(pk__in=[c.pk for c in restricted]).update(restricted=False)
    for user, method, status in role_refusals:
        client.force_login(user)
        again = _request(client, method, url).status_code
        assert again == status, f"{method.upper()} {url} as {user}: {status} only if restricted"
    Case.objects.filter(pk__in=[c.pk for c in restricted]).update(restricted=True)

    # Those on the case reach it (the officer; a manager or the panel where the page is
    # theirs), which shows the arguments above name real objects.
    for user in (cast.officer, cast.manager, cast.panel):
        client.force_login(user)
        status = client.get(url).status_code
        if status == 405:
            status = client.post(url, {}).status_code
        if status != 403:
            break
    assert status in (200, 302, 400), f"{url}: {status} for someone on the case"


LIST_PAGES = [
    "home",
    "cases:list",
    "deadlines:my_work",
    "deadlines:team",
    "transfers:referral_list",
    "online_reports:queue",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_lists_do_not_show_a_restricted_case_or_its_people_to_a_colleague(
    client, cast, world, colleague, name
):
    url = reverse(name) + "?scope=all&status=all"
    for user in (colleague, cast.staff):
        client.force_login(user)
        response = client.get(url)
        if response.status_code == 403:
            continue
        assert response.status_code == 200, (url, user)
        for secret in (world["case"].reference, "Vera Victim", "Percy Perpetrator"):
            assert secret.encode() not in response.content, (url, user, secret)


# --- Hand-made POSTs naming hidden people and cases on pages the colleague may open -------


@pytest.fixture
def visible_case(cast, colleague):
    """An ordinary case of the colleague's, whose victim is the tenant of a household member
    who appears only on the restricted case."""
    case = make_case(cast.organisation, cast.staff, assigned_officer=colleague)
    tenant = PersonFactory(organisation=cast.organisation, full_name="Tom Tenant", tenure="tenant")
    party_add(case=case, by=colleague, role=PartyRole.VICTIM, person=tenant)
    return case


def test_hand_made_post_of_a_hidden_match_on_party_add_links_no_one(
    client, world, colleague, visible_case
):
    hidden = world["victim"].person
    client.force_login(colleague)
    before = footprint([visible_case, world["case"]], form_sent=True)
    response = client.post(
        reverse("cases:party_add", args=[visible_case.pk]),
        {
            "party-role": "witness",
            "person-match": str(hidden.pk),
            "person-full_name": hidden.full_name,
            "person-tenure": "tenant",
            "person-preferred_language": "English",
            "person-preferred_format": "standard",
        },
    )
    assert response.status_code == 400
    assert b"Choose one of the people offered." in response.content
    assert footprint([visible_case, world["case"]], form_sent=True) == before


def test_hand_made_post_of_a_hidden_tenancy_holder_on_the_person_form_links_no_one(
    client, world, colleague, visible_case
):
    person = visible_case.parties.get().person
    client.force_login(colleague)
    response = client.post(
        reverse("cases:person_edit", args=[person.pk]),
        {
            "full_name": person.full_name,
            "tenure": "household_member",
            "tenancy_holder": world["victim"].person_id,
            "preferred_language": "English",
            "preferred_format": "standard",
            "version": person.version,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["tenancy_holder"] == [
        "Choose one of the people offered."
    ]
    person.refresh_from_db()
    assert person.tenancy_holder_id is None and person.tenure == Tenure.TENANT


def test_hand_made_post_of_a_hidden_household_member_on_a_transfer_referral_is_refused(
    client, cast, world, colleague, visible_case
):
    tenant = visible_case.parties.get().person
    household_member = PersonFactory(
        organisation=cast.organisation,
        full_name="Hattie Hidden",
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=tenant,
    )
    party_add(case=world["case"], by=cast.officer, role=PartyRole.WITNESS, person=household_member)
    client.force_login(colleague)
    url = reverse("transfers:referral_create", args=[visible_case.pk])
    page = client.get(url)
    assert list(page.context["form"].fields["household"].queryset) == [tenant]
    assert b"Hattie Hidden" not in page.content
    response = client.post(
        url,
        {
            "referral_type": ReferralType.MANAGED_TRANSFER,
            "household": [tenant.pk, household_member.pk],
            "reasons": [Reason.POLICE_ADVICE],
            "reason_details": "Police advise the family to move.",
            "urgency": Urgency.URGENT,
            "bedrooms_needed": 2,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["household"] == ["Choose one of the people offered."]
    assert response.context["form"]["reason_details"].value() == "Police advise the family to move."
    assert not TransferReferral.objects.filter(case=visible_case).exists()


def test_transfer_service_refuses_a_household_member_hidden_from_the_referrer(
    cast, world, colleague, visible_case
):
    from django.core.exceptions import ValidationError

    tenant = visible_case.parties.get().person
    household_member = PersonFactory(
        organisation=cast.organisation,
        tenure=Tenure.HOUSEHOLD_MEMBER,
        tenancy_holder=tenant,
    )
    party_add(case=world["case"], by=cast.officer, role=PartyRole.WITNESS, person=household_member)
    with pytest.raises(ValidationError) as refused:
        transfer_referral_create(
            case=visible_case,
            by=colleague,
            referral_type=ReferralType.MANAGED_TRANSFER,
            household=[tenant, household_member],
            reasons=[Reason.POLICE_ADVICE],
            reason_details="Police advise the family to move.",
            urgency=Urgency.URGENT,
            bedrooms_needed=2,
        )
    assert refused.value.message_dict["household"] == ["Choose one of the people offered."]


def test_hand_made_post_of_a_hidden_case_on_triage_add_to_case_is_refused(
    client, cast, world, colleague
):
    received = timezone.now() - timedelta(hours=1)
    report = online_report_submit(
        organisation=cast.organisation,
        answers={"description": "Shouting.", "full_name": "Vera Victim", "danger": "no"},
        received_at=received,
    )
    client.force_login(colleague)
    before = footprint([world["case"]], form_sent=True)
    response = client.post(
        reverse("online_reports:add_to_case", args=[report.pk]), {"case": world["case"].pk}
    )
    assert response.status_code == 400
    assert b"Choose one of the cases offered." in response.content
    report.refresh_from_db()
    assert report.status == OnlineReport.Status.NEW and report.case_id is None
    assert footprint([world["case"]], form_sent=True) == before
