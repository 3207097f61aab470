import pytest
from django.urls import reverse

from oe21.models import ActionItem
from prioritization import selectors

from ..factories import OfferingFactory, rated_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(cycle):
    return rated_assessment(cycle=cycle, offering=OfferingFactory(), values=[2] * 7)


def test_an_override_needs_a_reason(client_for, cft_user, assessment):
    client = client_for(cft_user)
    url = reverse("prioritization:assessment_override", args=[assessment.pk])
    response = client.post(url, {"success_override": "High", "override_reason": ""}, follow=True)
    assert "Give the reason for the override." in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.success_override == ""


def test_an_override_is_shown_beside_the_computed_value_and_survives_recomputation(
        client_for, cft_user, assessment, cycle):
    client = client_for(cft_user)
    client.post(reverse("prioritization:assessment_override", args=[assessment.pk]),
                {"success_override": "High", "override_reason": "Board-level sponsor"})
    assessment.ratings.update(value=1)  # ratings change: the computed band is Low (0)
    rows = selectors.page_rows(selectors.criteria_in_use(cycle), selectors.matrix_queryset(cycle), None)
    assert rows[0].score.estimated_success == "Low"
    assert rows[0].estimated_success == "High"
    page = client.get(reverse("prioritization:matrix")).content.decode()
    assert "(override; computed Low)" in page


def test_marking_reviewed_records_who_and_when(client_for, cft_user, assessment):
    client_for(cft_user).post(reverse("prioritization:assessment_review", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.reviewed_by == cft_user and assessment.reviewed_at is not None


def test_action_plan_items_are_added_to_an_assessment(client_for, cft_user, assessment):
    client_for(cft_user).post(reverse("prioritization:action_item_add", args=[assessment.pk]),
                              {"description": "Invite to a demo", "owner": cft_user.pk,
                               "due_on": "2027-03-01"})
    item = ActionItem.objects.get()
    assert (item.source, item.owner, str(item.due_on)) == (assessment, cft_user, "2027-03-01")


def test_an_action_item_without_description_is_refused(client_for, cft_user, assessment):
    client_for(cft_user).post(reverse("prioritization:action_item_add", args=[assessment.pk]),
                              {"description": ""})
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("name, data", [
    ("assessment_override", {"success_override": "High", "override_reason": "x"}),
    ("assessment_review", {}),
    ("action_item_add", {"description": "x"}),
])
def test_a_viewer_gets_403_on_every_assessment_change(client_for, viewer_user, assessment, name, data):
    response = client_for(viewer_user).post(reverse(f"prioritization:{name}", args=[assessment.pk]), data)
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.success_override == "" and assessment.reviewed_at is None
    assert not ActionItem.objects.exists()


@pytest.mark.parametrize("name", ["assessment_detail", "assessment_history"])
def test_anonymous_users_are_sent_to_login(client, assessment, name):
    response = client.get(reverse(f"prioritization:{name}", args=[assessment.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_history_tab_shows_rating_changes_of_the_assessment(client_for, viewer_user, assessment):
    rating = assessment.ratings.order_by("criterion__position").first()
    rating.value = 5
    rating._history_user = viewer_user  # as if changed by this user
    rating.save()
    page = client_for(viewer_user).get(
        reverse("prioritization:assessment_history", args=[assessment.pk])).content.decode()
    assert "created" in page
    assert "<strong>value</strong>: 2 → 5" in page
