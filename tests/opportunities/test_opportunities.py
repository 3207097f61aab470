import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from opportunities import selectors, services
from opportunities.models import Comment, FormulaSettings, Opportunity, StatusChange, Touch

from ..factories import AccountFactory, log_touches, make_opportunity

pytestmark = pytest.mark.django_db


@pytest.fixture
def opportunity(cycle, cft_user):
    return make_opportunity(cycle=cycle, salesperson=cft_user)


def _figures(opportunity):
    annotated = selectors.opportunities_with_counts(opportunity.cycle).get(pk=opportunity.pk)
    return selectors.figures_for(annotated, selectors.formula_parameters())


def test_every_count_is_derived_from_touch_events(opportunity):
    log_touches(opportunity, ("email", "out", 4), ("email", "in", 1), ("phone", "out", 2),
                ("phone", "in", 1), ("online_meeting", "out", 2), ("online_meeting", "in", 1))
    figures = _figures(opportunity)
    assert figures.counts["email"] == (4, 1)
    assert figures.counts["phone"] == (2, 1)
    assert figures.counts["online_meeting"] == (2, 1)
    assert figures.counts["linkedin"] == (0, 0)
    # 3 responses to 8 touches out = 37.5 %
    assert (figures.touches_out, figures.responses, figures.efficiency) == (8, 3, Decimal("37.5"))


def test_logging_a_touch_counts_it_in_the_same_transaction(opportunity, cft_user):
    stale = Opportunity.objects.get(pk=opportunity.pk)  # a copy read before the touches
    for channel, direction in [("email", "out"), ("email", "out"), ("linkedin", "in")]:
        services.touch_log(opportunity=opportunity, user=cft_user,
                           data={"occurred_on": datetime.date(2026, 11, 2), "channel": channel,
                                 "direction": direction})
    opportunity.refresh_from_db()
    assert (opportunity.n_email_out, opportunity.n_linkedin_in, opportunity.n_out, opportunity.n_in) == (2, 1, 2, 1)
    # saving a stale copy (as a form does) never puts old counts back
    stale.salesperson_role = "Key account manager"
    stale.save()
    opportunity.refresh_from_db()
    assert (opportunity.salesperson_role, opportunity.n_out, opportunity.n_in) == ("Key account manager", 2, 1)
    # the counts are the log's: recounting from the touches changes nothing
    services.recount_touches([opportunity.pk])
    opportunity.refresh_from_db()
    assert (opportunity.n_email_out, opportunity.n_out, opportunity.n_in) == (2, 2, 1)


def test_figures_follow_steps_status_and_admin_parameters(opportunity, cft_user):
    opportunity.sponsor_engaged_on = opportunity.touch1_sent_on = datetime.date(2026, 11, 1)
    opportunity.save()
    services.opportunity_change_status(opportunity=opportunity, status="interested", user=cft_user)
    figures = _figures(Opportunity.objects.get(pk=opportunity.pk))
    assert (figures.steps_done, figures.points, figures.progress) == (2, 4, Decimal("40.0"))
    FormulaSettings.objects.create(points_interested=6, maximum_points=16)
    figures = _figures(opportunity)
    # 2 + 6 = 8 of 16
    assert (figures.points, figures.progress) == (8, Decimal("50.0"))


def test_a_touch_dated_in_the_future_is_refused(opportunity, cft_user):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.touch_log(opportunity=opportunity, user=cft_user,
                           data={"occurred_on": tomorrow, "channel": "email", "direction": "out"})
    assert not Touch.objects.exists()


def test_the_sixth_comment_is_refused_with_a_message(client_for, cft_user, opportunity):
    client = client_for(cft_user)
    url = reverse("opportunities:comment_add", args=[opportunity.pk])
    for n in range(5):
        client.post(url, {"text": f"Comment {n}"})
    response = client.post(url, {"text": "One too many"}, follow=True)
    assert "at most 5 comments" in response.content.decode()  # per customer or prospect
    assert Comment.objects.filter(opportunity=opportunity).count() == 5


@pytest.mark.parametrize("status", ["no_progress", "unsubscribed", "not_interested"])
def test_moving_to_a_stalled_status_needs_a_reason(opportunity, cft_user, status):
    opportunity.status = "interested"
    opportunity.save()
    with pytest.raises(ValidationError, match="needs a reason"):
        services.opportunity_change_status(opportunity=opportunity, status=status, user=cft_user)
    services.opportunity_change_status(opportunity=opportunity, status=status, user=cft_user,
                                       reason="budget")
    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.status_reason) == (status, "budget")


