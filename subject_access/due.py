"""The one-month time limit (UK GDPR art. 12(3); the ICO's guidance on counting it).

The month runs from the day the request is received to the corresponding calendar date of
the next month; where that month has no such date (received 31 January), to its last day;
where the date falls on a weekend or bank holiday, to the next working day. The answer is due
by the end of that day, in UK time. The organisation's bank-holiday region applies.
"""

from datetime import datetime, time

from policy.calendar import LONDON, WorkingCalendar, add_months
from policy.settings import policy_for

END_OF_DAY = time(23, 59, 59)


def one_month_after(*, received_at: datetime, organisation) -> datetime:
    calendar = WorkingCalendar.for_policy(policy_for(organisation))
    day = add_months(received_at, 1).date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    return datetime.combine(day, END_OF_DAY, tzinfo=LONDON)
