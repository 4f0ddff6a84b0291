from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import broker_state, database_state, scheduler_state


def _parts() -> dict:
    database = database_state()
    return {
        "database": database,
        "broker": broker_state(),
        "scheduler": scheduler_state(database_ok=database["ok"]),
    }


@never_cache
@require_GET
def healthz(request):
    """Liveness, for the container's health check: 200 while the database answers, 503 when
    it does not.

    The broker and scheduler are reported but do not fail the check: letters and reminders
    wait safely in the database while either is down, and restarting the web process would
    not bring them back. Readiness is /readyz.
    """
    parts = _parts()
    ok = parts["database"]["ok"]
    return JsonResponse(
        {"status": "ok" if ok else "unavailable", **parts}, status=200 if ok else 503
    )


@never_cache
@require_GET
def readyz(request):
    """Readiness, for load balancers and monitors: 200 only while the database answers, the
    broker is reachable and beat's heartbeat is younger than
    HAVEN_SCHEDULER_STALE_AFTER_SECONDS; otherwise 503, with ``failing`` naming the parts.

    The same body as /healthz; no sign-in needed, nothing personal in it.
    """
    parts = _parts()
    failing = [name for name, state in parts.items() if not state["ok"]]
    body = {"status": "unavailable" if failing else "ok", "failing": failing, **parts}
    return JsonResponse(body, status=503 if failing else 200)
