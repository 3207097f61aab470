"""Health checks for load balancers and monitoring, open without sign-in.

`/healthz/live` — this web process answers and reaches its database (cheap; a liveness probe).
`/healthz` — the whole installation: database, broker and a Celery worker's answer, as JSON;
503 when one of them is down, so monitoring sees a broker or worker outage, not only a dead web
process. What waits in the outbox is reported too (it is not a failure: it is sent when the
broker is back).
"""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .celery import app as celery_app

CHECK_TIMEOUT = 1.0  # seconds, for each of broker and worker


@login_not_required
@require_safe
def healthz_live(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@require_safe
def healthz(request):
    checks = {"database": _database()}
    if celery_app.conf.task_always_eager:
        checks["broker"] = checks["worker"] = "not used: tasks run in the web process (demo)"
        failed = checks["database"] != "ok"
    else:
        checks["broker"] = _broker()
        checks["worker"] = _worker() if checks["broker"] == "ok" else "unknown: the broker is down"
        failed = any(checks[name] != "ok" for name in ("database", "broker", "worker"))
    if checks["database"] == "ok":
        from .outbox import backlog

        checks["outbox"] = backlog()
    return JsonResponse({"status": "down" if failed else "ok", **checks}, status=503 if failed else 200)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure is the answer
        return f"down: {error}"
    return "ok"


def _broker() -> str:
    url = celery_app.conf.broker_url
    try:
        if url.startswith(("redis://", "rediss://")):
            import redis

            redis.Redis.from_url(url, socket_connect_timeout=CHECK_TIMEOUT, socket_timeout=CHECK_TIMEOUT).ping()
        else:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)
    except Exception as error:  # any failure is the answer
        return f"down: {error}"
    return "ok"


def _worker() -> str:
    try:
        replies = celery_app.control.ping(timeout=CHECK_TIMEOUT, limit=1)
    except Exception as error:  # any failure is the answer
        return f"down: {error}"
    return "ok" if replies else f"down: no worker answered within {CHECK_TIMEOUT:g} s"
