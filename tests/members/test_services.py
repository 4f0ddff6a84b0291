"""Organisation admins add, change and deactivate members (accounts.services.members)."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from accounts.models import JobTitle, Membership, Role, User
from accounts.selectors import member_history
from accounts.services.invitations import INVITATION
from accounts.services.members import member_add, member_deactivate, member_update
from cases.models.choices import Status
from outbox import tasks
from outbox.models import EmailStatus, OutgoingEmail
from outbox.services import outbox_sweep
from tests.cases.factories import make_case
from tests.factories import AreaFactory, MembershipFactory, OrganisationFactory, member
from transfers.choices import Vote
from transfers.models import PanelMember
from transfers.services.decisions import (
    counts_as_manager,
    panel_decision_record,
    panel_vote_cast,
)

pytestmark = pytest.mark.django_db


def roles_of(user, organisation) -> set[str]:
    return set(
        Membership.objects.filter(user=user, organisation=organisation).values_list(
            "role", flat=True
        )
    )


def title_of(user, organisation) -> str:
    found = JobTitle.objects.filter(user=user, organisation=organisation).first()
    return found.title if found else ""


def errors_of(raised: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return raised.value.message_dict


# --- Adding -----------------------------------------------------------------------------


def test_new_email_makes_an_account_without_a_usable_password_and_queues_an_invitation(
    cast, django_capture_on_commit_callbacks
):
    central = AreaFactory(organisation=cast.organisation, name="Central")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        added = member_add(
            organisation=cast.organisation,
            by=cast.admin,
            email=" Nadia.New@WCH.test ",
            full_name="Nadia New",
            job_title="Housing officer",
            roles=[Role.OFFICER],
            areas=[central],
        )
    user = added.user
    assert added.created and added.invited and not added.reactivated
    assert user.email == "nadia.new@wch.test"
    assert (user.full_name, title_of(user, cast.organisation), user.is_active) == (
        "Nadia New",
        "Housing officer",
        True,
    )
    assert not user.has_usable_password()
    officer = Membership.objects.get(user=user, organisation=cast.organisation)
    assert officer.role == Role.OFFICER
    assert list(officer.areas.all()) == [central]
    # The e-mail goes only after commit, through the worker (eager here).
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["nadia.new@wch.test"]]
    # History: who, when and why.
    (row,) = officer.history.all()
    assert (row.history_type, row.history_user) == ("+", cast.admin)
    assert row.history_change_reason == "Areas: Central. New Haven account"


def test_nothing_is_sent_when_the_add_is_rolled_back(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        member_add(
            organisation=cast.organisation,
            by=cast.admin,
            email="late@wch.test",
            full_name="Late Starter",
            roles=[Role.STAFF],
        )
    assert len(callbacks) == 1  # queued for commit, not sent inside the transaction
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_invitation_written_while_the_broker_is_down_is_sent_by_the_outbox_sweep_once(cast, caplog):
    with (
        mock.patch.object(tasks.send_emails, "apply_async", side_effect=OSError("broker down")),
        caplog.at_level(logging.WARNING, logger="outbox.services"),
    ):
        added = member_add(
            organisation=cast.organisation,
            by=cast.admin,
            email="nadia.new@wch.test",
            full_name="Nadia New",
            roles=[Role.STAFF],
        )
    assert User.objects.filter(pk=added.user.pk).exists()  # the member is kept
    assert mail.outbox == []
    assert "the outbox sweep will retry" in caplog.text
    assert "nadia" not in caplog.text.lower()  # no address or name in the log
    row = OutgoingEmail.objects.get(kind=INVITATION)
    assert row.status == EmailStatus.QUEUED and row.enqueued_at is None
    assert outbox_sweep().requeued == 0  # just written: its hand-over may still be running
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert outbox_sweep().requeued == 1
        assert outbox_sweep().requeued == 0
    assert [m.to for m in mail.outbox] == [["nadia.new@wch.test"]]
    row.refresh_from_db()
    assert row.status == EmailStatus.SENT and row.sent_at is not None


def test_known_email_gets_the_roles_on_the_existing_account(cast):
    partner = OrganisationFactory(name="Partner Homes", code="PTH")
    pat = member(partner, Role.OFFICER, email="pat@partner.test", full_name="Pat Partner")
    JobTitle.objects.create(user=pat, organisation=partner, title="Tenancy officer")
    added = member_add(
        organisation=cast.organisation,
        by=cast.admin,
        email="PAT@partner.test",
        full_name="Somebody Else",
        job_title="Panel adviser",
        roles=[Role.MANAGER, Role.PANEL],
    )
    assert added.user == pat and not added.created and not added.invited
    assert User.objects.filter(email__iexact="pat@partner.test").count() == 1
    pat.refresh_from_db()
    assert pat.full_name == "Pat Partner"  # the name is the account owner's
    # The title typed is this organisation's own; the partner still sees theirs.
    assert title_of(pat, cast.organisation) == "Panel adviser"
    assert title_of(pat, partner) == "Tenancy officer"
    assert roles_of(pat, cast.organisation) == {Role.MANAGER, Role.PANEL}
    assert roles_of(pat, partner) == {Role.OFFICER}  # the partner's roles are untouched
    assert pat.check_password("correct-horse-battery")
    assert mail.outbox == []


def test_job_title_changed_by_one_organisation_is_not_seen_by_another(cast):
    partner = OrganisationFactory(name="Partner Homes", code="PTH")
    shared = member(partner, Role.OFFICER, full_name="Sam Shared")
    MembershipFactory(user=shared, organisation=cast.organisation, role=Role.STAFF)
    JobTitle.objects.create(user=shared, organisation=partner, title="Tenancy officer")
    changed = member_update(
        organisation=cast.organisation,
        user=shared,
        by=cast.admin,
        roles=[Role.STAFF],
        job_title="Volunteer",
    )
    assert changed.job_title_changed
    assert title_of(shared, cast.organisation) == "Volunteer"
    assert title_of(shared, partner) == "Tenancy officer"
    shared.refresh_from_db()
    assert shared.full_name == "Sam Shared"


def test_deactivated_account_is_reactivated_when_added_again_by_the_same_organisation(cast):
    gone = member(cast.organisation, Role.STAFF, full_name="Gone Away")
    member_deactivate(organisation=cast.organisation, user=gone, by=cast.admin, reason="Left")
    gone.refresh_from_db()
    assert not gone.is_active and gone.deactivated_by_organisation == cast.organisation
    added = member_add(
        organisation=cast.organisation,
        by=cast.admin,
        email=gone.email,
        full_name="Gone Away",
        roles=[Role.STAFF],
    )
    gone.refresh_from_db()
    assert added.reactivated and gone.is_active
    assert gone.deactivated_by_organisation is None
    assert roles_of(gone, cast.organisation) == {Role.STAFF}


def test_account_deactivated_by_another_organisation_is_not_reactivated(cast):
    gone = member(cast.other_organisation, Role.STAFF, full_name="Gone Elsewhere")
    member_deactivate(
        organisation=cast.other_organisation, user=gone, by=cast.outsider, reason="Dismissed"
    )
    added = member_add(
        organisation=cast.organisation,
        by=cast.admin,
        email=gone.email,
        full_name="Gone Elsewhere",
        roles=[Role.STAFF],
    )
    gone.refresh_from_db()
    assert not added.reactivated
    assert not gone.is_active  # still cannot sign in
    assert gone.deactivated_by_organisation == cast.other_organisation
    assert roles_of(gone, cast.organisation) == {Role.STAFF}


def test_account_deactivated_by_a_platform_administrator_is_not_reactivated(cast):
    gone = member(cast.other_organisation, Role.STAFF, full_name="Locked Out")
    gone.is_active = False  # as the admin site does (accounts.admin.UserAdmin)
    gone.save()
    member_add(
        organisation=cast.organisation,
        by=cast.admin,
        email=gone.email,
        full_name="Locked Out",
        roles=[Role.STAFF],
    )
    gone.refresh_from_db()
    assert not gone.is_active


def test_adding_someone_already_here_is_refused_beside_the_email(cast):
    with pytest.raises(ValidationError) as raised:
        member_add(
            organisation=cast.organisation,
            by=cast.admin,
            email=cast.officer.email,
            full_name="Olivia Officer",
            roles=[Role.MANAGER],
        )
    assert "already a member" in errors_of(raised)["email"][0]
    assert roles_of(cast.officer, cast.organisation) == {Role.OFFICER}


def test_areas_must_be_the_organisations_and_only_for_officers(cast):
    theirs = AreaFactory(organisation=cast.other_organisation, name="Elsewhere")
    ours = AreaFactory(organisation=cast.organisation, name="Oxhey")
    common = {
        "organisation": cast.organisation,
        "by": cast.admin,
        "email": "a@wch.test",
        "full_name": "A Person",
    }
    with pytest.raises(ValidationError) as raised:
        member_add(**common, roles=[Role.OFFICER], areas=[theirs])
    assert errors_of(raised)["areas"] == ["Choose areas of this organisation."]
    with pytest.raises(ValidationError) as raised:
        member_add(**common, roles=[Role.STAFF], areas=[ours])
    assert "Areas are for housing officers" in errors_of(raised)["areas"][0]
    with pytest.raises(ValidationError) as raised:
        member_add(**common, roles=[])
    assert errors_of(raised)["roles"] == ["Choose at least one role."]
    assert not User.objects.filter(email="a@wch.test").exists()


# --- Changing ---------------------------------------------------------------------------


def test_update_adds_and_removes_roles_with_who_and_why_in_the_history(cast):
    member_update(
        organisation=cast.organisation,
        user=cast.staff,
        by=cast.admin,
        roles=[Role.OFFICER, Role.PANEL],
        job_title="Neighbourhood officer",
        reason="Promoted",
    )
    cast.staff.refresh_from_db()
    assert roles_of(cast.staff, cast.organisation) == {Role.OFFICER, Role.PANEL}
    assert title_of(cast.staff, cast.organisation) == "Neighbourhood officer"
    events = member_history(organisation=cast.organisation, user=cast.staff)
    described = {(e.what, e.who, e.why) for e in events}
    assert ("Role Staff taken away", cast.admin, "Promoted") in described
    assert ("Given the role Housing officer", cast.admin, "Areas: none. Promoted") in described
    assert ("Given the role Housing panel member", cast.admin, "Promoted") in described


def test_update_changes_an_officers_areas_and_records_them(cast):
    north, south = (AreaFactory(organisation=cast.organisation, name=n) for n in ("North", "South"))
    member_update(
        organisation=cast.organisation,
        user=cast.officer,
        by=cast.admin,
        roles=[Role.OFFICER],
        areas=[north, south],
        job_title="",
        reason="Covering for Owen",
    )
    officer = Membership.objects.get(user=cast.officer, organisation=cast.organisation)
    assert set(officer.areas.all()) == {north, south}
    latest = officer.history.first()
    assert latest.history_type == "~"
    assert latest.history_change_reason == "Areas: North, South. Covering for Owen"


def test_role_or_area_changes_need_a_reason_but_a_job_title_does_not(cast):
    with pytest.raises(ValidationError) as raised:
        member_update(
            organisation=cast.organisation,
            user=cast.staff,
            by=cast.admin,
            roles=[Role.STAFF, Role.PANEL],
            job_title="",
            reason="  ",
        )
    assert "Say why" in errors_of(raised)["reason"][0]
    changed = member_update(
        organisation=cast.organisation,
        user=cast.staff,
        by=cast.admin,
        roles=[Role.STAFF],
        job_title="Receptionist",
    )
    assert changed.job_title_changed and not changed.roles_added


def test_the_last_organisation_admin_cannot_lose_the_role_even_themselves(cast):
    with pytest.raises(ValidationError) as raised:
        member_update(
            organisation=cast.organisation,
            user=cast.admin,
            by=cast.admin,
            roles=[Role.MANAGER],
            job_title="",
            reason="Stepping down",
        )
    assert "must keep at least one organisation admin" in errors_of(raised)["roles"][0]
    assert roles_of(cast.admin, cast.organisation) == {Role.ORG_ADMIN}
    # With a second admin, stepping down is allowed.
    MembershipFactory(user=cast.manager, organisation=cast.organisation, role=Role.ORG_ADMIN)
    member_update(
        organisation=cast.organisation,
        user=cast.admin,
        by=cast.admin,
        roles=[Role.MANAGER],
        job_title="",
        reason="Stepping down",
    )
    assert roles_of(cast.admin, cast.organisation) == {Role.MANAGER}


def test_an_inactive_admin_does_not_count_as_the_one_left(cast):
    member(cast.organisation, Role.ORG_ADMIN, is_active=False)
    with pytest.raises(ValidationError, match="at least one organisation admin"):
        member_update(
            organisation=cast.organisation,
            user=cast.admin,
            by=cast.admin,
            roles=[Role.MANAGER],
            job_title="",
            reason="Stepping down",
        )


def test_an_officer_with_open_cases_keeps_the_officer_role_until_they_are_reassigned(cast):
    first = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    closed = make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)
    closed.status = Status.CLOSED
    closed.save(update_fields=["status"])
    with pytest.raises(ValidationError) as raised:
        member_update(
            organisation=cast.organisation,
            user=cast.officer,
            by=cast.admin,
            roles=[Role.STAFF],
            job_title="",
            reason="Moving to reception",
        )
    assert errors_of(raised)["roles"] == [
        "Olivia Officer has 2 open cases assigned: reassign them before removing the "
        "housing officer role."
    ]
    with pytest.raises(ValidationError, match="2 open cases"):
        member_deactivate(
            organisation=cast.organisation, user=cast.officer, by=cast.admin, reason="Left"
        )
    assert roles_of(cast.officer, cast.organisation) == {Role.OFFICER}
    # Keeping the role while adding another is fine.
    member_update(
        organisation=cast.organisation,
        user=cast.officer,
        by=cast.admin,
        roles=[Role.OFFICER, Role.STAFF],
        job_title="",
        reason="Also on reception",
    )
    # Once the open cases are with someone else, the role can go.
    for case in cast.organisation.cases.filter(status__in=["new", "open", "closing"]):
        case.assigned_officer = cast.manager
        case.save(update_fields=["assigned_officer"])
    assert first.pk
    # The officer's areas, still ticked on the form, go with the role.
    patch = AreaFactory(organisation=cast.organisation, name="Patch")
    member_update(
        organisation=cast.organisation,
        user=cast.officer,
        by=cast.admin,
        roles=[Role.STAFF],
        areas=[patch],
        job_title="",
        reason="Moving to reception",
    )
    assert roles_of(cast.officer, cast.organisation) == {Role.STAFF}
    assert not patch.memberships.exists()


def test_roles_change_only_in_the_admins_organisation(cast):
    partner = OrganisationFactory(name="Partner Homes", code="PTH")
    MembershipFactory(user=cast.officer, organisation=partner, role=Role.MANAGER)
    member_update(
        organisation=cast.organisation,
        user=cast.officer,
        by=cast.admin,
        roles=[Role.OFFICER, Role.PANEL],
        job_title="",
        reason="Joins the panel",
    )
    assert roles_of(cast.officer, partner) == {Role.MANAGER}
    # Someone who holds no role here cannot be changed from here.
    with pytest.raises(ValidationError, match="holds no role"):
        member_update(
            organisation=cast.organisation,
            user=cast.outsider,
            by=cast.admin,
            roles=[Role.STAFF],
            job_title="",
            reason="x",
        )
    assert roles_of(cast.outsider, cast.organisation) == set()


# --- The Housing Panel mark (W05) ------------------------------------------------------


def test_w05_panel_manager_mark_set_by_the_admin_counts_towards_the_quorum(cast):
    from tests.transfers.conftest import open_case, panellist, refer

    referral = refer(open_case(cast.organisation, cast.officer), cast.officer)
    marked = cast.panel
    other_manager = panellist(cast.organisation, manager=True)
    third = panellist(cast.organisation, manager=False)
    assert not counts_as_manager(user=marked, organisation_id=cast.organisation.pk)

    member_update(
        organisation=cast.organisation,
        user=marked,
        by=cast.admin,
        roles=[Role.PANEL],
        counts_as_manager=True,
        job_title="Board member",
        reason="Chairs the board",
    )
    mark = PanelMember.objects.get(organisation=cast.organisation, user=marked)
    assert mark.is_manager
    assert mark.history.first().history_user == cast.admin
    assert counts_as_manager(user=marked, organisation_id=cast.organisation.pk)
    for voter in (marked, other_manager, third):
        panel_vote_cast(referral=referral, member=voter, vote=Vote.APPROVE, comment="Agreed.")
    decision = panel_decision_record(referral=referral, by=marked)
    assert decision.manager_votes == 2 and decision.outcome == Vote.APPROVE

    # Taking the mark off deletes the row: they no longer count.
    member_update(
        organisation=cast.organisation,
        user=marked,
        by=cast.admin,
        roles=[Role.PANEL],
        counts_as_manager=False,
        job_title="Board member",
        reason="Left the board",
    )
    assert not PanelMember.objects.filter(organisation=cast.organisation, user=marked).exists()
    assert not counts_as_manager(user=marked, organisation_id=cast.organisation.pk)
    whats = [e.what for e in member_history(organisation=cast.organisation, user=marked)]
    assert whats[:2] == [
        "Housing Panel: no longer counts as a manager",
        "Housing Panel: counts as a manager",
    ]


def test_w05_without_the_mark_the_same_votes_do_not_make_a_decision(cast):
    from tests.transfers.conftest import open_case, panellist, refer

    referral = refer(open_case(cast.organisation, cast.officer), cast.officer)
    voters = [cast.panel, panellist(cast.organisation, manager=True)]
    voters.append(panellist(cast.organisation, manager=False))
    for voter in voters:
        panel_vote_cast(referral=referral, member=voter, vote=Vote.APPROVE, comment="Agreed.")
    with pytest.raises(ValidationError, match="1 of the 2 managers"):
        panel_decision_record(referral=referral, by=cast.panel)


def test_the_panel_mark_needs_the_panel_role_and_goes_with_it(cast):
    with pytest.raises(ValidationError) as raised:
        member_update(
            organisation=cast.organisation,
            user=cast.staff,
            by=cast.admin,
            roles=[Role.STAFF],
            counts_as_manager=True,
            job_title="",
            reason="x",
        )
    assert "Only Housing panel members" in errors_of(raised)["counts_as_manager"][0]
    PanelMember.objects.create(organisation=cast.organisation, user=cast.panel, is_manager=True)
    member_update(
        organisation=cast.organisation,
        user=cast.panel,
        by=cast.admin,
        roles=[Role.STAFF],
        job_title="",
        reason="Off the panel",
    )
    assert not PanelMember.objects.filter(user=cast.panel).exists()


# --- Deactivating -----------------------------------------------------------------------


def test_deactivate_removes_every_role_here_and_closes_an_account_with_none_left(cast):
    PanelMember.objects.create(organisation=cast.organisation, user=cast.panel, is_manager=True)
    MembershipFactory(user=cast.panel, organisation=cast.organisation, role=Role.STAFF)
    result = member_deactivate(
        organisation=cast.organisation, user=cast.panel, by=cast.admin, reason="Retired"
    )
    cast.panel.refresh_from_db()
    assert result.account_closed and not cast.panel.is_active
    assert result.roles_removed == (Role.STAFF, Role.PANEL)
    assert roles_of(cast.panel, cast.organisation) == set()
    assert not PanelMember.objects.filter(user=cast.panel).exists()
    events = member_history(organisation=cast.organisation, user=cast.panel)
    removed = [e for e in events if e.what.endswith("taken away")]
    assert len(removed) == 2
    assert all(e.who == cast.admin and e.why == "Deactivated: Retired" for e in removed)


def test_deactivate_keeps_the_account_of_someone_working_for_a_partner(cast):
    partner = OrganisationFactory(name="Partner Homes", code="PTH")
    MembershipFactory(user=cast.staff, organisation=partner, role=Role.STAFF)
    result = member_deactivate(
        organisation=cast.organisation, user=cast.staff, by=cast.admin, reason="Moved to PTH"
    )
    cast.staff.refresh_from_db()
    assert not result.account_closed and cast.staff.is_active
    assert roles_of(cast.staff, partner) == {Role.STAFF}


def test_nobody_deactivates_themselves_and_a_reason_is_required(cast):
    MembershipFactory(user=cast.manager, organisation=cast.organisation, role=Role.ORG_ADMIN)
    with pytest.raises(ValidationError) as raised:
        member_deactivate(
            organisation=cast.organisation, user=cast.admin, by=cast.admin, reason="Leaving"
        )
    assert errors_of(raised)[NON_FIELD_ERRORS] == [
        "You cannot deactivate yourself: ask another organisation admin."
    ]
    with pytest.raises(ValidationError) as raised:
        member_deactivate(organisation=cast.organisation, user=cast.staff, by=cast.admin, reason="")
    assert "Say why" in errors_of(raised)["reason"][0]
    assert roles_of(cast.admin, cast.organisation) == {Role.ORG_ADMIN}
    assert roles_of(cast.staff, cast.organisation) == {Role.STAFF}
