"""Celery tasks of the shared model. Tasks take ids, load the object and call a service."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.urls import reverse

from . import roles
from .imports import AccountImporter, ContactImporter
from .jobs import JobFailed, job_run, run_import_job
from .models import EngagementCycle, Milestone
from .selectors import members_with_roles
from .services import cycle_open
from .words import person


@shared_task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def email_chair_about_submission(self, milestone_id: int) -> int:
    """Tell the LFT chair(s) that a milestone waits for their decision; returns mails sent."""
    milestone = Milestone.objects.select_related("cycle", "submitted_by").get(pk=milestone_id)
    chairs = members_with_roles(roles.LFT_CHAIR, active_only=True)
    recipients = sorted({u.email for u in chairs if u.email})
    if not recipients:
        return 0
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("home")
    submitter = person(milestone.submitted_by)
    send_mail(
        subject=f"[OE21] Milestone {milestone.number} submitted for approval ({milestone.cycle})",
        message=(
            f"{submitter} submitted {milestone} for your approval.\n\n"
            f"Evidence:\n{milestone.evidence}\n\nApprove or reject it on the main page: {link}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
    return len(recipients)


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_notification(recipients: list[str], subject: str, message: str) -> int:
    """One approval e-mail (oe21.notifications); retried while the mail server is unreachable."""
    send_mail(subject=subject, message=message, from_email=settings.DEFAULT_FROM_EMAIL, recipient_list=recipients)
    return len(recipients)


@shared_task
def import_accounts(job_id: int) -> dict:
    """Import the account spreadsheet stored on the job, all or nothing."""
    return run_import_job(job_id, lambda job: AccountImporter(job.started_by))


@shared_task
def import_contacts(job_id: int) -> dict:
    """Import the contact spreadsheet stored on the job, all or nothing."""
    return run_import_job(job_id, lambda job: ContactImporter(job.started_by))


@shared_task
def open_cycle(job_id: int) -> dict:
    """Open the engagement cycle described on the job, carrying work forward (all or nothing). Safe
    to run again: a cycle this job opened already is reported, not opened twice."""

    def work(job, report):
        data = job.parameters
        opened = EngagementCycle.objects.filter(name=data["name"], created_at__gte=job.created_at).first()
        if opened:
            return {"cycle opened": opened.name}
        report(10, "Opening the cycle and carrying work forward")
        try:
            result = cycle_open(name=data["name"], starts_on=datetime.date.fromisoformat(data["starts_on"]),
                                ends_on=datetime.date.fromisoformat(data["ends_on"]), user=job.started_by,
                                carry=data["carry"], confirmed=data["confirmed"])
        except ValidationError as error:
            raise JobFailed(" ".join(error.messages)) from error
        return {"cycle opened": result.cycle.name,
                **{f"{key.replace('_', ' ')} carried forward": n for key, n in result.carried.items()}}

    return job_run(job_id, work)


@shared_task
def sweep_outbox() -> dict:
    """Every minute (beat): send tasks the broker could not take, run again jobs whose worker died."""
    from .outbox import sweep

    return sweep()


@shared_task
def add(x: int, y: int) -> int:
    """A trivial task used to check that a worker answers (health check and tests)."""
    return x + y
