import datetime

from celery import shared_task

from oe21.jobs import job_run, run_import_job

from . import selectors, services


@shared_task
def recompute_measures_nightly() -> dict:
    """Celery beat, every night: recompute the computed measures (idempotent), then the default
    review's correlations, so the first reader of the morning does not wait for them."""
    counts = services.recompute_measures()
    selectors.review(month=selectors.default_review_month())
    return counts


@shared_task
def recompute_measures_job(job_id: int) -> dict:
    """The same, started from the dashboard, with a progress bar."""

    def work(job, report):
        counts = services.recompute_measures(report=report)
        selectors.review(month=selectors.default_review_month())
        return counts

    return job_run(job_id, work)


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_review_reminder(self, today: str | None = None) -> int:
    """Celery beat, every morning: a week before the monthly review, remind the CFT."""
    day = datetime.date.fromisoformat(today) if today else datetime.date.today()
    return services.review_reminder_send(today=day)


@shared_task
def import_entries(job_id: int) -> dict:
    from .imports import EntryImporter

    return run_import_job(job_id, lambda job: EntryImporter(user=job.started_by))


@shared_task
def import_ratings(job_id: int) -> dict:
    from .imports import RatingImporter

    return run_import_job(job_id, lambda job: RatingImporter(user=job.started_by))


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_survey_invitations(self, survey_id: int) -> dict:
    """Send a survey's invitations in batches; invitations that failed are retried (with a delay)
    and stay listed on the survey page with their error until they go through."""
    from .models import Survey
    from .surveys import survey_send_batch

    survey = Survey.objects.get(pk=survey_id)
    totals, tried = {"sent": 0, "failed": 0, "left": 0}, set()
    while True:  # batch after batch, each invitation tried once per run
        result = survey_send_batch(survey=survey, skip=tried)
        if not result["tried"]:
            break
        tried |= result["tried"]
        totals = {"sent": totals["sent"] + result["sent"], "failed": totals["failed"] + result["failed"],
                  "left": result["left"]}
    if totals["failed"] and self.request.retries < self.max_retries and not self.request.is_eager:
        raise self.retry()
    return totals


@shared_task
def refresh_risk_nightly(today: str | None = None) -> dict:
    """Celery beat, every night: rewrite the accounts' risk scores (idempotent; safe to retry)."""
    return services.risk_refresh(today=datetime.date.fromisoformat(today) if today else datetime.date.today())


@shared_task
def refresh_risk_job(job_id: int) -> dict:
    """The same, started from the at-risk page, with a progress bar."""
    return job_run(job_id, lambda job, report: services.risk_refresh(today=datetime.date.today(), report=report))
