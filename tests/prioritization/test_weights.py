"""Weights versions (#17): adopting new weights rescores the current cycle only; past cycles keep the
version they were computed with and say so; bad weights are refused with nothing changed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from oe21.choices import JobState
from oe21.models import BackgroundJob
from oe21.roles import ADMIN
from oe21.services import cycle_create
from prioritization import selectors
from prioritization.models import Assessment, Criterion, WeightsVersion
from prioritization.services import weights_adopt

from ..factories import OfferingFactory, UserFactory, active_criteria, rated_assessment


@pytest.fixture
def admin_user(db):
    return UserFactory(username="ada-admin", role=ADMIN)


def _two_cycles():
    """An assessment in a closed FY2026 and one in the current FY2027, both rated 5 then six 1s."""
    old = cycle_create(name="FY2026", starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    offering = OfferingFactory()
    past = rated_assessment(cycle=old, offering=offering, values=[5, 1, 1, 1, 1, 1, 1])
    new = cycle_create(name="FY2027", starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31))
    current = rated_assessment(cycle=new, offering=offering, account=past.account, values=[5, 1, 1, 1, 1, 1, 1])
    return old, new, past, current


def _weights(first: int | str, rest: int | str = 1) -> dict[int, object]:
    criteria = active_criteria()
    return {c.pk: (first if i == 0 else rest) for i, c in enumerate(criteria)}


def test_a_new_version_rescores_the_current_cycle_and_past_cycles_keep_theirs(db, admin_user):
    old, new, past, current = _two_cycles()
    assert past.score == current.score == pytest.approx(Decimal(11) / 7)  # (5 + 6 × 1) / 7
    before = WeightsVersion.objects.first()

    version = weights_adopt(_weights(3), by=admin_user, note="Best Value counts more")

    past.refresh_from_db()
    current.refresh_from_db()
    assert current.score == pytest.approx(Decimal(21) / 9)  # (3 × 5 + 6 × 1) / (3 + 6)
    assert past.score == pytest.approx(Decimal(11) / 7)  # kept
    assert past.weights_version == before and current.weights_version is None
    assert Criterion.objects.get(name="Best Value").weight == 3
    assert {w.criterion.name: w.weight for w in version.weights.all()}["Best Value"] == 3
    assert version.adopted_by == admin_user
    # the pages compute the same score from the weights each row keeps
    for cycle, expected in ((old, Decimal(11) / 7), (new, Decimal(21) / 9)):
        criteria = selectors.criteria_in_use(cycle)
        row = selectors.page_rows(criteria, selectors.matrix_queryset(cycle), None)[0]
        assert row.score.value == pytest.approx(expected)
        assert criteria[0].weight_in_cycle == (1 if cycle == old else 3)
    assert selectors.weights_in_use(old) == before and selectors.weights_in_use(new) is None

    # a second version: the past cycle stays on the first, however often it is rescored
    weights_adopt(_weights(5), by=admin_user)
    Assessment.objects.all().rescore()
    past.refresh_from_db()
    current.refresh_from_db()
    assert past.score == pytest.approx(Decimal(11) / 7) and past.weights_version == before
    assert current.score == pytest.approx(Decimal(31) / 11)  # (5 × 5 + 6) / 11


@pytest.mark.parametrize("weights, message", [
    (lambda: _weights(0, 0), "The weights sum to zero"),
    (lambda: _weights(-1), "a weight is from 0 to 999.99"),
    (lambda: _weights("lots"), "give a weight"),
    (lambda: {active_criteria()[0].pk: 2}, "give a weight"),
])
def test_bad_weights_are_refused_and_nothing_changes(db, admin_user, weights, message):
    old, new, past, current = _two_cycles()
    versions = WeightsVersion.objects.count()
    with pytest.raises(ValidationError) as refused:
        weights_adopt(weights(), by=admin_user)
    assert message in " ".join(refused.value.messages)
    assert WeightsVersion.objects.count() == versions
    assert set(Criterion.objects.values_list("weight", flat=True)) == {1}
    assert Assessment.objects.filter(weights_version__isnull=False).count() == 0


def test_a_zero_weight_leaves_the_criterion_out_of_the_score(db, admin_user):
    _, _, _, current = _two_cycles()
    weights_adopt(_weights(0), by=admin_user)
    current.refresh_from_db()
    assert current.score == 1  # the six 1s only


def test_a_version_adopted_meanwhile_or_a_second_click_is_refused(db, admin_user):
    _two_cycles()
    read_at = WeightsVersion.objects.first().pk
    weights_adopt(_weights(2), by=admin_user, based_on=read_at)
    with pytest.raises(ValidationError, match="adopted meanwhile"):
        weights_adopt(_weights(4), by=admin_user, based_on=read_at)
    assert Criterion.objects.get(name="Best Value").weight == 2


def test_a_retried_job_returns_the_version_it_adopted(db, admin_user):
    _two_cycles()
    first = weights_adopt(_weights(2), by=admin_user, job_id=41)
    assert weights_adopt(_weights(2), by=admin_user, job_id=41) == first
    assert WeightsVersion.objects.count() == 2  # the initial version and this one


def test_changing_a_weight_in_the_administration_is_a_version_too(db):
    _, _, past, current = _two_cycles()
    criterion = Criterion.objects.get(name="Best Value")
    criterion.weight = 3
    criterion.save()
    past.refresh_from_db()
    current.refresh_from_db()
    assert past.score == pytest.approx(Decimal(11) / 7)
    assert current.score == pytest.approx(Decimal(21) / 9)
    assert WeightsVersion.objects.first().source == WeightsVersion.Source.EDITED


def test_the_weights_page_adopts_for_an_admin_only(db, client_for, admin_user, cft_user, chair_user,
                                                  django_capture_on_commit_callbacks):
    old, _, past, current = _two_cycles()
    url = reverse("prioritization:weights")
    latest = WeightsVersion.objects.first()
    data = {"based_on": latest.pk, "note": "by hand", **{f"weight_{pk}": w for pk, w in _weights(3).items()}}
    for user in (cft_user, chair_user):
        page = client_for(user).get(url)
        assert page.status_code == 200 and b"weights-form" not in page.content
        assert client_for(user).post(url, data).status_code == 403
    assert WeightsVersion.objects.count() == 1

    client = client_for(admin_user)
    refused = client.post(url, {**data, **{f"weight_{pk}": 0 for pk in _weights(0)}})
    assert refused.status_code == 200 and b"The weights sum to zero" in refused.content
    wrong = client.post(url, {**data, f"weight_{active_criteria()[0].pk}": "-2"})
    assert wrong.status_code == 200 and b"is-invalid" in wrong.content
    assert WeightsVersion.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):  # a background job rescores the current cycle
        adopted = client.post(url, data)
    job = BackgroundJob.objects.get()
    assert adopted.status_code == 302 and adopted["Location"] == job.get_absolute_url()
    newest = WeightsVersion.objects.first()
    assert job.state == JobState.SUCCEEDED
    assert job.result == {f"assessments of the current cycle rescored with weights version {newest.pk}": 1}
    current.refresh_from_db()
    assert current.score == pytest.approx(Decimal(21) / 9)
    again = client.post(url, data)  # the same form again: refused, not a third version
    assert again.status_code == 200 and b"adopted meanwhile" in again.content
    assert WeightsVersion.objects.count() == 2 and BackgroundJob.objects.count() == 1

    matrix = client.get(reverse("prioritization:matrix"), {"cycle": old.pk}).content.decode()
    assert f"weights of <a href=\"{url}#version-{latest.pk}\">version {latest.pk}</a>" in matrix
    detail = client.get(reverse("prioritization:assessment_detail", args=[past.pk])).content.decode()
    assert f"version {latest.pk}, adopted" in detail
    assert "today's weights" in client.get(reverse("prioritization:assessment_detail",
                                                       args=[current.pk])).content.decode()


def test_anonymous_users_are_sent_to_sign_in(client, db):
    page = client.get(reverse("prioritization:weights"))
    assert page.status_code == 302 and "/login" in page["Location"]
