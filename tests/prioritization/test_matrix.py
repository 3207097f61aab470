import statistics
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from oe21.milestones import missing_for
from prioritization import selectors
from prioritization.models import Assessment
from prioritization.scoring import high_value_targets

from ..factories import (
    AccountFactory,
    OfferingFactory,
    SegmentFactory,
    active_criteria,
    rated_assessment,
)

pytestmark = pytest.mark.django_db


def test_high_value_targets_are_the_top_quartile_with_ties():
    assert high_value_targets([("a", 5), ("b", 4), ("c", 3), ("d", 2)]) == ["a"]
    # ⌈5/4⌉ = 2 best; "c" ties with the second and is a target too
    assert high_value_targets([("a", 5), ("b", 4), ("c", 4), ("d", 2), ("e", 1)]) == ["a", "b", "c"]
    assert high_value_targets([("a", None)]) == []


def test_criterion_statistics_match_a_hand_computation(cycle):
    offering = OfferingFactory(name="Asset Tracking")
    health, food = SegmentFactory(name="Healthcare"), SegmentFactory(name="Food")
    for segment, first_ratings in ((health, 2), (health, 4), (food, 5)):
        rated_assessment(cycle=cycle, offering=offering, account=AccountFactory(segment=segment),
                         values=[first_ratings] + [3] * 6)
    criteria = selectors.criteria_in_use(cycle)
    figures = selectors.matrix_statistics(criteria, selectors.matrix_queryset(cycle))
    overall = figures["Overall"]["All assessments"]["Best Value"]
    # ratings 2, 4, 5: mean 11/3, median 4, sample sd sqrt(((2-11/3)²+(4-11/3)²+(5-11/3)²)/2)
    assert overall["mean"] == pytest.approx(11 / 3)
    assert overall["median"] == 4
    assert overall["std"] == pytest.approx(statistics.stdev([2, 4, 5]))
    assert overall["std"] == pytest.approx(1.527525, abs=1e-6)
    assert overall["count"] == 3
    by_segment = figures["By segment"]
    assert by_segment["Healthcare"]["Best Value"]["mean"] == 3
    assert by_segment["Food"]["Best Value"]["count"] == 1
    assert figures["By offering"]["Asset Tracking"]["Best Value"]["mean"] == pytest.approx(11 / 3)


def test_the_matrix_shows_each_offerings_estimated_success_from_its_mean_score(client_for, viewer_user, cycle):
    tracking, training = OfferingFactory(name="Tracking"), OfferingFactory(name="Training")
    rated_assessment(cycle=cycle, offering=tracking, values=[5] * 7)  # score 5
    rated_assessment(cycle=cycle, offering=tracking, values=[3] * 7)  # score 3: mean 4 → (4 − 1) / 4 × 100 = 75
    rated_assessment(cycle=cycle, offering=training, values=[2] * 7)  # score 2 → 25
    rated_assessment(cycle=cycle, offering=training, values=[3] * 7)  # score 3: mean 2.5 → 37.5
    response = client_for(viewer_user).get(reverse("prioritization:matrix_statistics"))
    rows = [(s.offering, s.assessments, float(s.mean.value), float(s.mean.percent), s.band)
            for s in response.context["success_by_offering"]]
    assert rows == [("Tracking", 2, 4.0, 75.0, "High"), ("Training", 2, 2.5, 37.5, "Low")]
    assert "<td>Tracking</td><td class=\"text-end\">2</td><td class=\"text-end\">4.00</td>" in response.content.decode()
    filtered = client_for(viewer_user).get(reverse("prioritization:matrix_statistics"), {"offering": training.pk})
    assert [s.offering for s in filtered.context["success_by_offering"]] == ["Training"]


def test_the_matrix_filters_by_segment_offering_sector_and_band(client_for, viewer_user, cycle):
    tracking, training = OfferingFactory(name="Tracking"), OfferingFactory(name="Training")
    health = SegmentFactory(name="Healthcare")
    clinic = AccountFactory(name="Clinic", naics_code="621111", segment=health)
    mill = AccountFactory(name="Mill", naics_code="311411")
    rated_assessment(cycle=cycle, offering=tracking, account=clinic, values=[5] * 7)  # 100 High
    rated_assessment(cycle=cycle, offering=training, account=mill, values=[2] * 7)  # 25 Low
    client = client_for(viewer_user)

    def accounts(query):
        rows = client.get(reverse("prioritization:matrix"), query).context["rows"]
        return [r.assessment.account.name for r in rows]

    assert accounts({}) == ["Clinic", "Mill"]
    assert accounts({"segment": health.pk}) == ["Clinic"]
    assert accounts({"offering": training.pk}) == ["Mill"]
    assert accounts({"sector": "31"}) == ["Mill"]
    assert accounts({"band": "High"}) == ["Clinic"]


