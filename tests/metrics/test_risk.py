"""The early warning (#17): each signal's points worked out by hand, the nightly refresh, the digest
sent once, the threshold's bounds, and the pages that show it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from metrics.models import AccountRisk, Complaint, CustomerRating, Survey, SurveyInvitation, SurveyResponse
from metrics.risk import assess
from metrics.services import risk_refresh
from oe21.models import Account, OrganisationProfile, QueuedTask
from opportunities.models import Opportunity, Touch

from ..factories import AccountFactory, ContactFactory, OfferingFactory, make_opportunity

pytestmark = pytest.mark.django_db

DAY = datetime.date(2027, 6, 30)


def _days(n):
    return DAY - datetime.timedelta(days=n)


def _answer(account, cycle, *, recommend, satisfaction=3, attachment=3, on=DAY):
    survey = Survey.objects.create(title="Engagement", cycle=cycle)
    invitation = SurveyInvitation.objects.create(survey=survey, contact=ContactFactory(account=account))
    response = SurveyResponse.objects.create(invitation=invitation, overall_satisfaction=satisfaction,
                                             recommend=recommend, buy_again=3, confidence=attachment,
                                             integrity=attachment, pride=attachment, passion=attachment)
    SurveyResponse.objects.filter(pk=response.pk).update(
        created_at=datetime.datetime.combine(on, datetime.time(12), tzinfo=datetime.UTC))


def _complaint(account, offering, received, resolved=None):
    Complaint.objects.create(account=account, offering=offering, received_on=received, resolved_on=resolved,
                             channel="email", category="delivery", description="Late", severity="low")


@pytest.fixture
def unhappy(cycle):
    """Ratings 4 then 2 (fell: +20; low: +15), a complaint 10 days ago still open (new: +15), a
    detractor's answer that is not actively disengaged (+15): 65."""
    account = AccountFactory(name="Unhappy Clinic")
    offering = OfferingFactory()
    CustomerRating.objects.create(account=account, offering=offering, value=4, rated_on=_days(60))
    CustomerRating.objects.create(account=account, offering=offering, value=2, rated_on=_days(5))
    CustomerRating.objects.create(account=account, offering=offering, value=5, rated_on=DAY + datetime.timedelta(1))
    _complaint(account, offering, _days(10))
    _answer(account, cycle, recommend=5)
    return account


def test_an_accounts_score_adds_up_the_points_of_its_signals(unhappy):
    risk = assess(DAY)[unhappy.pk]  # the rating given the day after is not seen yet
    assert set(risk.signals) == {"rating_fell", "low_rating", "new_complaint", "detractor"}
    assert risk.score == 20 + 15 + 15 + 15
    assert risk.signals["rating_fell"] == "4 → 2 of 5"
    assert [c["signal"] for c in risk.contributions()] == ["rating_fell", "detractor", "low_rating", "new_complaint"]


def test_complaint_signals_repeated_and_long_unresolved(cycle):
    offering = OfferingFactory()
    repeated, stale, resolved = AccountFactory(), AccountFactory(), AccountFactory()
    _complaint(repeated, offering, _days(80), _days(70))
    _complaint(repeated, offering, _days(50), _days(45))  # two in 90 days, none new, both resolved: +15
    _complaint(stale, offering, _days(45))  # open 45 days: +20
    _complaint(stale, offering, _days(200), DAY + datetime.timedelta(days=3))  # resolved only after the day: +20
    _complaint(resolved, offering, _days(100), _days(95))  # old and resolved: nothing
    risks = assess(DAY)
    assert risks[repeated.pk].signals.keys() == {"repeated_complaints"} and risks[repeated.pk].score == 15
    assert risks[stale.pk].signals == {"unresolved_complaint": "2 open for over 30 days"}
    assert resolved.pk not in risks


def test_survey_actively_disengaged_and_the_latest_answer_counts(cycle):
    gone, recovered = AccountFactory(), AccountFactory()
    _answer(gone, cycle, recommend=3, satisfaction=1, attachment=1)  # detractor and actively disengaged: 35
    _answer(recovered, cycle, recommend=2, on=_days(100))
    _answer(recovered, cycle, recommend=10, satisfaction=5, attachment=5, on=_days(10))  # the latest: fine
    risks = assess(DAY)
    assert risks[gone.pk].score == 15 + 20
    assert recovered.pk not in risks


