"""Work is never lost to a broker outage or a dead worker (issue #14): a real Redis on its own port
is stopped and started, a real worker process is killed mid-import."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from oe21 import celery_app, services
from oe21.choices import JobState
from oe21.jobs import UNREACHABLE, job_start
from oe21.models import Account, BackgroundJob, Milestone, QueuedTask
from oe21.outbox import send_later, sweep
from oe21.tasks import add, import_accounts

from ..factories import make_milestone_1_ready

ROOT = Path(__file__).resolve().parents[2]
HEADER = "name,kind,naics_code,zip_code,segment,lifecycle_stage,owner\n"


def _accounts_csv(rows: int) -> bytes:
    return (HEADER + "".join(f"Imported {i:05d},prospect,621111,77429,,,\n" for i in range(rows))).encode()


def _wait_for(condition, seconds=60, what="the condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"Timed out waiting for {what}.")


def _job(pk) -> BackgroundJob:
    return BackgroundJob.objects.get(pk=pk)


# In the web process (tasks run eagerly) ---------------------------------------------------------

@pytest.mark.django_db
def test_a_task_asked_for_in_a_rolled_back_transaction_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        send_later(add, 1, 2)
        raise RuntimeError("the change failed")
    assert not QueuedTask.objects.exists()


@pytest.mark.django_db
def test_a_job_is_claimed_once_however_often_its_task_arrives(cft_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(kind="account_import", description="accounts", user=cft_user, task=import_accounts,
                        input_name="a.csv", input_data=_accounts_csv(3))
    assert _job(job.pk).state == JobState.SUCCEEDED and _job(job.pk).attempts == 1
    import_accounts.apply(args=[job.pk])  # delivered again
    assert _job(job.pk).attempts == 1 and Account.objects.count() == 3
    assert QueuedTask.objects.get().sent_at is not None


@pytest.mark.django_db
def test_the_sweep_runs_a_job_left_running_by_a_dead_worker_once_more(cft_user, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.JOB_STALE_AFTER = 60
    job = BackgroundJob.objects.create(kind="account_import", description="accounts", started_by=cft_user,
                                       task_name=import_accounts.name, input_name="a.csv",
                                       input_data=_accounts_csv(4), state=JobState.RUNNING, attempts=1)
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timezone.timedelta(seconds=61))
    with django_capture_on_commit_callbacks(execute=True):
        counts = sweep()
    assert counts["jobs run again"] == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, Account.objects.count()) == (JobState.SUCCEEDED, 2, 4)


@pytest.mark.django_db
def test_a_job_whose_worker_died_twice_is_given_up_with_a_message(cft_user, settings):
    settings.JOB_STALE_AFTER = 60
    job = BackgroundJob.objects.create(kind="account_import", description="accounts", started_by=cft_user,
                                       task_name=import_accounts.name, state=JobState.RUNNING, attempts=2)
    BackgroundJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timezone.timedelta(seconds=61))
    assert sweep()["jobs given up"] == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "stopped twice" in job.error


@pytest.mark.django_db
def test_a_running_job_with_a_fresh_heartbeat_is_left_alone(cft_user, settings):
    settings.JOB_STALE_AFTER = 60
    BackgroundJob.objects.create(kind="account_import", description="accounts", started_by=cft_user,
                                 task_name=import_accounts.name, state=JobState.RUNNING, attempts=1)
    assert sweep() == {"sent": 0, "still unsent": 0, "jobs run again": 0, "jobs given up": 0}


# A real Redis stopped and started -----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _celery_on(broker_url: str):
    """Point this process's Celery app (publishing, control, the test worker) at another broker."""
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager

    def reset_pools():  # what Celery does after a fork: connections are made again, to the new URL
        celery_app._after_fork()
        celery_app.control.mailbox.__dict__.pop("producer_pool", None)

    celery_app.conf.broker_url, celery_app.conf.task_always_eager = broker_url, False
    reset_pools()
    try:
        yield
    finally:
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
        reset_pools()


@contextmanager
def _redis_server(port: int):
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import redis

        client = redis.Redis(port=port, socket_connect_timeout=0.5)
        _wait_for(lambda: _pings(client), 15, "the test Redis")
        yield
    finally:
        process.terminate()
        process.wait(10)


def _pings(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_broker_outage_delays_work_and_loses_none(client_for, cft_user, chair_user, cycle):
    port = _free_port()
    with _celery_on(f"redis://127.0.0.1:{port}/0"):
        client = client_for(cft_user)
        health = client.get(reverse("healthz"))
        assert health.status_code == 503 and health.json()["broker"].startswith("down")

        started = time.monotonic()
        response = client.post(reverse("account_import"),
                               {"file": SimpleUploadedFile("accounts.csv", _accounts_csv(5))})
        assert time.monotonic() - started < 2.5, "the request waited for the broker"
        job = BackgroundJob.objects.get()
        assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
        assert (job.state, job.message) == (JobState.PENDING, UNREACHABLE)
        assert "cannot be reached" in client.get(job.get_absolute_url()).content.decode()

        make_milestone_1_ready(cycle)
        milestone = Milestone.objects.get(cycle=cycle, number=1)
        services.milestone_submit(milestone=milestone, user=cft_user, evidence="Matrix complete")
        assert Milestone.objects.get(pk=milestone.pk).state == "submitted"
        assert QueuedTask.objects.filter(sent_at__isnull=True).count() == 2
        assert all(QueuedTask.objects.values_list("last_error", flat=True))

        with _redis_server(port):
            assert sweep(min_age_seconds=0)["sent"] == 2
            with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
                _wait_for(lambda: _job(job.pk).is_finished and mail.outbox, what="the job and the e-mail")
                assert client.get(reverse("healthz")).json()["status"] == "ok"
        job.refresh_from_db()
        imported = Account.objects.filter(name__startswith="Imported ").count()
        assert (job.state, job.attempts, imported) == (JobState.SUCCEEDED, 1, 5)
        assert [m.to for m in mail.outbox] == [[chair_user.email]]
        assert not QueuedTask.objects.filter(sent_at__isnull=True).exists()


# A real worker process killed mid-import -------------------------------------------------------------

def _worker_process():
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "CELERY_BROKER_URL": celery_app.conf.broker_url, "CELERY_TASK_ALWAYS_EAGER": "0",
           "DJANGO_DEBUG": "1"}
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "oe21", "worker", "--pool", "solo",
                             "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_is_killed_runs_again_once_and_saves_everything_once(cft_user, settings, worker_off):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it through scripts/test.")
    celery_app.control.purge()
    rows = 6000
    process = _worker_process()
    try:
        job = job_start(kind="account_import", description="accounts", user=cft_user, task=import_accounts,
                        input_name="a.csv", input_data=_accounts_csv(rows))
        _wait_for(lambda: _job(job.pk).state == JobState.RUNNING, 90, "the worker to start the job")
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert _job(job.pk).state == JobState.RUNNING and Account.objects.count() == 0  # all or nothing

    settings.JOB_STALE_AFTER = 1
    time.sleep(1.2)
    assert sweep(min_age_seconds=0)["jobs run again"] == 1
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        _wait_for(lambda: _job(job.pk).is_finished, 120, "the job to run again")
    job.refresh_from_db()
    assert (job.state, job.attempts, Account.objects.count()) == (JobState.SUCCEEDED, 2, rows)


@pytest.fixture
def worker_off():
    """Tasks go to the real broker; the test starts the workers itself."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True
