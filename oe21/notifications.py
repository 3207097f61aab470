"""E-mails about approvals: to the approvers when something is submitted, to the submitter when it
is decided. Sent by a Celery task through the outbox after the change has committed (a rolled-back
change sends nothing; a broker outage delays it, never loses it); each recipient needs an e-mail
address on their user."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from .outbox import send_later


def _emails(users) -> list[str]:
    return sorted({user.email for user in users if user and user.email})


def users_with_perm(perm: str):
    """Active users who hold `perm` through a group or directly (superusers included)."""
    app_label, codename = perm.split(".")
    has = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label) | Q(
        is_superuser=True)
    return get_user_model().objects.filter(has, is_active=True).distinct()


def notify(users, *, subject: str, message: str, link: str = "") -> None:
    """E-mail `users` once the current transaction commits."""
    from .tasks import send_notification

    recipients = _emails(users)
    if not recipients:
        return
    if link:
        message = f"{message}\n\n{settings.PORTAL_BASE_URL.rstrip('/')}{link}\n"
    send_later(send_notification, recipients, f"[OE21] {subject}", message)
