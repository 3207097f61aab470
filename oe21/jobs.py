"""Background jobs with progress: a `BackgroundJob` row that a Celery task updates.

A view calls `job_start(...)`, which records the job and sends its task through the outbox
(oe21.outbox) once the request's transaction has committed; the task calls `job_run(job_id, work)`.
One worker claims a job: a finished or running job is never run again, so a redelivered, retried
or re-sent task is harmless. A job whose worker died (no progress report for JOB_STALE_AFTER) may
be claimed again, once.
"""

import logging
from collections.abc import Callable

from django.db.models import F, Q
from django.utils import timezone

from .choices import JobState
from .models import BackgroundJob
from .outbox import send_later, stale_before

QUEUED = "Queued"
UNREACHABLE = "Queued: the task queue cannot be reached just now; the job starts by itself when it is back."

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """An expected failure (a rejected import, say): recorded on the job with its details."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result or {}


def job_start(*, kind: str, description: str, user, task, input_name: str = "",
              input_data: bytes = b"", parameters: dict | None = None,
              back: tuple[str, str] = ("", "")) -> BackgroundJob:
    """Record a job and send its task; `back` = (label, path) of the page its progress page links back to."""
    job = BackgroundJob.objects.create(
        kind=kind, description=description, started_by=user, input_name=input_name,
        return_label=back[0][:100], return_url=back[1] if back[1].startswith("/") else "",
        input_data=input_data, parameters=parameters or {}, task_name=task.name, message=QUEUED,
    )
    send_later(task, job.pk, on_unreachable=lambda entry: BackgroundJob.objects.filter(
        pk=job.pk, state=JobState.PENDING).update(message=UNREACHABLE))
    return job


def job_report(job_id: int, progress: int, message: str = "") -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        progress=max(0, min(100, progress)), message=message[:300], updated_at=timezone.now()
    )


def job_run(job_id: int, work: Callable[[BackgroundJob, Callable[[int, str], None]], dict]) -> dict:
    """Run `work(job, report)` for a job and record its outcome."""
    claimable = Q(state=JobState.PENDING) | Q(state=JobState.RUNNING, updated_at__lt=stale_before())
    claimed = BackgroundJob.objects.filter(claimable, pk=job_id).update(
        state=JobState.RUNNING, progress=0, message="Started", updated_at=timezone.now(),
        attempts=F("attempts") + 1)
    job = BackgroundJob.objects.get(pk=job_id)
    if not claimed:
        logger.info("Job %s is %s already; not running it again.", job_id, job.state)
        return job.result

    def report(progress: int, message: str = "") -> None:
        job_report(job_id, progress, message)

    try:
        result = work(job, report)
    except JobFailed as failure:
        _finish(job_id, JobState.FAILED, result=failure.result, error=str(failure))
        return failure.result
    except Exception as exc:
        _finish(job_id, JobState.FAILED, error=f"Unexpected error: {exc}")
        raise
    _finish(job_id, JobState.SUCCEEDED, result=result, message="Done", progress=100)
    return result


def _finish(job_id, state, *, result=None, error="", message="", progress=None):
    fields = {"state": state, "result": result or {}, "error": error, "finished_at": timezone.now(),
              "updated_at": timezone.now()}
    if message:
        fields["message"] = message
    if progress is not None:
        fields["progress"] = progress
    BackgroundJob.objects.filter(pk=job_id).update(**fields)


def run_import_job(job_id: int, make_importer) -> dict:
    """Run the all-or-nothing import of the spreadsheet stored on a job.

    `make_importer(job)` returns the app's RowImporter; a rejected file fails the job with
    every bad row (line, column, message) in its result.
    """
    from .lib.spreadsheets import ImportRejected, import_table, read_table

    def work(job, report):
        try:
            table = read_table(job.input_name, bytes(job.input_data))
            return import_table(make_importer(job), table, report)
        except ImportRejected as rejected:
            raise JobFailed(str(rejected), {"errors": [
                {"line": e.line, "column": e.column, "message": e.message} for e in rejected.errors
            ]}) from rejected

    return job_run(job_id, work)
