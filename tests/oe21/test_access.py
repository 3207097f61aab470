"""Every page needs a signed-in user; a viewer reads but gets 403 on every edit."""

import pytest
from django.urls import reverse

from ..factories import AccountFactory, ContactFactory, OfferingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(cycle):
    contact = ContactFactory()
    return {"account": contact.account.pk, "contact": contact.pk, "offering": OfferingFactory().pk,
            "milestone": cycle.milestones.get(number=1).pk}


READ_PAGES = [
    ("home", None), ("account_list", None), ("account_detail", "account"),
    ("account_history", "account"), ("account_export", None), ("contact_list", None),
    ("contact_detail", "contact"), ("contact_history", "contact"), ("offering_list", None),
    ("offering_detail", "offering"), ("offering_history", "offering"), ("audit_report", None),
    ("prioritization:matrix", None), ("opportunities:index", None),
    ("opportunities:pipeline", None), ("opportunities:rollups", None),
    ("opportunities:campaign_list", None),
    ("requirements_specs:index", None), ("requirements_specs:portfolio", None), ("requirements_specs:plan", None),
    ("metrics:dashboard", None), ("metrics:complaint_list", None),
    ("metrics:rating_list", None), ("metrics:measure_list", None), ("metrics:review_print", None),
]
EDIT_PAGES = [
    ("account_create", None), ("account_edit", "account"), ("account_import", None),
    ("contact_create", None), ("contact_edit", "contact"),
    ("offering_create", None), ("offering_edit", "offering"),
]


def _url(name, kind, records):
    return reverse(name, args=[records[kind]] if kind else [])


@pytest.mark.parametrize("name, kind", READ_PAGES + EDIT_PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, records, name, kind):
    url = _url(name, kind, records)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name, kind", READ_PAGES)
def test_a_viewer_reads_every_page(client_for, viewer_user, records, name, kind):
    assert client_for(viewer_user).get(_url(name, kind, records)).status_code == 200


@pytest.mark.parametrize("name, kind", EDIT_PAGES)
@pytest.mark.parametrize("role_fixture", ["viewer_user", "oft_user"])
def test_viewers_and_the_oft_get_403_on_shared_record_edits(
        client_for, request, records, name, kind, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    url = _url(name, kind, records)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Changed"}).status_code == 403


def test_a_viewer_cannot_change_an_account_by_post(client_for, viewer_user):
    account = AccountFactory(name="Unchanged")
    client_for(viewer_user).post(reverse("account_edit", args=[account.pk]), {"name": "Changed"})
    account.refresh_from_db()
    assert account.name == "Unchanged"


@pytest.mark.parametrize("name, kind", EDIT_PAGES)
def test_a_cft_member_opens_every_edit_page(client_for, cft_user, records, name, kind):
    assert client_for(cft_user).get(_url(name, kind, records)).status_code == 200


def test_editing_a_record_that_does_not_exist_is_a_404(client_for, cft_user):
    assert client_for(cft_user).get(reverse("account_edit", args=[999999])).status_code == 404


@pytest.mark.parametrize("role_fixture", ["viewer_user", "oft_user"])
def test_only_cft_and_chair_may_submit_milestones(client_for, request, records, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    url = reverse("milestone_submit", args=[records["milestone"]])
    assert client.post(url, {"evidence": "x"}).status_code == 403


@pytest.mark.parametrize("role_fixture", ["viewer_user", "oft_user", "cft_user"])
def test_only_the_chair_may_decide_milestones(client_for, request, records, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    url = reverse("milestone_decide", args=[records["milestone"]])
    assert client.post(url, {"decision": "approve"}).status_code == 403


def test_the_login_page_and_health_check_are_open(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz_live")).json() == {"status": "ok"}
    assert client.get(reverse("healthz")).json()["status"] == "ok"


def test_a_background_job_is_visible_only_to_whoever_started_it(client_for, cft_user, other_cft_user):
    from oe21.models import BackgroundJob

    job = BackgroundJob.objects.create(kind="x", description="Import", started_by=cft_user)
    assert client_for(cft_user).get(reverse("job_status", args=[job.pk])).status_code == 200
    assert client_for(other_cft_user).get(reverse("job_status", args=[job.pk])).status_code == 404
