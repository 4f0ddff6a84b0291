"""E-mails Haven promises while Redis is down and the worker stopped (member invitations,
password resets): each sent exactly once after both come back, Redis empty."""

import contextlib
import time

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import member

from .stack import Browser, recipients, wait_until
from .workload import PASSWORD

pytestmark = pytest.mark.fault

SWEEP_SECONDS = 10


def test_invitations_and_password_resets_promised_while_redis_is_down_are_sent_once(stack, people):
    stack.extra_env.update(
        {
            "HAVEN_OUTBOX_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "HAVEN_PASSWORD_RESET_LIMIT_PER_CLIENT": "1000",
        }
    )
    forgetful = [
        member(people.organisation, Role.OFFICER, email=f"forgetful-{n}@example.test")
        for n in range(2)
    ]
    stack.redis.start()
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    admin = Browser(stack.base_url)
    admin.sign_in(people.admin.email, PASSWORD)

    stack.stop("worker")
    stack.redis.stop()
    answers = []
    invited = [f"invited-{n}@example.test" for n in range(3)]
    for address in invited:
        admin.get(reverse("accounts:member_add"))
        response = admin.post(
            reverse("accounts:member_add"),
            {"email": address, "full_name": "New Member", "roles": [Role.STAFF]},
        )
        answers.append(("invitation", response.status))
    for user in forgetful:
        resident = Browser(stack.base_url)
        resident.get(reverse("password_reset"))
        response = resident.post(reverse("password_reset"), {"email": user.email})
        answers.append(("password reset", response.status))
    promised = invited + [user.email for user in forgetful]

    stack.redis.start()  # empty: whatever was queued before is gone
    stack.start_worker()
    took = None
    with contextlib.suppress(AssertionError):
        took = wait_until(
            lambda: all(recipients(stack.mails())[a] >= 1 for a in promised),
            timeout=150,
            what="every promised e-mail",
        )
    time.sleep(SWEEP_SECONDS + 2)  # another sweep: nothing twice
    sent_to = recipients(stack.mails())
    counts = {address: sent_to[address] for address in promised}
    print(
        f"\nanswers while Redis was down: {answers}; e-mails sent per address after it came "
        f"back: {counts}"
        + (f" (all within {took:.0f} s)" if took is not None else " (not all within 150 s)")
    )
    assert all(status == 302 for _, status in answers)
    assert set(counts.values()) == {1}
