"""The rule form: everything an admin ticks becomes a rule through ``rule_save``; mistakes
are told beside the field with the input kept. And the try page, through the browser's form."""

import pytest
from django.urls import reverse

from policy.schema import document_of
from policy.services import policy_version_create, rule_save
from tests.policy.conftest import rule_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast):
    return policy_version_create(
        organisation=cast.organisation,
        document={"title": "Our policy", "rules": []},
        by=cast.admin,
        origin="Written in the designer",
    )


def form_data(**fields):
    """A filled-in rule form as the browser posts it: two timescale rows, two action rows."""
    data = {
        "title": "First contact",
        "code": "",
        "clause": "4.2",
        "promise": "We will contact you within 1 working day.",
        "subject": "contact_complainant",
        "starts_on": "report_received",
        "tell_manager_when_overdue": "on",
        "timescales-TOTAL_FORMS": "2",
        "timescales-INITIAL_FORMS": "0",
        "timescales-0-unit": "working_days",
        "timescales-0-amount": "1",
        "timescales-0-violence": "yes",
        "timescales-0-categories": ["hate_crime", "hate_incident"],
        "timescales-0-note": "violence",
        "timescales-1-unit": "working_days",
        "timescales-1-amount": "3",
        "met_by-TOTAL_FORMS": "2",
        "met_by-INITIAL_FORMS": "0",
        "met_by-0-action": "contact",
        "met_by-0-roles": ["complainant"],
        "met_by-0-methods": ["phone", "visit"],
        "met_by-1-action": "",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_rule_form_saves_a_rule_with_conditions_and_matchers(client, cast, draft):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:rule_new"), form_data())
    assert response.status_code == 302
    [rule] = document_of(draft)["rules"]
    assert rule["code"] == "first_contact"  # made from the title
    assert rule["timescales"] == [
        {
            "unit": "working_days",
            "amount": 1,
            "conditions": {"categories": ["hate_crime", "hate_incident"], "violence": True},
            "note": "violence",
        },
        {"unit": "working_days", "amount": 3, "conditions": {}, "note": ""},
    ]
    assert rule["met_by"] == [
        {"action": "contact", "roles": ["complainant"], "methods": ["phone", "visit"]}
    ]
    assert rule["tell_manager_when_overdue"] is True
    assert draft.rules.get().history.first().history_user == cast.admin


def test_rule_form_ignores_the_amount_of_a_unit_without_one(client, cast, draft):
    client.force_login(cast.admin)
    client.post(
        reverse("policy:rule_new"),
        form_data(**{"timescales-0-unit": "same_working_day", "timescales-0-amount": "5"}),
    )
    assert document_of(draft)["rules"][0]["timescales"][0]["amount"] is None


def test_rule_form_asks_for_an_amount_beside_the_field_and_keeps_the_input(client, cast, draft):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:rule_new"), form_data(**{"timescales-1-amount": ""}))
    assert response.status_code == 200
    form = response.context["timescales"].forms[1]
    assert form.errors["amount"] == ["Say how many working days."]
    body = response.content.decode()
    assert 'id="id_timescales-1-amount_error"' in body
    assert 'aria-describedby="id_timescales-1-amount_help id_timescales-1-amount_error"' in body
    assert (
        response.context["form"]["promise"].value() == "We will contact you within 1 working day."
    )
    assert response.context["timescales"].forms[0]["categories"].value() == [
        "hate_crime",
        "hate_incident",
    ]
    assert not draft.rules.exists()


def test_rule_form_needs_a_timescale_and_something_that_meets_it(client, cast, draft):
    client.force_login(cast.admin)
    response = client.post(
        reverse("policy:rule_new"),
        form_data(
            **{
                "timescales-0-unit": "",
                "timescales-0-violence": "",
                "timescales-0-amount": "",
                "timescales-0-categories": None,
                "timescales-0-note": "",
                "timescales-1-unit": "",
                "timescales-1-amount": "",
            }
        ),
    )
    assert response.context["timescales"].non_form_errors() == ["Give at least one timescale."]
    response = client.post(
        reverse("policy:rule_new"),
        form_data(**{"met_by-0-action": "", "met_by-0-roles": None, "met_by-0-methods": None}),
    )
    assert response.context["matchers"].non_form_errors() == [
        "Say what meets this rule, or mark it a window that closes by itself."
    ]
    assert not draft.rules.exists()


def test_rule_saves_refusal_is_told_beside_the_field(client, cast, draft):
    rule_save(version=draft, by=cast.admin, data=rule_data("first_contact", "hours", 24))
    client.force_login(cast.admin)
    response = client.post(reverse("policy:rule_new"), form_data())
    assert response.context["form"].errors["code"] == ["Another rule of this policy has that code."]
    response = client.post(
        reverse("policy:rule_new"), form_data(code="weekly", agreed_frequency="on")
    )
    assert response.context["form"].errors["agreed_frequency"] == [
        "weekly: only a repeating rule can take an agreed frequency."
    ]
    response = client.post(
        reverse("policy:rule_new"),
        form_data(code="both", repeats="on", then_starts="first_contact"),
    )
    assert response.context["form"].errors["repeats"] == [
        "both: a rule either repeats or starts another, not both."
    ]
    assert draft.rules.count() == 1


def test_rule_form_edits_an_existing_rule_with_its_values_shown(client, cast, draft):
    rule = rule_save(
        version=draft,
        by=cast.admin,
        data=rule_data(
            "perpetrator_contact",
            "working_days",
            5,
            conditions={"started_on": [4], "hate_ground": False},
            starts_on="perpetrator_added",
            met_by=[{"action": "contact", "roles": ["perpetrator"], "in_person": True}],
        ),
    )
    client.force_login(cast.admin)
    response = client.get(reverse("policy:rule_edit", args=[rule.pk]))
    timescale = response.context["timescales"].forms[0]
    assert timescale["started_on"].value() == ["4"]
    assert timescale["hate_ground"].value() == "no"
    assert response.context["matchers"].forms[0]["in_person"].value() is True
    data = form_data(
        title="Contact the alleged perpetrator",
        code="perpetrator_contact",
        starts_on="perpetrator_added",
        **{
            "timescales-INITIAL_FORMS": "1",
            "timescales-1-DELETE": "on",
            "met_by-0-roles": ["perpetrator"],
        },
    )
    assert client.post(reverse("policy:rule_edit", args=[rule.pk]), data).status_code == 302
    [saved] = document_of(draft)["rules"]
    assert saved["title"] == "Contact the alleged perpetrator"
    assert [t["amount"] for t in saved["timescales"]] == [1]


def test_add_another_timescale_keeps_the_input_and_adds_a_row(client, cast, draft):
    client.force_login(cast.admin)
    response = client.post(reverse("policy:rule_new"), form_data(add_timescale="1"))
    assert response.status_code == 200
    assert len(response.context["timescales"].forms) == 3
    assert response.context["form"]["title"].value() == "First contact"
    assert response.context["timescales"].forms[1]["amount"].value() == "3"
    assert not draft.rules.exists()


def test_delete_a_rule(client, cast, draft):
    rule = rule_save(version=draft, by=cast.admin, data=rule_data("first_contact", "hours", 24))
    client.force_login(cast.admin)
    assert client.post(reverse("policy:rule_delete", args=[rule.pk])).status_code == 302
    assert not draft.rules.exists()
    assert rule.history.first().history_type == "-"


def test_try_page_lists_each_deadline_with_its_due_time_in_uk_time(client, cast, draft):
    rule_save(
        version=draft,
        by=cast.admin,
        data=rule_data(
            "first_contact",
            None,
            clause="4.2",
            title="First contact",
            timescales=[
                {
                    "unit": "working_days",
                    "amount": 1,
                    "conditions": {"hate_ground": True},
                    "note": "",
                },
                {"unit": "working_days", "amount": 3, "conditions": {}, "note": ""},
            ],
        ),
    )
    rule_save(
        version=draft,
        by=cast.admin,
        data=rule_data("after_closure", "days", 28, starts_on="case_closed", title="After closure"),
    )
    client.force_login(cast.manager)
    response = client.get(
        reverse("policy:try"),
        {
            "version": draft.pk,
            "reported_at": "2026-08-28T16:30",
            "category": "hate_incident",
            "hate_ground": "on",
            "event_case_closed": "on",
            "at_case_closed": "2026-10-24T12:00",
        },
    )
    assert response.status_code == 200
    rows = [(d.code, d.due_at) for d in response.context["result"].deadlines]
    assert [code for code, _ in rows] == ["first_contact", "after_closure"]
    body = response.content.decode()
    assert "Tue 1 Sep 2026, 17:00" in body  # 1 working day after Friday: Monday is a holiday
    assert "Sat 21 Nov 2026, 12:00" in body  # 28 days after closure, across the clock change
    assert "Within 1 working day where hostility on a protected ground" in body


def test_try_page_without_a_report_time_shows_the_form_only(client, cast, draft):
    client.force_login(cast.admin)
    response = client.get(reverse("policy:try"), {"version": draft.pk})
    assert response.context["result"] is None
    assert response.context["form"]["version"].value() == str(draft.pk)