def test_other_as_a_reason_needs_its_text(opportunity, cft_user):
    with pytest.raises(ValidationError, match="Describe the other reason"):
        services.opportunity_change_status(opportunity=opportunity, status="not_interested",
                                           user=cft_user, reason="other")


def test_leaving_purchased_needs_a_reason_and_nothing_is_half_saved(client_for, cft_user, cycle):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user, status="purchased")
    response = client_for(cft_user).post(
        reverse("opportunities:opportunity_status", args=[opportunity.pk]),
        {"status": "evaluating"}, follow=True)
    assert "changes status only with a reason" in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == "purchased"
    assert StatusChange.objects.filter(opportunity=opportunity).count() == 1


def test_every_status_move_is_kept_with_who_and_why(opportunity, cft_user):
    services.opportunity_change_status(opportunity=opportunity, status="interested", user=cft_user)
    services.opportunity_change_status(opportunity=opportunity, status="not_interested",
                                       user=cft_user, reason="price")
    moves = list(opportunity.status_changes.order_by("pk").values_list("from_status", "to_status", "reason"))
    assert moves == [("", "no_progress", ""), ("no_progress", "interested", ""),
                     ("interested", "not_interested", "price")]


def test_moving_to_the_same_status_is_refused(opportunity, cft_user):
    with pytest.raises(ValidationError, match="already"):
        services.opportunity_change_status(opportunity=opportunity, status="no_progress",
                                           user=cft_user, reason="timing")


def test_texts_are_versioned(cft_user):
    from ..factories import SegmentFactory

    segment = SegmentFactory(name="Healthcare")
    services.engagement_text_save(segment=segment, kind="value_proposition", body="v1", user=cft_user)
    services.engagement_text_save(segment=segment, kind="value_proposition", body="v2", user=cft_user)
    services.engagement_text_save(segment=segment, kind="touch", touch_number=1, medium="email",
                                  body="Hello", user=cft_user)
    current = selectors.current_texts(segment)
    assert [(t.kind, t.version, t.body) for t in current] == [
        ("touch", 1, "Hello"), ("value_proposition", 2, "v2")]
    assert [t.body for t in selectors.text_versions(current[1])] == ["v2", "v1"]


def test_the_funnel_counts_how_far_opportunities_got(cycle, cft_user):
    furthest = ["interested", "purchased", "undecided", None]
    for status in furthest:
        o = make_opportunity(cycle=cycle, salesperson=cft_user)
        if status:
            services.opportunity_change_status(opportunity=o, status=status, user=cft_user)
    funnel = {label: (n, share) for label, n, share in selectors.funnel(Opportunity.objects.filter(cycle=cycle))}
    assert funnel["All opportunities"] == (4, None)
    assert funnel["Undecided"] == (3, Decimal("75.0"))   # 3 of 4 reached Undecided or beyond
    assert funnel["Interested"] == (2, Decimal("66.7"))  # 2 of 3
    assert funnel["Evaluating"] == (1, Decimal("50.0"))  # the purchased one passed through
    assert funnel["Purchased"] == (1, Decimal("100.0"))


def test_rollups_count_statuses_and_efficiency_per_salesperson(cycle, cft_user, other_cft_user):
    a = make_opportunity(cycle=cycle, salesperson=cft_user, status="interested")
    make_opportunity(cycle=cycle, salesperson=cft_user, status="purchased")
    b = make_opportunity(cycle=cycle, salesperson=other_cft_user)
    log_touches(a, ("email", "out", 4), ("email", "in", 1))
    log_touches(b, ("phone", "out", 1), ("phone", "in", 1))
    rows = selectors.opportunities_with_counts(cycle)
    by_person = {r.group: r for r in selectors.rollup(rows, "salesperson")}
    # both users are called "Test": the username keeps them apart
    mine, theirs = by_person["Test (carla-cft)"], by_person["Test (colin-cft)"]
    assert (mine.total, mine.touches_out, mine.responses, mine.efficiency) == (2, 4, 1, Decimal("25.0"))
    assert (theirs.total, theirs.efficiency) == (1, Decimal("100.0"))
    groups = {r.group: r for r in selectors.rollup(rows, "lead_source")}
    email = groups["Email"]
    assert (email.total, email.statuses["interested"], email.statuses["purchased"]) == (3, 1, 1)
    # 2 responses to 5 touches out = 40 %
    assert email.efficiency == Decimal("40.0")


