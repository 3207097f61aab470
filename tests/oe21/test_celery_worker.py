"""Tasks go through the real Redis broker to a real Celery worker started by the test."""

import time

import pytest
from django.core import mail

from oe21 import services
from oe21.models import Milestone
from oe21.tasks import add

from ..factories import make_milestone_1_ready

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_a_task_runs_on_a_real_worker_through_redis(worker):
    result = add.delay(2, 3)
    assert result.get(timeout=20) == 5
    assert result.successful()


def test_a_milestone_submission_reaches_the_chair_through_the_worker(worker, cycle, cft_user,
                                                                     chair_user):
    make_milestone_1_ready(cycle)
    milestone = Milestone.objects.get(cycle=cycle, number=1)
    services.milestone_submit(milestone=milestone, user=cft_user, evidence="Matrix complete")
    deadline = time.monotonic() + 20
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[chair_user.email]]
