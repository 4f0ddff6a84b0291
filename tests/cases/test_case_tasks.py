"""The case page's "What needs doing next": one prioritised list from the case's live
deadlines and the steps its file is missing, each with its status and the button that
does it (cases/next_steps.py)."""

import pytest
import time_machine
from django.urls import reverse

from policy.settings import Preset
from tests.deadline_helpers import apply_preset, complainant, london, open_case

pytestmark = pytest.mark.django_db
NOW = london(2026, 11, 25, 10, 0)  # Wednesday
RECEIVED = london(2026, 11, 13, 10, 0)  # Friday, 12 days before


@pytest.fixture
def circle(cast):
    apply_preset(cast.organisation, Preset.CIRCLE_ANGLIA_2009)
    return cast


def tasks_on(client, case):
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.context["tasks"], response.content.decode()


def test_c20_w10_tasks_list_the_overdue_interview_and_the_assessment_before_the_rest(
    client, circle
):
    with time_machine.travel(RECEIVED, tick=False):
        case = open_case(circle, received_at=RECEIVED)
        complainant(case)
    client.force_login(circle.officer)
    tasks, body = tasks_on(client, case)
    by_text = {task.text: task for task in tasks}

    # C20: interview within 10 days of the report, due Monday 23 Nov 10:00.
    interview = by_text["Interview the complainant"]
    assert interview.status.text == "overdue by 2 days"
    assert interview.url == reverse("cases:contact_add", args=[case.pk])
    assert interview.label == "Record the contact"
    assert interview.why.startswith("C20 (004 §4.9)")
    # W10: a High Risk case without a risk assessment, no clock of its own but urgent.
    assessment = next(t for t in tasks if t.text.startswith("Complete the risk assessment"))
    assert assessment.url == reverse("risk:assessment_new", args=[case.pk])
    # C21: the plan not agreed is the action-plan deadline's task, listed once.
    plan = by_text["Agree an action plan"]
    assert plan.status.text == "due in 2 days"
    assert plan.url == reverse("support:plan_agree", args=[case.pk])
    assert not any(t.text == "Agree the action plan with the complainant" for t in tasks)
    # "Contact the complainant" is the W08/C17 deadline's, not also a missing step.
    assert not any(t.text.startswith("Contact the complainant and record") for t in tasks)

    order = [t.status.tone for t in tasks]
    assert order == sorted(order, key=["overdue", "urgent", "today", "soon", "later", "todo"].index)
    assert tasks.index(interview) < tasks.index(assessment)
    # Longest overdue first: the 24-hour first contact (C17), then the interview.
    assert tasks[0].rule == "w08_first_contact"
    # On the page: the status, the button and the clause behind "Why is this due?".
    assert "Overdue by 2 days</span>" in body
    assert f'href="{interview.url}">Record the contact' in body
    section = body[body.index('data-testid="next-steps"') : body.index("deadline-panel-title")]
    assert "<summary>Why is this due?</summary><div>C20 (004 §4.9)" in section
    assert section.index("Interview the complainant") < section.index("C20 (004 §4.9)")


def test_tasks_without_a_deadline_come_from_the_case_file(client, circle):
    with time_machine.travel(RECEIVED, tick=False):
        case = open_case(circle, received_at=RECEIVED)
    client.force_login(circle.officer)
    tasks, _ = tasks_on(client, case)
    texts = [t.text for t in tasks]
    assert "Add the victim or complainant" in texts
    assert "Record the incident: when, where, what happened (C08)" in texts
    add_person = next(t for t in tasks if t.text == "Add the victim or complainant")
    assert add_person.status.text == "to do"
    assert add_person.url == reverse("cases:party_add", args=[case.pk])
    # Steps with no clock come after every deadline.
    assert tasks[-1].status.tone == "todo"


def test_someone_who_may_not_work_the_case_sees_the_tasks_without_buttons(client, circle):
    with time_machine.travel(RECEIVED, tick=False):
        case = open_case(circle, received_at=RECEIVED)
    # The member of staff who logged it may open it but not work it.
    client.force_login(circle.staff)
    tasks, body = tasks_on(client, case)
    assert tasks and all(task.url == "" for task in tasks)
    assert reverse("cases:contact_add", args=[case.pk]) not in body


def test_a_met_deadline_leaves_the_list(client, circle):
    from tests.deadline_helpers import log_phone_call

    with time_machine.travel(RECEIVED, tick=False):
        case = open_case(circle, received_at=RECEIVED)
        party = complainant(case)
    with time_machine.travel(london(2026, 11, 16, 11, 0), tick=False):
        log_phone_call(
            case,
            by=circle.officer,
            at=london(2026, 11, 16, 11, 0),
            purpose="interview",
            party=party,
            method="in_person",
        )
    client.force_login(circle.officer)
    tasks, _ = tasks_on(client, case)
    assert "Interview the complainant" not in [t.text for t in tasks]
