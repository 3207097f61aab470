"""Work is never lost to a broker outage: every Celery task the portal sends goes through here.

`send_later(task, *args)` writes a `QueuedTask` row in the caller's transaction and hands the task
to the broker once that transaction commits. When the broker cannot be reached the request still
answers at once (the broker's connect timeout is short, settings.CELERY_BROKER_TRANSPORT_OPTIONS)
and the row stays unsent. `sweep()` — run every minute by Celery beat — sends what is unsent, and
runs again, once, a background job whose worker died (its heartbeat, the job's `updated_at`, has
not moved for `JOB_STALE_AFTER`). Every task is safe to receive twice: jobs are claimed by one
worker (oe21.jobs), e-mails are at-least-once.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .choices import JobState
from .models import BackgroundJob, QueuedTask, SubmittedForm

logger = logging.getLogger(__name__)

# What a publish raises when the broker is down (kombu wraps the transport's own errors).
try:
    from kombu.exceptions import OperationalError as _KombuOperationalError
except ImportError:  # pragma: no cover - kombu comes with celery
    _KombuOperationalError = OSError
BROKER_ERRORS = (_KombuOperationalError, ConnectionError, TimeoutError, OSError)

SWEEP_BATCH = 500


def send_later(task, *args, on_unreachable=None) -> QueuedTask:
    """Queue `task(*args)`: recorded now, sent when the current transaction commits.
    `on_unreachable(entry)` runs when the broker cannot take it then (the sweep sends it later)."""
    entry = QueuedTask.objects.create(task_name=task.name, args=list(args))

    def after_commit():
        if not send(entry) and on_unreachable:
            on_unreachable(entry)

    transaction.on_commit(after_commit)
    return entry


def send(entry: QueuedTask) -> bool:
    """Hand one queued task to the broker; False (and the error kept on the row) when it is down."""
    task = current_app.tasks[entry.task_name]
    if current_app.conf.task_always_eager:  # the demo: no broker, the task runs here and now
        QueuedTask.objects.filter(pk=entry.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
        task.apply(args=entry.args, throw=current_app.conf.task_eager_propagates)
        return True
    try:
        task.apply_async(args=entry.args, retry=False)
    except BROKER_ERRORS as error:
        logger.warning("The task queue is unreachable; %s waits in the outbox: %s", entry, error)
        QueuedTask.objects.filter(pk=entry.pk).update(attempts=F("attempts") + 1, last_error=str(error)[:300])
        return False
    QueuedTask.objects.filter(pk=entry.pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1,
                                                  last_error="")
    return True


def stale_before():
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER)


def sweep(*, min_age_seconds: int = 30) -> dict:
    """Send what the outbox holds unsent, and run again (once) the jobs whose worker stopped.

    Unsent rows younger than `min_age_seconds` are left to the request that wrote them."""
    counts = {"sent": 0, "still unsent": 0, "jobs run again": 0, "jobs given up": 0}
    cutoff = timezone.now() - timedelta(seconds=min_age_seconds)
    for entry in QueuedTask.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)[:SWEEP_BATCH]:
        counts["sent" if send(entry) else "still unsent"] += 1

    stale = stale_before()
    # A job whose worker died while running it, or whose message the broker lost before a worker took it.
    lost = (BackgroundJob.objects.filter(state=JobState.RUNNING, updated_at__lt=stale)
            | BackgroundJob.objects.filter(state=JobState.PENDING, updated_at__lt=stale,
                                           attempts=0)).exclude(task_name="")
    for job in lost[:SWEEP_BATCH]:
        if job.attempts >= 2:
            BackgroundJob.objects.filter(pk=job.pk, state=job.state).update(
                state=JobState.FAILED, finished_at=timezone.now(), updated_at=timezone.now(),
                error="The worker stopped twice while running this job; start it again.")
            counts["jobs given up"] += 1
            continue
        if QueuedTask.objects.filter(task_name=job.task_name, args=[job.pk], sent_at__isnull=True).exists():
            continue  # still waiting for the broker: sent above when it is back
        with transaction.atomic():
            changed = BackgroundJob.objects.filter(pk=job.pk, state=job.state, updated_at=job.updated_at).update(
                state=JobState.PENDING, updated_at=timezone.now(),
                message="The worker stopped; it runs again." if job.state == JobState.RUNNING else "Sent again")
            if changed:
                send_later(current_app.tasks[job.task_name], job.pk)
                counts["jobs run again"] += 1
    # Form tokens (oe21.submit_once) are needed only while a double click can arrive.
    SubmittedForm.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    if any(counts.values()):
        logger.info("Outbox sweep: %s", counts)
    return counts


def backlog() -> dict:
    """What waits: for /healthz and the admin."""
    return {"unsent tasks": QueuedTask.objects.filter(sent_at__isnull=True).count(),
            "stale jobs": BackgroundJob.objects.filter(state=JobState.RUNNING, updated_at__lt=stale_before()).count()}
