"""The portal-wide search (/search/?q=, the box in the menu)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from metrics.models import Complaint
from oe21.search import PER_KIND
from opportunities.models import Opportunity

from ..factories import AccountFactory, ContactFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def _groups(client, q):
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return {g.kind.key: [h.title for h in g.hits] for g in response.context["groups"]}


def test_search_finds_each_kind_by_name_email_naics_or_zip_grouped_by_kind(client_for, viewer_user, cft_user, cycle):
    lakeside = AccountFactory(name="Lakeside Clinic", naics_code="621111", zip_code="77429")
    AccountFactory(name="Granite Machine Works", naics_code="333111", zip_code="60601")
    ContactFactory(account=lakeside, name="Maria Lopez", email="maria.lopez@lakeside.example")
    telehealth = OfferingFactory(name="Telehealth kiosk")
    Opportunity.objects.create(cycle=cycle, account=lakeside, offering=telehealth, salesperson=cft_user)
    Complaint.objects.create(received_on=datetime.date(2027, 2, 1), account=lakeside, offering=telehealth,
                             channel="phone", category="quality", description="Kiosk screen froze twice")
    client = client_for(viewer_user)
    found = _groups(client, "lake clin")  # beginnings of words, in any order
    assert found["account"] == ["Lakeside Clinic"]
    assert found["contact"] == ["Maria Lopez"]  # her account's name matches
    assert found["opportunity"] == ["Lakeside Clinic · Telehealth kiosk"]
    assert found["complaint"] == [str(Complaint.objects.get())]
    assert "offering" not in found  # kinds without hits are left out
    assert _groups(client, "maria.lopez@lakeside")["contact"] == ["Maria Lopez"]  # an e-mail as typed
    assert _groups(client, "6211")["account"] == ["Lakeside Clinic"]  # a NAICS code's beginning
    assert _groups(client, "60601")["account"] == ["Granite Machine Works"]  # a ZIP code
    assert _groups(client, "froze")["complaint"] == [str(Complaint.objects.get())]
    assert _groups(client, "telehealth") == {"offering": ["Telehealth kiosk"],
                                             "opportunity": ["Lakeside Clinic · Telehealth kiosk"],
                                             "complaint": [str(Complaint.objects.get())]}
    page = client.get(reverse("search"), {"q": "zebra"}).content.decode()
    assert "Nothing matches “zebra”" in page


def test_search_ranks_the_better_match_first_and_says_when_there_is_more(client_for, viewer_user):
    for n in range(PER_KIND + 2):
        AccountFactory(name=f"Harbor supply {n:02d}", naics_code="541511")
    AccountFactory(name="Harbor Harbor Hospital")  # the word twice: ranked first on PostgreSQL
    response = client_for(viewer_user).get(reverse("search"), {"q": "harbor"})
    group = response.context["groups"][0]
    assert len(group.hits) == PER_KIND and group.more
    if connection.vendor == "postgresql":
        assert group.hits[0].title == "Harbor Harbor Hospital"
    assert "More accounts match" in response.content.decode()


@pytest.mark.parametrize("q, message", [
    ("", "This field is required."), ("  ", "This field is required."), ("a", "Type at least 2 letters or digits."),
    ("%%", "Type at least 2 letters or digits."), ("x" * 1000, "Search for at most 200 characters (this is 1000)."),
])
def test_a_search_too_short_or_too_long_is_answered_with_a_message(client_for, viewer_user, q, message):
    AccountFactory(name="Lakeside Clinic")
    response = client_for(viewer_user).get(reverse("search"), {"q": q})
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert message in response.content.decode()


def test_search_reads_a_bounded_number_of_queries_whatever_the_hits(client_for, viewer_user):
    client = client_for(viewer_user)
    counts = []
    for size in (3, 30):
        for n in range(size):
            ContactFactory(account=AccountFactory(name=f"Bounded {size}-{n}"), name=f"Bounded contact {size}-{n}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("search"), {"q": "bounded"}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 20


def test_search_needs_a_signed_in_portal_user(client, client_for, viewer_user):
    response = client.get(reverse("search"), {"q": "lake"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    from oe21.roles import PMS_CLIENT

    from ..factories import UserFactory
    assert client_for(UserFactory(role=PMS_CLIENT)).get(reverse("search"), {"q": "lake"}).status_code == 403


def test_the_menu_has_the_search_box(client_for, viewer_user):
    page = client_for(viewer_user).get(reverse("home")).content.decode()
    assert 'data-testid="menu-search"' in page and f'action="{reverse("search")}"' in page
