import pytest

from oe21.api.tokens import api_token_create
from oe21.roles import PMS_CLIENT

from ..factories import UserFactory


@pytest.fixture
def pms_user(db):
    return UserFactory(username="pms-client", role=PMS_CLIENT)


@pytest.fixture
def pms_key(pms_user):
    return api_token_create(user=pms_user, name="PMS")[1]


@pytest.fixture
def api(client, pms_key):
    """GET with the PMS token: api(url, **params) → response."""

    def get(url, headers=None, **params):
        return client.get(url, params, HTTP_AUTHORIZATION=f"Token {pms_key}", **(headers or {}))

    return get
