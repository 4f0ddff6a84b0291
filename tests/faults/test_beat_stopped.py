"""Beat stopped: /readyz answers 503 once the scheduler's heartbeat is older than the limit,
and 200 again once beat is back."""

import json
import time
import urllib.error
import urllib.request

import pytest

from .stack import wait_until

pytestmark = pytest.mark.fault

HEARTBEAT = 2
STALE = 8


def readyz(base_url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(base_url + "/readyz", timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_readyz_is_503_while_beat_is_stopped_and_200_again_after(stack):
    stack.extra_env.update(
        {"HAVEN_HEARTBEAT_SECONDS": str(HEARTBEAT), "HAVEN_SCHEDULER_STALE_SECONDS": str(STALE)}
    )
    stack.redis.start()
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    wait_until(lambda: readyz(stack.base_url)[0] == 200, timeout=60, what="/readyz 200")

    stack.kill("beat")
    stopped = time.monotonic()
    answers: list[tuple[float, int, dict]] = []

    def unready() -> bool:
        status, body = readyz(stack.base_url)
        answers.append((time.monotonic() - stopped, status, body))
        return status == 503

    wait_until(unready, timeout=STALE + 4 * HEARTBEAT + 10, what="/readyz 503", every=0.5)
    went_503 = answers[-1][0]
    body = answers[-1][2]
    assert body["failing"] == ["scheduler"]
    assert body["scheduler"]["seconds_since_last_beat"] >= STALE
    # Never 503 while the last heartbeat was younger than the limit.
    for _, status, seen in answers[:-1]:
        assert status == 200 and seen["scheduler"]["seconds_since_last_beat"] < STALE

    stack.start_beat()
    restarted = time.monotonic()
    wait_until(lambda: readyz(stack.base_url)[0] == 200, timeout=60, what="/readyz 200 again")
    back = time.monotonic() - restarted
    print(
        f"\nbeat stopped: /readyz 503 after {went_503:.1f} s (limit {STALE} s, heartbeat "
        f"every {HEARTBEAT} s; {len(answers) - 1} answers of 200 before it); 200 again "
        f"{back:.1f} s after beat restarted"
    )