def test_the_rollups_funnel_and_charts_count_the_filtered_opportunities(client_for, viewer_user, cycle, cft_user):
    from ..factories import OfferingFactory

    tracking, audit = OfferingFactory(name="Asset Tracking"), OfferingFactory(name="Compliance Audit")
    for _ in range(3):
        o = make_opportunity(cycle=cycle, salesperson=cft_user, offering=tracking)
        services.opportunity_change_status(opportunity=o, status="interested", user=cft_user)
        log_touches(o, ("email", "out", 2), on=timezone.localdate())
    make_opportunity(cycle=cycle, salesperson=cft_user, offering=audit, status="not_interested",
                     status_reason="budget")
    page = client_for(viewer_user).get(reverse("opportunities:rollups"), {"offering": audit.pk})
    funnel = {label: n for label, n, _ in page.context["funnel"]}
    assert (funnel["All opportunities"], funnel["Interested"]) == (1, 0)  # not 4 and 3
    assert page.context["touches_chart"] is None  # the audit opportunity has no touches
    tables = dict(page.context["tables"])
    assert [(g.group, g.total) for g in tables["Offering"]] == [("Compliance Audit", 1)]
    reasons = client_for(viewer_user).get(reverse("opportunities:rollups"), {"offering": tracking.pk})
    assert reasons.context["reasons_chart"] is None and reasons.context["touches_chart"] is not None


def test_the_furthest_stage_survives_a_move_back_and_a_stale_save(cycle, cft_user):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    stale = Opportunity.objects.get(pk=opportunity.pk)  # a form's copy, read before the moves
    services.opportunity_change_status(opportunity=opportunity, status="evaluating", user=cft_user)
    services.opportunity_change_status(opportunity=opportunity, status="interested", user=cft_user)
    opportunity.refresh_from_db()
    assert opportunity.furthest_stage == 2  # Evaluating was reached, moving back does not undo it
    stale.salesperson_role = "Account manager"
    stale.save()
    stale.refresh_from_db()
    assert (stale.furthest_stage, stale.salesperson_role) == (2, "Account manager")


def test_the_opportunity_manager_sorts_recent_first_or_as_asked(client_for, cycle, cft_user):
    older = make_opportunity(cycle=cycle, salesperson=cft_user, account=AccountFactory(name="Alpha Mill"))
    newer = make_opportunity(cycle=cycle, salesperson=cft_user, account=AccountFactory(name="Zeta Clinic"))
    Opportunity.objects.filter(pk=older.pk).update(updated_at=timezone.now() - datetime.timedelta(days=3))
    client = client_for(cft_user)

    def order(query):
        rows = client.get(reverse("opportunities:index"), query).context["rows"]
        return [row.opportunity.pk for row in rows]

    assert order({}) == [newer.pk, older.pk]
    assert order({"sort": "account"}) == [older.pk, newer.pk]
    assert order({"sort": "-account"}) == [newer.pk, older.pk]  # the header's second click
    page = client.get(reverse("opportunities:index"), {"sort": "account", "status": ""}).content.decode()
    assert 'aria-sort="ascending"><a class="sort-link" href="?sort=-account&amp;status="' in page
    assert client.get(reverse("opportunities:index"), {"sort": "nonsense"}).status_code == 200


def test_five_comments_per_account_over_its_opportunities_and_authors_edit_their_own(
        client_for, cycle, cft_user, other_cft_user, chair_user):
    account = AccountFactory(name="Clinic")
    first = make_opportunity(cycle=cycle, salesperson=cft_user, account=account)
    second = make_opportunity(cycle=cycle, salesperson=cft_user, account=account)
    for n in range(3):
        services.comment_add(opportunity=first, text=f"On the first {n}", user=cft_user)
    for n in range(2):
        services.comment_add(opportunity=second, text=f"On the second {n}", user=cft_user)
    with pytest.raises(ValidationError, match="Clinic has them all"):
        services.comment_add(opportunity=second, text="A sixth for the clinic", user=cft_user)
    assert Comment.objects.filter(opportunity__account=account).count() == 5

    mine = Comment.objects.filter(opportunity=first).first()
    client_for(other_cft_user).post(reverse("opportunities:comment_edit", args=[mine.pk]), {"text": "Not yours"})
    client_for(chair_user).post(reverse("opportunities:comment_delete", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.text == "On the first 0"  # neither another member nor the chair changes it
    client = client_for(cft_user)
    client.post(reverse("opportunities:comment_edit", args=[mine.pk]), {"text": "Budget moved to March"})
    mine.refresh_from_db()
    assert mine.text == "Budget moved to March" and mine.history.first().history_user == cft_user
    client.post(reverse("opportunities:comment_delete", args=[mine.pk]))
    assert not Comment.objects.filter(pk=mine.pk).exists()
    services.comment_add(opportunity=second, text="Room again", user=cft_user)  # four, so a fifth fits
