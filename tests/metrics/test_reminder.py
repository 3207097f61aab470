"""The monthly-review reminder goes through the real broker to a real worker."""

import datetime

import pytest
from django.conf import settings
from django.core import mail

from metrics.models import ReviewReminder
from metrics.services import review_date
from metrics.tasks import send_review_reminder

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_the_cft_is_reminded_a_week_before_the_review_once(worker, cft_user, chair_user, viewer_user):
    october = datetime.date(2026, 10, 1)
    review_day = review_date(october)
    assert review_day == datetime.date(2026, 11, settings.METRICS_REVIEW_DAY)
    week_before = (review_day - datetime.timedelta(days=7)).isoformat()

    assert send_review_reminder.delay(week_before).get(timeout=20) == 2  # the CFT member and the chair
    assert sorted(mail.outbox[0].to) == sorted([cft_user.email, chair_user.email])
    assert "Monthly review of October 2026" in mail.outbox[0].subject
    # beat runs every day: a retry or a second run the same day sends nothing more
    assert send_review_reminder.delay(week_before).get(timeout=20) == 0
    assert ReviewReminder.objects.get().month == october
    # and on another day there is nothing to send
    assert send_review_reminder.delay((review_day - datetime.timedelta(days=6)).isoformat()).get(timeout=20) == 0
    assert len(mail.outbox) == 1
