"""The one-month time limit (UK GDPR art. 12(3), counted as the ICO's guidance counts it)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from subject_access.due import one_month_after
from subject_access.services.requests import subject_access_request_record

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "due_day"),
    [
        # The corresponding date of the next month (Mon 15 Feb 2027).
        (at(2027, 1, 15, 10, 0), (2027, 2, 15)),
        # No 31 February: the month's last day, a Sunday, so the next working day.
        (at(2027, 1, 31, 9, 0), (2027, 3, 1)),
        # Christmas Day, then the weekend and the Boxing Day holiday on Monday 28th.
        (at(2026, 11, 25, 16, 0), (2026, 12, 29)),
        # Received just before midnight: the day of receipt is what counts.
        (at(2027, 3, 10, 23, 59), (2027, 4, 12)),  # 10 Apr 2027 is a Saturday
    ],
)
def test_sar_due_one_calendar_month_later_on_a_working_day(organisation, received, due_day):
    due = one_month_after(received_at=received, organisation=organisation)
    assert due == at(*due_day, 23, 59, 59)


def test_sar_request_is_overdue_one_second_after_the_end_of_its_due_day(cast, world, client):
    with time_machine.travel(at(2027, 1, 15, 10, 0), tick=False):
        request = subject_access_request_record(
            person=world.subject,
            by=cast.manager,
            received_at=at(2027, 1, 15, 9, 30),
            identity_check="Photo ID seen",
        )
    assert request.due_at == at(2027, 2, 15, 23, 59, 59)
    with time_machine.travel(request.due_at, tick=False):
        client.force_login(cast.manager)  # a session lasts 12 hours at most
        assert not request.is_overdue()
        page = client.get("/subject-access/").content.decode()
        assert "Overdue" not in page
    with time_machine.travel(request.due_at + timedelta(seconds=1), tick=False):
        client.force_login(cast.manager)
        assert request.is_overdue()
        page = client.get("/subject-access/").content.decode()
        assert "Overdue" in page


def test_sar_request_received_in_the_future_is_refused_beside_the_field(cast, world, client):
    client.force_login(cast.manager)
    response = client.post(
        f"/subject-access/people/{world.subject.pk}/request/",
        {"received_at": "2099-01-01T10:00", "identity_check": "Passport seen"},
    )
    page = response.content.decode()
    assert "A request cannot be received in the future." in page
    assert "Passport seen" in page  # the input is kept


def test_sar_and_rectification_due_this_week_or_overdue_show_on_team_deadlines(cast, world, client):
    from subject_access.services.rectification import rectification_request_record

    with time_machine.travel(at(2027, 1, 15, 10, 0), tick=False):
        sar = subject_access_request_record(
            person=world.subject,
            by=cast.manager,
            received_at=at(2027, 1, 15, 9, 30),
            identity_check="Photo ID seen",
        )
    with time_machine.travel(at(2027, 1, 20, 10, 0), tick=False):
        rr = rectification_request_record(
            person=world.subject,
            by=cast.manager,
            received_at=at(2027, 1, 20, 9, 30),
            details="Wrong phone number",
        )
    # Due Mon 15 Feb and Mon 22 Feb: a week before the first, only it is listed.
    with time_machine.travel(at(2027, 2, 9, 9, 0), tick=False):
        client.force_login(cast.manager)
        page = client.get("/my-work/team/").content.decode()
        assert sar.reference in page and rr.reference not in page
    with time_machine.travel(sar.due_at + timedelta(seconds=1), tick=False):
        client.force_login(cast.manager)
        response = client.get("/my-work/team/")
        rows = response.context["other_deadlines"]
        assert [d.title for d in rows] == [
            f"Subject access {sar.reference}",
            f"Rectification {rr.reference}",
        ]
        assert "Overdue" in response.content.decode()
    # Another organisation's manager sees none of them.
    with time_machine.travel(at(2027, 2, 9, 9, 0), tick=False):
        client.force_login(cast.outsider)
        assert client.get("/my-work/team/").context["other_deadlines"] == []