def test_touch_signals_no_contact_and_falling_responses(cycle, cft_user):
    quiet, fading, busy = AccountFactory(), AccountFactory(), AccountFactory()
    for account in (quiet, fading, busy):
        opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, account=account)
        Opportunity.objects.filter(pk=opportunity.pk).update(
            created_at=datetime.datetime(2027, 1, 1, 12, tzinfo=datetime.UTC))

    def touches(account, day, direction, n):
        opportunity = Opportunity.objects.get(account=account)
        Touch.objects.bulk_create([Touch(opportunity=opportunity, occurred_on=day, channel="email",
                                         direction=direction) for _ in range(n)])

    touches(quiet, _days(70), "out", 2)  # last touch 70 days ago: no contact (+10)
    touches(fading, _days(150), "out", 4)
    touches(fading, _days(150), "in", 4)  # 4 responses to 4 touches, then 1 to 4 (1/4 < ½ × 4/4): +15
    touches(fading, _days(20), "out", 4)
    touches(fading, _days(20), "in", 1)
    touches(busy, _days(150), "out", 4)
    touches(busy, _days(150), "in", 2)  # 2/4, then 1/4: exactly half, not under it
    touches(busy, _days(20), "out", 4)
    touches(busy, _days(20), "in", 1)
    risks = assess(DAY)
    assert risks[quiet.pk].signals.keys() == {"no_contact"} and risks[quiet.pk].score == 10
    assert risks[fading.pk].signals == {"responses_fell": "1/4 responses per touch, 4/4 before"}
    assert busy.pk not in risks


def test_a_customer_whose_stage_has_not_moved_for_a_year(cycle):
    stalled, moved, prospect = (AccountFactory(kind="customer"), AccountFactory(kind="customer"),
                                AccountFactory(kind="prospect"))
    old = datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)
    Account.history.model.objects.filter(id__in=[stalled.pk, moved.pk, prospect.pk]).update(history_date=old)
    moved.lifecycle_stage = "integration"
    moved.save()
    Account.history.model.objects.filter(id=moved.pk, history_date__gt=old).update(
        history_date=datetime.datetime(2027, 3, 1, 12, tzinfo=datetime.UTC))
    risks = assess(DAY)
    assert risks[stalled.pk].signals == {"stage_stalled": "since 2026-01-10"}
    assert moved.pk not in risks and prospect.pk not in risks


def _digests():
    return [t for t in QueuedTask.objects.all() if t.task_name.endswith("send_notification")]


def test_the_refresh_stores_scores_and_mails_one_digest_when_an_account_crosses(unhappy, cft_user, cycle):
    calm = AccountFactory(name="Calm Foods")
    CustomerRating.objects.create(account=calm, offering=OfferingFactory(), value=2, rated_on=_days(3))  # 15
    OrganisationProfile.objects.create(name="Northwind", risk_threshold=60)
    assert risk_refresh(today=DAY) == {"accounts": 2, "at_risk": 1, "crossed": 1}
    stored = AccountRisk.objects.get(account=unhappy)
    assert (stored.score, stored.at_risk_since, stored.signals[0]["signal"]) == (65, DAY, "rating_fell")
    assert AccountRisk.objects.get(account=calm).at_risk_since is None
    [digest] = _digests()
    recipients, subject, message = digest.args
    assert cft_user.email in recipients and subject == "[OE21] 1 account crossed the risk threshold (60)"
    assert "- Unhappy Clinic: 65 (Rating fell, Survey: detractor, Low rating, New complaint)" in message
    # the same day again, and the next day: still at risk since the first day, no second e-mail
    assert risk_refresh(today=DAY)["crossed"] == 0
    CustomerRating.objects.filter(rated_on__gt=DAY).delete()  # (the fixture's rating of the next day)
    assert risk_refresh(today=DAY + datetime.timedelta(days=1))["crossed"] == 0
    assert AccountRisk.objects.get(account=unhappy).at_risk_since == DAY
    assert len(_digests()) == 1
    # the complaint was logged in error and goes, as do the other account's ratings: a row goes when no
    # signal is left, and an account below the threshold is no longer at risk
    Complaint.objects.all().delete()
    CustomerRating.objects.filter(account=calm).delete()
    risk_refresh(today=DAY + datetime.timedelta(days=2))
    assert not AccountRisk.objects.filter(account=calm).exists()
    assert AccountRisk.objects.get(account=unhappy).score == 50 and AccountRisk.objects.get(
        account=unhappy).at_risk_since is None  # 20 + 15 + 15 = 50 < 60


@pytest.mark.parametrize("threshold", [-1, 101])
def test_a_threshold_outside_0_to_100_is_refused_with_a_message(threshold):
    profile = OrganisationProfile(name="Northwind", risk_threshold=threshold)
    with pytest.raises(ValidationError) as refused:
        profile.full_clean()
    assert "risk_threshold" in refused.value.message_dict


def test_the_pages_show_the_ranked_list_and_each_signals_contribution(client_for, unhappy, cft_user, viewer_user,
                                                                      client):
    risk_refresh(today=DAY)  # default threshold 50: 65 is at risk
    page = client_for(viewer_user).get(reverse("metrics:at_risk")).content.decode()
    assert "Unhappy Clinic" in page and "Rating fell (+20: 4 → 2 of 5)" in page
    account_page = client_for(viewer_user).get(reverse("account_detail", args=[unhappy.pk])).content.decode()
    assert 'data-testid="account-risk"' in account_page and "+20" in account_page and "65" in account_page
    home = client_for(cft_user).get(reverse("home")).content.decode()
    assert 'data-testid="home-at-risk"' in home and "Unhappy Clinic" in home
    client.logout()
    assert client.get(reverse("metrics:at_risk")).status_code == 302
    assert client_for(viewer_user).post(reverse("metrics:at_risk_refresh")).status_code == 403