def test_the_matrix_page_draws_the_heat_map_and_its_statistics_page_the_chart(client_for, viewer_user, cycle):
    rated_assessment(cycle=cycle, offering=OfferingFactory(), values=[5, 4, 3, 2, 1, 5, 4])
    client = client_for(viewer_user)
    page = client.get(reverse("prioritization:matrix"), {"segment": "", "page": "1"}).content.decode()
    assert "heat-5" in page and "heat-1" in page
    assert "plotly" not in page  # the matrix's list loads no chart library
    assert 'href="/prioritization/statistics/?segment="' in page  # the filters go with the link, not the page
    statistics = client.get(reverse("prioritization:matrix_statistics")).content.decode()
    assert "Score distribution by segment" in statistics
    assert "/static/vendor/plotly/plotly-cartesian.min.js" in statistics


@pytest.mark.parametrize("size", [4, 40])
def test_the_matrix_page_makes_a_bounded_number_of_queries(
        client_for, viewer_user, cycle, django_assert_max_num_queries, size):
    offering = OfferingFactory()
    for _ in range(size):
        rated_assessment(cycle=cycle, offering=offering)
    client = client_for(viewer_user)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("prioritization:matrix"))
    assert len(response.context["rows"]) == size
    with django_assert_max_num_queries(20):
        statistics = client.get(reverse("prioritization:matrix_statistics"))
    assert statistics.context["success_by_offering"][0].assessments == size


def test_a_retired_criterion_stays_on_old_assessments(cycle):
    assessment = rated_assessment(cycle=cycle, offering=OfferingFactory(), values=[1, 5, 5, 5, 5, 5, 5])
    best_value = active_criteria()[0]
    best_value.is_active = False
    best_value.save()
    criteria = selectors.criteria_in_use(cycle)
    rows = selectors.page_rows(criteria, selectors.matrix_queryset(cycle), selectors.high_value_cutoff(cycle))
    assert best_value in criteria
    assert rows[0].cells[criteria.index(best_value)] == 1
    # still counted for this row: (1 + 6*5) / 7
    assert float(rows[0].score.value) == pytest.approx(31 / 7)
    assert assessment.ratings.count() == 7


def test_milestone_1_needs_every_high_value_target_reviewed(cycle):
    offering = OfferingFactory(name="Tracking")
    best = rated_assessment(cycle=cycle, offering=offering, values=[5] * 7)
    for _ in range(4):  # five rows: the top quartile is the ⌈5/4⌉ = 2 best, `best` and one tying at 2
        rated_assessment(cycle=cycle, offering=offering, values=[2] * 7)
    Assessment.objects.filter(score__lt=3).update(reviewed_at=timezone.now())
    missing = missing_for(1, cycle)
    assert missing == ["Review the high-value targets together (one click marks those shown reviewed).",
                       f"High-value target “{best.account}” (Tracking) has not been reviewed."]
    assert missing[0].url == reverse("prioritization:matrix") + "?to_review=on"
    best.reviewed_at = timezone.now()
    best.save()
    assert missing_for(1, cycle) == []


