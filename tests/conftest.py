import datetime

import pytest

from oe21 import celery_app
from oe21.roles import CFT_MEMBER, LFT_CHAIR, OFT_MEMBER, VIEWER
from oe21.services import cycle_create

from .factories import UserFactory


@pytest.fixture(autouse=True)
def _celery_runs_tasks_in_process():
    """Tests run tasks eagerly; the worker tests switch this off for themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _organisation_settings_read_afresh():
    """The profile's cached settings never outlive a test (its rollback does not clear the cache)."""
    from oe21.words import forget_organisation_settings

    forget_organisation_settings()
    yield
    forget_organisation_settings()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def cft_user(db):
    return UserFactory(username="carla-cft", role=CFT_MEMBER)


@pytest.fixture
def other_cft_user(db):
    return UserFactory(username="colin-cft", role=CFT_MEMBER)


@pytest.fixture
def chair_user(db):
    return UserFactory(username="lena-chair", role=LFT_CHAIR)


@pytest.fixture
def second_chair_user(db):
    return UserFactory(username="leo-chair", role=LFT_CHAIR)


@pytest.fixture
def viewer_user(db):
    return UserFactory(username="vera-viewer", role=VIEWER)


@pytest.fixture
def oft_user(db):
    return UserFactory(username="omar-oft", role=OFT_MEMBER)


@pytest.fixture
def cycle(db):
    return cycle_create(name="FY2027", starts_on=datetime.date(2027, 1, 1),
                        ends_on=datetime.date(2027, 12, 31))


@pytest.fixture
def client_for(client):
    """Sign the test client in as a user: `client_for(user)`."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def worker():
    """A real Celery worker (a thread of this process) on the real Redis broker."""
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.fail("The worker tests need REDIS_URL: run them through scripts/test.")
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()  # tasks left in the test queue by an interrupted earlier run
    with start_worker(celery_app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        yield
    celery_app.conf.task_always_eager = True
