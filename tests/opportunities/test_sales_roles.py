"""The sales roles of SPEC §1: a sales team member owns opportunities and logs touches, comments
and proposals; the sales manager may do so on every opportunity of the sales team."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from oe21 import roles
from opportunities.models import Opportunity, Proposal, Touch

from ..factories import AccountFactory, OfferingFactory, UserFactory, make_opportunity

pytestmark = pytest.mark.django_db
YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sales(db):
    return (UserFactory(username="sofia", role=roles.SALES_TEAM), UserFactory(username="sam", role=roles.SALES_TEAM),
            UserFactory(username="marcus", role=roles.SALES_MANAGER))


def test_a_sales_team_member_opens_their_own_opportunity_and_logs_touches_and_proposals(sales, cycle):
    sofia, sam, _ = sales
    account, offering = AccountFactory(), OfferingFactory()
    client = _client(sofia)
    response = client.post(reverse("opportunities:opportunity_create"), {
        "salesperson": sofia.pk, "offering": offering.pk, "lead_source": "email", "account": account.pk,
        "status": "no_progress"})
    assert response.status_code == 302
    opportunity = Opportunity.objects.get(salesperson=sofia)
    client.post(reverse("opportunities:touch_add", args=[opportunity.pk]),
                {"occurred_on": YESTERDAY, "channel": "email", "direction": "out"})
    client.post(reverse("opportunities:proposal_add", args=[opportunity.pk]),
                {"sent_on": YESTERDAY, "offering": offering.pk, "value": "12500", "outcome": "open"})
    assert Touch.objects.filter(opportunity=opportunity).count() == 1
    assert Proposal.objects.get().value == 12500
    refused = client.post(reverse("opportunities:opportunity_create"), {
        "salesperson": sam.pk, "offering": OfferingFactory().pk, "lead_source": "email", "account": account.pk,
        "status": "no_progress"})
    assert "only for yourself" in refused.content.decode()  # not for a colleague


def test_a_sales_team_member_changes_nothing_else(sales, cycle, cft_user):
    sofia, sam, _ = sales
    colleague = make_opportunity(cycle=cycle, salesperson=sam)
    client = _client(sofia)
    assert client.post(reverse("opportunities:touch_add", args=[colleague.pk]),
                       {"occurred_on": YESTERDAY, "channel": "email", "direction": "out"}).status_code == 403
    assert client.get(reverse("account_create")).status_code == 403
    assert client.get(reverse("prioritization:grid")).status_code == 403
    assert client.get(reverse("opportunities:index")).status_code == 200  # reads the Opportunity Manager
    assert not Touch.objects.exists()


def test_the_sales_manager_changes_every_opportunity_of_the_sales_team_and_no_other(sales, cycle, cft_user):
    sofia, _, marcus = sales
    team = make_opportunity(cycle=cycle, salesperson=sofia)
    cft = make_opportunity(cycle=cycle, salesperson=cft_user)
    client = _client(marcus)
    assert client.post(reverse("opportunities:touch_add", args=[team.pk]),
                       {"occurred_on": YESTERDAY, "channel": "phone", "direction": "out"}).status_code == 302
    assert client.post(reverse("opportunities:touch_add", args=[cft.pk]),
                       {"occurred_on": YESTERDAY, "channel": "phone", "direction": "out"}).status_code == 403
    assert list(Touch.objects.values_list("opportunity_id", flat=True)) == [team.pk]
    response = client.post(reverse("opportunities:opportunity_create"), {
        "salesperson": sofia.pk, "offering": OfferingFactory().pk, "lead_source": "email",
        "account": AccountFactory().pk, "status": "no_progress"})
    assert response.status_code == 302  # opened for a member of the team
    response = client.post(reverse("opportunities:opportunity_create"), {
        "salesperson": cft_user.pk, "offering": OfferingFactory().pk, "lead_source": "email",
        "account": AccountFactory().pk, "status": "no_progress"})
    assert "only for yourself or a member of the sales team" in response.content.decode()


@pytest.mark.parametrize("value, message", [
    ("lots", "Enter the value as a number"), ("-5", "cannot be negative")])
def test_a_proposal_value_that_is_not_a_number_or_negative_is_refused(client_for, cft_user, cycle, value, message):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    response = client_for(cft_user).post(reverse("opportunities:proposal_add", args=[opportunity.pk]), {
        "sent_on": YESTERDAY, "offering": opportunity.offering_id, "value": value, "outcome": "open"}, follow=True)
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_proposals_outcome_is_saved_and_kept_in_the_history(client_for, cft_user, cycle):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    client = client_for(cft_user)
    client.post(reverse("opportunities:proposal_add", args=[opportunity.pk]), {
        "sent_on": YESTERDAY, "offering": opportunity.offering_id, "value": "176000", "outcome": "open"})
    proposal = Proposal.objects.get()
    page = client.get(opportunity.get_absolute_url()).content.decode()
    assert "USD 176,000.00" in page
    from oe21.lib.records import version_of

    response = client.post(reverse("opportunities:proposal_outcome", args=[proposal.pk]), {
        f"proposal-{proposal.pk}-outcome": "accepted", f"proposal-{proposal.pk}-version": version_of(proposal)})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.outcome == "accepted"
    history = client.get(reverse("opportunities:opportunity_history", args=[opportunity.pk])).content.decode()
    assert "<strong>outcome</strong>: Open → Accepted" in history