def test_the_back_test_counts_by_hand_what_followed_the_flagged_accounts(cycle, cft_user):
    """Ten accounts known by the end of March 2030 (an eleventh has no record yet), March replayed.
    At 31 March: A rated 4 then 1 (fell +20, low +15 = 35), B rated 2 (low, 15), the rest nothing.
    Top 10 % of 10 = 1 account: A. Threshold 30: A flagged. In April–June: A complains, B rates 1
    (lower than 2), C rates 2 after a 3 (lower), D stops responding (an answer on 10 March, none
    after): 4 of 10 have an outcome. Precision at the top 10 %: 1/1; base rate 4/10."""
    from io import StringIO

    from django.core.management import call_command

    from metrics.risk import backtest

    a, b, c, d, *others = [AccountFactory(name=name) for name in "ABCDEFGHIJ"]
    offering = OfferingFactory()

    def rate(account, value, day):
        CustomerRating.objects.create(account=account, offering=offering, value=value, rated_on=day)

    rate(a, 4, datetime.date(2030, 3, 1))
    rate(a, 1, datetime.date(2030, 3, 20))
    rate(b, 2, datetime.date(2030, 3, 5))
    rate(c, 3, datetime.date(2030, 1, 10))
    _complaint(a, offering, datetime.date(2030, 5, 10))
    rate(b, 1, datetime.date(2030, 4, 15))
    rate(c, 2, datetime.date(2030, 4, 1))
    for other in others:  # known by the day (a rating of 4: no signal)
        rate(other, 4, datetime.date(2030, 2, 1))
    rate(others[0], 5, datetime.date(2030, 5, 1))  # a higher rating after the day is no outcome
    AccountFactory(name="K")  # nothing recorded by the day: not counted
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, account=d)
    Touch.objects.create(opportunity=opportunity, occurred_on=datetime.date(2030, 3, 10), channel="email",
                         direction="in")
    [march] = backtest(datetime.date(2030, 3, 1), datetime.date(2030, 3, 1), threshold=30)
    assert (march.accounts, march.top, march.top_with_outcome, march.flagged, march.flagged_with_outcome,
            march.with_outcome) == (10, 1, 1, 1, 1, 4)
    assert march.precision_at_top == 1.0 and march.base_rate == 0.4
    out = StringIO()
    call_command("risk_backtest", "--from", "2030-03", "--to", "2030-03", "--threshold", "30", stdout=out)
    assert "| 2030-03 (outcome months not over) | 10 | 1 | 1 | 100.0 % | 1 | 100.0 % | 40.0 % | 2.50× |" in (
        out.getvalue())


@pytest.mark.parametrize("arguments, message", [
    (["--from", "2030-05", "--to", "2030-03"], "--from (2030-05) is after --to (2030-03)."),
    (["--from", "2030-13", "--to", "2030-03"], "--from must be a month as YYYY-MM"),
    (["--from", "2001-01", "--to", "2001-02"], "No data from 2001-01 to 2001-02"),
    (["--from", "2030-01", "--to", "2030-02", "--threshold", "101"], "--threshold must be a score from 0 to 100"),
])
def test_the_back_test_refuses_bad_periods_with_a_message(arguments, message):
    from django.core.management import CommandError, call_command

    AccountFactory()
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("risk_backtest", *arguments)
    assert not AccountRisk.objects.exists()


def test_the_risk_kris_are_computed_measures_by_hand(db):
    """June 2026: X rated 4 then 2 (35), Y rated 5 (0), both in Healthcare; threshold 30.
    Mean score (35 + 0) / 2 = 17.5; accounts at risk 1 of 2 = 50 %."""
    from decimal import Decimal

    from metrics.computations import computed_values
    from metrics.models import Measure

    from ..factories import SegmentFactory, default_measures

    default_measures()
    OrganisationProfile.objects.create(name="Northwind", risk_threshold=30)
    health = SegmentFactory(name="Healthcare")
    x, y = AccountFactory(segment=health), AccountFactory(segment=health)
    offering = OfferingFactory()
    CustomerRating.objects.create(account=x, offering=offering, value=4, rated_on=datetime.date(2026, 6, 1))
    CustomerRating.objects.create(account=x, offering=offering, value=2, rated_on=datetime.date(2026, 6, 20))
    CustomerRating.objects.create(account=y, offering=offering, value=5, rated_on=datetime.date(2026, 6, 10))
    june = datetime.date(2026, 6, 1)
    mean = Measure.objects.get(source="risk_mean")
    share = Measure.objects.get(source="at_risk_share")
    assert (mean.kind, mean.direction, share.unit) == ("KRI", "lower", "%")
    assert computed_values(mean, [june]) == {(june, ""): Decimal("17.5"),
                                             (june, f"segment:{health.pk}"): Decimal("17.5")}
    assert computed_values(share, [june])[(june, "")] == Decimal("50")
