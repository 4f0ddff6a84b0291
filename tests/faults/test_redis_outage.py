"""Redis (cache and broker) stopped for 60 s under a steady stream of officers' saves and
residents' reports. Nothing saved may fail, every report is stored, and every
acknowledgement and closure letter is sent exactly once after Redis comes back (empty, as a
Redis without persistence does)."""

import time
from collections import Counter

import pytest
from django.urls import reverse

from cases.models import Note, OnlineReport
from letters.models import Letter, LetterKind, LetterStatus

from .stack import Browser, recipients, wait_until
from .workload import PASSWORD, case_with_victim, close_case_by_http, resident_report

pytestmark = pytest.mark.fault

OUTAGE_SECONDS = 60
CALM_SECONDS = 10
SWEEP_SECONDS = 10
PACE_SECONDS = 1.0


def test_redis_stopped_for_60s_loses_no_save_report_e_mail_or_letter(stack, people):
    stack.extra_env.update(
        {
            "HAVEN_LETTER_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "HAVEN_OUTBOX_SWEEP_SECONDS": str(SWEEP_SECONDS),
            "HAVEN_HEARTBEAT_SECONDS": "5",
            # Every resident here comes from 127.0.0.1: the per-sender limit is not the test.
            "HAVEN_REPORT_LIMIT_PER_ADDRESS": "10000",
            "HAVEN_REPORT_LIMIT_PER_ORGANISATION": "10000",
        }
    )
    notes_case = case_with_victim(people, 0)
    to_close = [case_with_victim(people, n) for n in range(1, 40)]
    stack.redis.start()
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    officer = Browser(stack.base_url)
    officer.sign_in(people.officer.email, PASSWORD)

    outcomes: list[tuple[str, str, bool, str]] = []
    reports = 0

    def work(phase: str, seconds: float) -> None:
        nonlocal reports
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            # A steady stream, about one round a second: a fast machine must not close every
            # case before Redis stops and leave no closure to make while it is down.
            paced = time.monotonic() + PACE_SECONDS
            response = officer.post(
                reverse("cases:note_add", args=[notes_case.pk]),
                {"text": f"Note {len(outcomes)} ({phase})"},
            )
            outcomes.append((phase, "note", response.status == 302, str(response.status)))
            reports += 1
            saved, detail = resident_report(stack.base_url, "FLT", reports)
            outcomes.append((phase, "report", saved, detail))
            if to_close:
                response = close_case_by_http(officer, to_close.pop(0))
                outcomes.append((phase, "closure", response.status == 302, str(response.status)))
            time.sleep(max(0.0, paced - time.monotonic()))

    work("before", CALM_SECONDS)
    stack.redis.stop()
    stopped = time.monotonic()
    work("redis down", OUTAGE_SECONDS)
    stack.redis.start()
    print(f"\nRedis was down for {time.monotonic() - stopped:.0f} s")
    work("after", CALM_SECONDS)

    tried = Counter((phase, kind) for phase, kind, _, _ in outcomes)
    failed = Counter((phase, kind) for phase, kind, ok, _ in outcomes if not ok)
    for (phase, kind), count in sorted(tried.items()):
        print(f"{phase:>10} {kind:>8}: {count} tried, {failed[(phase, kind)]} failed")
    failures = [o for o in outcomes if not o[2]]
    assert failures == [], f"{failures}\n{stack.logs()}"
    assert tried[("redis down", "report")] >= 3
    assert tried[("redis down", "closure")] >= 3

    report_count = sum(1 for _, kind, _, _ in outcomes if kind == "report")
    assert OnlineReport.objects.count() == report_count
    assert Note.objects.filter(case=notes_case).count() == tried_total(tried, "note")
    letters = Letter.objects.filter(kind=LetterKind.CLOSURE)
    assert letters.count() == tried_total(tried, "closure")

    def all_sent() -> bool:
        acked = OnlineReport.objects.filter(acknowledgement_sent_at__isnull=False).count()
        sent = letters.filter(status=LetterStatus.SENT).count()
        return acked == report_count and sent == letters.count()

    took = wait_until(all_sent, timeout=180, what="every acknowledgement and letter to be sent")
    time.sleep(SWEEP_SECONDS + 2)  # one more sweep: it must not send anything twice
    sent_to = recipients(stack.mails())
    acknowledgements = {f"resident-{n}@example.test" for n in range(1, report_count + 1)}
    letter_addresses = set(letters.values_list("email_to", flat=True))
    ack_counts = Counter(sent_to[address] for address in acknowledgements)
    letter_counts = Counter(sent_to[address] for address in letter_addresses)
    print(
        f"reports stored {OnlineReport.objects.count()}/{report_count}; flagged while the "
        f"limiter was down {OnlineReport.objects.filter(limit_unchecked=True).count()}; "
        f"acknowledgements sent once {ack_counts[1]}, never {ack_counts[0]}, twice or more "
        f"{sum(v for k, v in ack_counts.items() if k > 1)}; closure letters sent once "
        f"{letter_counts[1]}/{len(letter_addresses)}; all sent {took:.0f} s after the work"
    )
    assert ack_counts == Counter({1: report_count})
    assert letter_counts == Counter({1: len(letter_addresses)})
    assert OnlineReport.objects.filter(limit_unchecked=True).count() >= 3


def tried_total(tried: Counter, kind: str) -> int:
    return sum(count for (_, k), count in tried.items() if k == kind)
