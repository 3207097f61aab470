"""The account timeline (#17): every kind of event in date order, filtered by kind and by what the
reader may see, a page at a time, in the same number of queries whatever the account's history."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from metrics.models import Complaint, CustomerRating, Survey, SurveyInvitation, SurveyResponse
from oe21.models import Account
from opportunities.models import Proposal, StatusChange, Touch

from ..factories import AccountFactory, ContactFactory, OfferingFactory, UserFactory, make_opportunity, rated_assessment

pytestmark = pytest.mark.django_db

D = datetime.date


def _history(account, cycle, cft_user, *, touches=1):
    """One event of every kind, each on its own day (the day is the event's rank, oldest first)."""
    offering = OfferingFactory(name="Asset Tracking")
    assessment = rated_assessment(cycle=cycle, offering=offering, account=account)
    Account.history.model.objects.filter(id=account.pk).update(history_date=datetime.datetime(2026, 11, 1, 12,
                                                                                               tzinfo=datetime.UTC))
    assessment.__class__.objects.filter(pk=assessment.pk).update(
        created_at=datetime.datetime(2027, 1, 2, 9, tzinfo=datetime.UTC))
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, account=account, offering=offering,
                                   sponsor_engaged_on=D(2027, 1, 5))
    StatusChange.objects.filter(opportunity=opportunity).update(
        changed_at=datetime.datetime(2027, 1, 3, 9, tzinfo=datetime.UTC))
    for i in range(touches):
        Touch.objects.create(opportunity=opportunity, channel="email", direction="out", occurred_on=D(2027, 1, 4),
                             outcome=f"Sent brochure {i}", by=cft_user)
    Proposal.objects.create(opportunity=opportunity, sent_on=D(2027, 1, 6), offering=offering, value=1200)
    contact = ContactFactory(account=account, name="Dana Reyes")
    CustomerRating.objects.create(rated_on=D(2027, 1, 7), account=account, offering=offering, value=2,
                                  contact=contact, comment="Slow delivery")
    Complaint.objects.create(received_on=D(2027, 1, 8), resolved_on=D(2027, 1, 11), account=account,
                             offering=offering, channel="email", category="delivery", description="Late again",
                             severity="high")
    survey = Survey.objects.create(title="Engagement 2027", cycle=cycle)
    invitation = SurveyInvitation.objects.create(survey=survey, contact=contact)
    response = SurveyResponse.objects.create(invitation=invitation, overall_satisfaction=2, recommend=3, buy_again=2,
                                             confidence=2, integrity=2, pride=2, passion=2)
    SurveyResponse.objects.filter(pk=response.pk).update(
        created_at=datetime.datetime(2027, 1, 9, 9, tzinfo=datetime.UTC))
    account.lifecycle_stage = "integration"  # from initiation
    account.save()
    Account.history.model.objects.filter(pk=account.history.order_by("-history_id").first().pk).update(
        history_date=datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC))
    return opportunity


def test_the_timeline_shows_every_kind_of_event_newest_first(client_for, chair_user, cft_user, cycle):
    account = AccountFactory(name="Lakeside Clinic")
    _history(account, cycle, cft_user)
    response = client_for(chair_user).get(reverse("account_timeline", args=[account.pk]))
    lines = [(line.on, line.kind.key, line.event.text.split(":")[0]) for line in response.context["lines"]]
    assert lines == [
        (D(2027, 1, 11), "complaint", "Complaint resolved after 3 days (Delivery or timeliness, Asset Tracking)"),
        (D(2027, 1, 10), "lifecycle", "Lifecycle stage"),
        (D(2027, 1, 9), "survey", "Survey “Engagement 2027” answered by Dana Reyes"),
        (D(2027, 1, 8), "complaint", "Complaint received by email"),
        (D(2027, 1, 7), "rating", "Rated Asset Tracking 2 of 5 by Dana Reyes"),
        (D(2027, 1, 6), "proposal", "Proposal for Asset Tracking"),
        (D(2027, 1, 5), "phase3", "Phase 3"),
        (D(2027, 1, 4), "touch", "Email to the account"),
        (D(2027, 1, 3), "status", "Status — → No progress — Asset Tracking"),
        (D(2027, 1, 2), "assessment", "Prioritized for Asset Tracking in FY2027"),
        (D(2026, 11, 1), "lifecycle", "Lifecycle stage"),
    ]
    texts = [line.event.text for line in response.context["lines"]]
    assert "Phase 3: Engaged internal sponsor — Asset Tracking" in texts
    assert any("recommend 3 of 10 (detractor), actively disengaged" in text for text in texts)
    page = response.content.decode()
    assert 'data-testid="timeline-tab"' not in page and "Sent brochure 0" in page


def test_the_timeline_filters_by_kind_and_refuses_an_unknown_kind(client_for, chair_user, cft_user, cycle):
    account = AccountFactory()
    _history(account, cycle, cft_user)
    client = client_for(chair_user)
    url = reverse("account_timeline", args=[account.pk])
    complaints = client.get(url, {"kind": ["complaint", "rating"]})
    assert [line.kind.key for line in complaints.context["lines"]] == ["complaint", "complaint", "rating"]
    refused = client.get(url, {"kind": ["complaint", "gossip"]})
    assert refused.status_code == 400
    assert "No such kind of event: gossip" in refused.content.decode()


def test_a_reader_sees_only_the_kinds_their_permissions_allow(client, cft_user, cycle):
    account = AccountFactory()
    _history(account, cycle, cft_user)
    reader = UserFactory(username="touch-reader")
    reader.groups.clear()
    reader.user_permissions.set(Permission.objects.filter(
        content_type__app_label__in=["oe21", "opportunities"],
        codename__in=["use_portal", "view_account", "view_touch"]))
    client.force_login(reader)
    url = reverse("account_timeline", args=[account.pk])
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    assert {line.kind.key for line in response.context["lines"]} == {"touch", "lifecycle"}
    assert "Late again" not in response.content.decode()
    assert client.get(url, {"kind": "complaint"}).status_code == 400  # not theirs to ask for
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: the sign-in page


def test_a_timeline_page_makes_the_same_queries_at_two_sizes(client_for, chair_user, cft_user, cycle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    account = AccountFactory()
    opportunity = _history(account, cycle, cft_user)
    client = client_for(chair_user)
    url = reverse("account_timeline", args=[account.pk])

    def queries():
        client.get(url)  # settings read once per process (the currency) are read before counting
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        return len(captured), response

    small, first = queries()
    assert len(first.context["lines"]) == 11
    # older touches: the first page still holds every kind
    Touch.objects.bulk_create([Touch(opportunity=opportunity, channel="phone", direction="in",
                                     occurred_on=D(2026, 2, 1), by=cft_user) for _ in range(120)])
    large, second = queries()
    assert small == large <= 20
    assert len(second.context["lines"]) == 50  # a page, never the whole history
    assert second.context["page_obj"].paginator.count == 131
    last = client.get(url, {"page": "9999"})  # past the end: the last page
    assert last.context["page_obj"].number == 3 and len(last.context["lines"]) == 31
