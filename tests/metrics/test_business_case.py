"""The engaged customers' business case (#17, seed 004): revenue per account, repeat purchases and
share of wallet of fully engaged customers against the others, worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.business_case import FULLY, NOT_SURVEYED, OTHER, OVERALL, business_case
from metrics.models import Survey, SurveyInvitation, SurveyResponse
from opportunities.models import Proposal

from ..factories import AccountFactory, ContactFactory, OfferingFactory, SegmentFactory, make_opportunity

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2027, 6, 1)  # the period: July 2026 to June 2027


def _answer(account, cycle, *, all_fives: bool, on=datetime.date(2027, 3, 1)):
    survey = Survey.objects.create(title="Engagement", cycle=cycle)
    invitation = SurveyInvitation.objects.create(survey=survey, contact=ContactFactory(account=account))
    score = 5 if all_fives else 3
    response = SurveyResponse.objects.create(invitation=invitation, overall_satisfaction=score,
                                             recommend=10 if all_fives else 7, buy_again=score, confidence=score,
                                             integrity=score, pride=score, passion=score)
    SurveyResponse.objects.filter(pk=response.pk).update(
        created_at=datetime.datetime.combine(on, datetime.time(12), tzinfo=datetime.UTC))


def _bought(account, cycle, user, *values, on=datetime.date(2027, 2, 1), outcome="accepted"):
    offering = OfferingFactory()
    opportunity = make_opportunity(cycle=cycle, salesperson=user, account=account, offering=offering)
    for value in values:
        Proposal.objects.create(opportunity=opportunity, sent_on=on, offering=offering, value=value, outcome=outcome)


@pytest.fixture
def customers(cycle, cft_user):
    """North: A fully engaged (spend 10,000; bought 1,000 + 2,000), B fully engaged (no spend recorded;
    bought 600), C answered 3s (spend 20,000; bought 500; a declined 9,000 and an accepted 4,000 sent
    before the period do not count). South: D not surveyed (spend 5,000; nothing bought).
    A prospect that bought is not a customer and is left out."""
    north, south = SegmentFactory(name="North"), SegmentFactory(name="South")
    a = AccountFactory(name="A", kind="customer", segment=north, annual_spend=10000)
    b = AccountFactory(name="B", kind="customer", segment=SegmentFactory(name="North clinics", parent=north))
    c = AccountFactory(name="C", kind="customer", segment=north, annual_spend=20000)
    d = AccountFactory(name="D", kind="customer", segment=south, annual_spend=5000)
    prospect = AccountFactory(name="P", kind="prospect", segment=north)
    _answer(a, cycle, all_fives=True)
    _answer(b, cycle, all_fives=True)
    _answer(c, cycle, all_fives=True, on=datetime.date(2026, 1, 1))  # an older answer: the latest counts
    _answer(c, cycle, all_fives=False)
    _answer(d, cycle, all_fives=True, on=datetime.date(2027, 7, 2))  # after the period: not surveyed by then
    _bought(a, cycle, cft_user, 1000, 2000)
    _bought(b, cycle, cft_user, 600)
    _bought(c, cycle, cft_user, 500)
    _bought(c, cycle, cft_user, 9000, outcome="declined")
    _bought(c, cycle, cft_user, 4000, on=datetime.date(2026, 6, 30))
    _bought(prospect, cycle, cft_user, 7000)
    return north


def test_the_figures_by_hand(customers):
    case = business_case(MONTH)
    assert (case.start, case.end) == (datetime.date(2026, 7, 1), datetime.date(2027, 6, 30))
    north = case.segments["North"]
    fully = north[FULLY]
    assert fully.accounts == 2 and fully.revenue == 3600
    assert fully.revenue_per_account == 1800  # (1,000 + 2,000 + 600) / 2
    assert fully.repeat_share == 50  # A bought twice, B once
    assert fully.with_spend == 1 and fully.share_of_wallet == 30  # A: 3,000 of 10,000
    other = north[OTHER]
    assert (other.accounts, other.revenue_per_account, other.repeat_share) == (1, 500, 0)
    assert other.share_of_wallet == Decimal("2.5")  # 500 of 20,000
    south = case.segments["South"][NOT_SURVEYED]
    assert (south.accounts, south.revenue_per_account, south.share_of_wallet) == (1, 0, 0)
    overall = case.segments[OVERALL]
    assert sum(g.accounts for g in overall.values()) == 4  # the prospect is not a customer
    assert overall[FULLY].revenue_per_account == 1800 and NOT_SURVEYED in overall
    assert [segment for segment, _ in case.rows()] == ["North", "South", OVERALL]


def test_no_spend_recorded_leaves_the_share_of_wallet_blank(customers):
    from oe21.models import Account

    Account.objects.update(annual_spend=None)
    assert business_case(MONTH).segments["North"][FULLY].share_of_wallet is None


def test_the_page(customers, client_for, viewer_user):
    client = client_for(viewer_user)
    page = client.get(reverse("metrics:business_case"), {"month": "2027-06"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="case-north-1"' in body and "30.0 %" in body and "50.0 %" in body
    bad = client.get(reverse("metrics:business_case"), {"month": "June"})
    assert bad.status_code == 200 and "Enter a month as YYYY-MM." in bad.content.decode()


def test_who_may_see_it(client, client_for, db):
    from oe21.roles import PMS_CLIENT

    from ..factories import UserFactory

    url = reverse("metrics:business_case")
    assert client.get(url).status_code == 302
    assert client_for(UserFactory(username="pms", role=PMS_CLIENT)).get(url).status_code == 403  # the API only


def test_the_yearly_spend_is_imported_with_the_accounts_and_a_bad_amount_is_reported(client_for, cft_user,
                                                                                        django_capture_on_commit_callbacks):
    from oe21.models import Account, BackgroundJob

    client = client_for(cft_user)
    content = (b"name,kind,naics_code,zip_code,annual_spend\nLakeside,customer,621111,77429,\"125,000.50\"\n"
               b"Hillside,customer,621111,77429,lots\n")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_import"), {"file": _upload("accounts.csv", content)})
    job = BackgroundJob.objects.get()
    assert [(e["line"], e["column"], e["message"]) for e in job.result["errors"]] == [
        (3, "annual_spend", "“lots” is not an amount.")]
    assert not Account.objects.filter(name__in=["Lakeside", "Hillside"]).exists()  # all or nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_import"), {"file": _upload("accounts.csv", content.split(b"Hillside")[0])})
    assert Account.objects.get(name="Lakeside").annual_spend == Decimal("125000.50")


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")
