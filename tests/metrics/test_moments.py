"""Moments of truth (#17): complaints, low ratings and detractor answers counted by hand under the
lifecycle stage the account was in at the time and the channel; the review shows the heat map."""

import datetime

import pytest
from django.urls import reverse

from metrics.models import Complaint, CustomerRating, Survey, SurveyInvitation, SurveyResponse
from metrics.moments import moments_of_truth
from oe21.models import Account

from ..factories import AccountFactory, ContactFactory, OfferingFactory, SegmentFactory

pytestmark = pytest.mark.django_db
START, END = datetime.date(2027, 1, 1), datetime.date(2027, 6, 30)


def _at(day):
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _move_stage(account, stage, on):
    """The account moves to `stage` on `on` (its audit history dated that day)."""
    account.lifecycle_stage = stage
    account.save()
    account.history.filter(pk=account.history.first().pk).update(history_date=_at(on))


def _complaint(account, offering, received, channel):
    Complaint.objects.create(account=account, offering=offering, received_on=received, channel=channel,
                             category="delivery", description="Late", severity="low")


def _answer(account, cycle, recommend, on, offering=None):
    survey = Survey.objects.create(title="Engagement", cycle=cycle, offering=offering)
    invitation = SurveyInvitation.objects.create(survey=survey, contact=ContactFactory(account=account))
    response = SurveyResponse.objects.create(invitation=invitation, overall_satisfaction=3, recommend=recommend,
                                             buy_again=3, confidence=3, integrity=3, pride=3, passion=3)
    SurveyResponse.objects.filter(pk=response.pk).update(created_at=_at(on))


@pytest.fixture
def history(cycle):
    """Clinic: in initiation until 1 March 2027, in integration from then.
    - complaints: 10 Feb by phone (initiation), 15 Mar by phone and 20 Mar by e-mail (integration),
      31 Dec 2026 by phone (before the period: not counted)
    - ratings: 2 on 5 Feb (initiation, low), 1 on 1 Mar (integration: the move is that day), 3 on 2 Mar (not low)
    - survey answers: recommend 6 on 10 Apr (integration, detractor), 7 on 11 Apr (passive: not counted)
    Lab (another segment): a complaint on the web on 1 May, in value creation all along."""
    north, south = SegmentFactory(name="North"), SegmentFactory(name="South")
    offering, other = OfferingFactory(name="Audit"), OfferingFactory(name="Training")
    clinic = AccountFactory(name="Clinic", segment=north, lifecycle_stage="initiation")
    clinic.history.update(history_date=_at(datetime.date(2026, 1, 1)))
    _move_stage(Account.objects.get(pk=clinic.pk), "integration", datetime.date(2027, 3, 1))
    _complaint(clinic, offering, datetime.date(2027, 2, 10), "phone")
    _complaint(clinic, offering, datetime.date(2027, 3, 15), "phone")
    _complaint(clinic, other, datetime.date(2027, 3, 20), "email")
    _complaint(clinic, offering, datetime.date(2026, 12, 31), "phone")
    for value, day in ((2, datetime.date(2027, 2, 5)), (1, datetime.date(2027, 3, 1)), (3, datetime.date(2027, 3, 2))):
        CustomerRating.objects.create(account=clinic, offering=offering, value=value, rated_on=day)
    _answer(clinic, cycle, 6, datetime.date(2027, 4, 10))
    _answer(clinic, cycle, 7, datetime.date(2027, 4, 11))
    lab = AccountFactory(name="Lab", segment=south, lifecycle_stage="value_creation")
    _complaint(lab, other, datetime.date(2027, 5, 1), "web")
    return {"north": north, "offering": offering, "other": other}


def test_each_record_counts_under_the_stage_then_and_its_channel(history):
    moments = moments_of_truth(start=START, end=END)
    assert moments.counts == {("initiation", "phone"): 1, ("integration", "phone"): 1,
                              ("integration", "email"): 1, ("initiation", "rating"): 1,
                              ("integration", "rating"): 1, ("integration", "survey"): 1,
                              ("value_creation", "web"): 1}
    assert moments.total == 7
    rows = {label: (cells, total) for label, cells, total in moments.rows()}
    assert rows["Integration"][1] == 4 and rows["Initiation"][1] == 2 and rows["Intelligence"][1] == 0
    assert moments.figure() is not None


def test_the_review_filters_apply(history):
    by_offering = moments_of_truth(start=START, end=END, offering=history["offering"])
    # Audit: the two phone complaints and both low ratings; the survey asked about no offering
    assert by_offering.counts == {("initiation", "phone"): 1, ("integration", "phone"): 1,
                                  ("initiation", "rating"): 1, ("integration", "rating"): 1}
    by_segment = moments_of_truth(start=START, end=END, segment=history["north"])
    assert by_segment.total == 6 and ("value_creation", "web") not in by_segment.counts
    nothing = moments_of_truth(start=datetime.date(2028, 1, 1), end=datetime.date(2028, 12, 31))
    assert nothing.total == 0 and nothing.figure() is None


def test_the_review_shows_the_heat_map(history, client_for, viewer_user):
    page = client_for(viewer_user).get(reverse("metrics:dashboard"), {"month": "2027-06", "months": 12})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="moments-heatmap"' in body and 'data-testid="moments-of-truth"' in body
    assert page.context["moments"].total == 8  # July 2026 to June 2027: the complaint of 31 Dec 2026 too
    assert "Jul 2026 to\nJun 2027" in body