def test_the_high_value_rows_to_review_are_marked_reviewed_with_one_click(client_for, cft_user, viewer_user, cycle):
    offering = OfferingFactory(name="Tracking")
    best = [rated_assessment(cycle=cycle, offering=offering, values=[5] * 7) for _ in range(2)]
    low = [rated_assessment(cycle=cycle, offering=offering, values=[2] * 7) for _ in range(6)]
    client = client_for(cft_user)
    page = client.get(reverse("prioritization:matrix"), {"to_review": "on"})
    assert [row.assessment for row in page.context["rows"]] == sorted(best, key=lambda a: a.account.name)
    assert "Mark these 2 high-value rows reviewed" in page.content.decode()
    from django.test import Client

    viewer = Client()
    viewer.force_login(viewer_user)
    refused = viewer.post(reverse("prioritization:assessments_review"), {"assessment": [a.pk for a in best]})
    assert refused.status_code == 403
    response = client.post(reverse("prioritization:assessments_review"),
                           {"assessment": [a.pk for a in best + low] + ["x", "-1"], "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    for assessment in best + low:
        assessment.refresh_from_db()
    assert all(a.reviewed_by == cft_user for a in best)
    assert all(a.reviewed_at is None for a in low)  # not high-value: left alone
    assert best[0].history.first().history_user == cft_user
    assert missing_for(1, cycle) == []


def test_milestone_1_needs_a_complete_assessment_per_active_offering(cycle):
    offering = OfferingFactory(name="Tracking")
    rated_assessment(cycle=cycle, offering=offering, values=[5, None, 5, 5, 5, 5, 5])
    assert "Offering “Tracking” has no complete prioritization assessment in FY2027." in missing_for(1, cycle)


def test_milestone_1_asks_the_organisations_number_of_assessments_with_respondent_details(cycle):
    from oe21.models import OrganisationProfile

    offering = OfferingFactory(name="Tracking")
    rows = [rated_assessment(cycle=cycle, offering=offering, values=[3] * 7) for _ in range(4)]
    rated_assessment(cycle=cycle, offering=offering, values=[3, None, 3, 3, 3, 3, 3])  # incomplete: not counted
    rated_assessment(cycle=cycle, offering=offering, values=[3] * 7,
                     account=AccountFactory(kind="stakeholder"))  # a key stakeholder: not a customer or prospect
    Assessment.objects.filter(cycle=cycle).update(reviewed_at=timezone.now())
    missing = missing_for(1, cycle)
    assert missing == ["Offering “Tracking” has 4 complete prioritization assessments of customers and prospects in "
                       "FY2027; at least 5 are asked."]
    assert missing[0].url == reverse("prioritization:grid") + f"?offering={offering.pk}"
    Assessment.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(respondent_age_group="")
    Assessment.objects.filter(pk=rows[2].pk).update(respondent_role="")
    assert missing_for(1, cycle) == [
        "Offering “Tracking” has 4 complete prioritization assessments of customers and prospects in FY2027; at "
        "least 5 are asked. "
        "3 assessments lack the respondent's role or age group."]
    OrganisationProfile.objects.create(name="Northwind", assessments_per_offering=4)  # the admin lowers it
    assert missing_for(1, cycle) == ["Offering “Tracking”: 3 assessments lack the respondent's role or age group."]
    Assessment.objects.filter(cycle=cycle).update(respondent_role="Buyer", respondent_age_group="35_44")
    assert missing_for(1, cycle) == []


def test_milestone_1_names_the_first_twenty_and_counts_the_rest(cycle, django_assert_max_num_queries):
    for i in range(25):
        OfferingFactory(name=f"Offering {i:02d}")
    with django_assert_max_num_queries(7):  # set-based: the same few queries at any size
        missing = missing_for(1, cycle)
    assert len(missing) == 21
    assert missing[0] == "Offering “Offering 00” has no complete prioritization assessment in FY2027."
    assert missing[-1] == "… and 5 more offerings short of assessments."


def test_rating_statistics_from_counts_match_the_statistics_module():
    ratings = [1, 2, 2, 3, 5, 5]
    described = selectors.describe_ratings({1: 1, 2: 2, 3: 1, 5: 2})
    assert described["count"] == 6
    assert described["mean"] == pytest.approx(18 / 6)
    assert described["median"] == 2.5  # (2 + 3) / 2, the two middle ratings
    assert described["std"] == pytest.approx(statistics.stdev(ratings))
    assert selectors.describe_ratings({4: 1}) == {"mean": 4, "median": 4, "std": None, "count": 1}
    assert selectors.describe_ratings({})["mean"] is None


def test_stored_scores_follow_ratings_and_criterion_weights(cycle):
    from prioritization.models import Criterion

    assessment = rated_assessment(cycle=cycle, offering=OfferingFactory(), values=[5, 1, 1, 1, 1, 1, 1])
    assert assessment.score == pytest.approx(Decimal(11) / 7)  # (5 + 6 × 1) / 7
    assert assessment.active_rated == 7
    first = Criterion.objects.get(name="Best Value")
    first.weight = 3
    first.save()
    assessment.refresh_from_db()
    assert assessment.score == pytest.approx(Decimal(21) / 9)  # (3 × 5 + 6 × 1) / (3 + 6)
    first.is_active = False
    first.save()
    assessment.refresh_from_db()
    assert assessment.active_rated == 6
