from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import broker_state, database_state, scheduler_state


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers: 200 while the database answers, 503 when it does not.

    The broker and scheduler are reported but do not fail the check: letters and reminders
    wait safely in the database while either is down.
    """
    database = database_state()
    body = {
        "status": "ok" if database["ok"] else "unavailable",
        "database": database,
        "broker": broker_state(),
        "scheduler": scheduler_state(database_ok=database["ok"]),
    }
    return JsonResponse(body, status=200 if database["ok"] else 503)
