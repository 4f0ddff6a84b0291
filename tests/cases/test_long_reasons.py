"""Reasons longer than 100 characters are kept whole: every reason a form accepts fits where
it is stored, above all in the history's change reason (a TextField everywhere), and a reason
longer than the form allows is refused beside the field with the input kept."""

import pytest
from django.db import connection
from django.urls import reverse

from cases.forms.changes import (
    CaseEditForm,
    ReassignForm,
    RecategoriseForm,
    RestrictForm,
)
from cases.models import Case
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

REASON = ("The officer explains at length why this change is needed. " * 10)[:500]
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite does not enforce a varchar's length; PostgreSQL does",
)


@pytest.fixture
def case(cast):
    return make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)


def _latest_reason(case):
    return Case.objects.get(pk=case.pk).history.first().history_change_reason


@postgresql_only
def test_long_reason_when_changing_the_category_is_saved_whole_on_postgresql(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(
        reverse("cases:recategorise", args=[case.pk]),
        {"category": "hate_crime", "reason": REASON, "version": case.version},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).category == "hate_crime"
    assert _latest_reason(case) == f"Recategorised: {REASON}"


@postgresql_only
def test_long_reason_when_changing_the_officer_is_saved_whole_on_postgresql(client, cast, case):
    client.force_login(cast.manager)
    response = client.post(
        reverse("cases:reassign", args=[case.pk]),
        {"officer": cast.manager.pk, "reason": REASON, "version": case.version},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).assigned_officer == cast.manager
    assert _latest_reason(case) == f"Reassigned: {REASON}"


@postgresql_only
def test_long_reason_when_restricting_is_saved_whole_on_postgresql(client, cast, case):
    client.force_login(cast.manager)
    response = client.post(
        reverse("cases:restrict", args=[case.pk]),
        {
            "restricted": "on",
            "named_staff": [cast.officer.pk],
            "reason": REASON,
            "version": case.version,
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).restricted
    assert REASON in _latest_reason(case)


@postgresql_only
def test_long_reason_when_editing_the_case_is_saved_whole_on_postgresql(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "status": "open",
            "risk_level": "high",
            "location": "Block A",
            "summary": "Summary after the edit",
            "prior_action": "",
            "version": case.version,
            "reason": REASON,
        },
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).summary == "Summary after the edit"
    assert REASON in _latest_reason(case)


@postgresql_only
def test_long_reason_when_reassigning_in_bulk_is_saved_whole_on_postgresql(client, cast):
    cases = [make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)]
    client.force_login(cast.manager)
    response = client.post(
        reverse("cases:bulk_reassign"),
        {"cases": [c.pk for c in cases], "officer": cast.manager.pk, "reason": REASON},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=cases[0].pk).assigned_officer == cast.manager
    assert _latest_reason(cases[0]) == f"Reassigned in bulk: {REASON}"


def test_every_historical_model_keeps_its_change_reason_in_a_text_field():
    """One setting for every app's history, so no new model falls back to 100 characters."""
    from django.apps import apps
    from django.db import models

    historical = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    assert historical
    for model in historical:
        field = model._meta.get_field("history_change_reason")
        assert isinstance(field, models.TextField), model.__name__


TOO_LONG = "x" * 1001


@pytest.mark.parametrize(
    ("form_class", "needs"),
    [
        (RecategoriseForm, "organisation"),
        (ReassignForm, "organisation"),
        (RestrictForm, "organisation"),
    ],
)
def test_a_reason_over_the_limit_is_refused_beside_the_field(cast, form_class, needs):
    kwargs = {"organisation": cast.organisation} if form_class is not RecategoriseForm else {}
    form = form_class({"reason": TOO_LONG, "version": 1}, **kwargs)
    assert not form.is_valid()
    assert "at most 1000 characters" in " ".join(form.errors["reason"])
    form = form_class({"reason": REASON, "version": 1}, **kwargs)
    form.is_valid()
    assert "reason" not in form.errors


def test_the_case_edit_reason_accepts_500_characters_and_refuses_over_1000(cast, case):
    data = {"status": "open", "risk_level": "high", "summary": "S", "version": case.version}
    assert "reason" not in CaseEditForm({**data, "reason": REASON}, instance=case).errors
    form = CaseEditForm({**data, "reason": TOO_LONG}, instance=case)
    assert "at most 1000 characters" in " ".join(form.errors["reason"])


def test_a_bulk_reason_over_the_limit_is_refused_with_the_input_kept(client, cast):
    cases = [make_case(cast.organisation, cast.staff, assigned_officer=cast.officer)]
    client.force_login(cast.manager)
    response = client.post(
        reverse("cases:bulk_reassign"),
        {"cases": [c.pk for c in cases], "officer": cast.manager.pk, "reason": TOO_LONG},
    )
    assert Case.objects.get(pk=cases[0].pk).assigned_officer == cast.officer
    body = response.content.decode()
    assert "at most 1000 characters" in body
    assert TOO_LONG in body


MEMBER_REASON = REASON[:200]  # the member form's own limit


def test_a_member_change_reason_at_the_forms_limit_is_kept_whole_in_the_panel_marks_history(cast):
    from accounts.models import Role
    from accounts.services.members import member_update
    from transfers.models import PanelMember

    member_update(
        organisation=cast.organisation,
        user=cast.panel,
        by=cast.admin,
        roles=[Role.PANEL],
        counts_as_manager=True,
        job_title="Board member",
        reason=MEMBER_REASON,
    )
    mark = PanelMember.objects.get(organisation=cast.organisation, user=cast.panel)
    assert mark.history.first().history_change_reason == MEMBER_REASON


@postgresql_only
def test_a_long_closure_rationale_and_deadline_waiver_are_saved_whole_on_postgresql(cast, case):
    from deadlines.models import Deadline
    from deadlines.services import deadline_waive
    from letters.services.closure import case_close

    deadline = Deadline.objects.filter(case=case).first()
    if deadline is not None:
        deadline_waive(deadline=deadline, by=cast.manager, reason=REASON * 2)
        deadline.refresh_from_db()
        assert deadline.waived_reason == REASON * 2
    closure = case_close(
        case=case,
        by=cast.officer,
        reason="action_complete",
        rationale=REASON * 2,
        discussed_with_complainant=True,
        discussed_on=case.received_at.date(),
        discussion_notes=REASON,
        expected_version=Case.objects.get(pk=case.pk).version,
    )
    closure.refresh_from_db()
    assert closure.rationale == REASON * 2 and closure.discussion_notes == REASON
