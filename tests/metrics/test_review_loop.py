"""The review loop closes (#15): key intended outcomes per cycle shown by KRIs, and action-plan
tasks linked to the measure they should move, read before and after they started."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from metrics import selectors, services
from metrics.models import IntendedOutcome, Measure, MeasureEntry
from requirements_specs.models import ActionPlanTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def satisfaction():
    return Measure.objects.create(name="Satisfaction", kind="KRI", unit="1–5", direction="higher")


@pytest.fixture
def response_time():
    return Measure.objects.create(name="Response time", kind="KRD", unit="hours", direction="lower")


def test_an_intended_outcome_is_shown_by_at_least_one_kri(cycle, cft_user, satisfaction, response_time):
    with pytest.raises(ValidationError, match="Link at least one KRI"):
        services.intended_outcome_save(cycle=cycle, user=cft_user, data={"title": "Loyal clinics", "indicators": []})
    with pytest.raises(ValidationError, match="Response time is a driver"):
        services.intended_outcome_save(cycle=cycle, user=cft_user,
                                       data={"title": "Loyal clinics", "indicators": [satisfaction, response_time]})
    assert not IntendedOutcome.objects.exists()  # nothing half-saved
    outcome = services.intended_outcome_save(cycle=cycle, user=cft_user,
                                             data={"title": "Loyal clinics", "indicators": [satisfaction]})
    assert list(outcome.indicators.all()) == [satisfaction]
    assert outcome.history.first().history_user == cft_user


def test_the_cft_records_outcomes_on_their_page_and_a_viewer_only_reads(client_for, cycle, cft_user, viewer_user,
                                                                          satisfaction):
    url = reverse("metrics:outcome_list")
    refused = client_for(cft_user).post(url, {"title": "Loyal clinics"})
    assert "Link at least one KRI" in refused.content.decode() and not IntendedOutcome.objects.exists()
    response = client_for(cft_user).post(url, {"title": "Loyal clinics", "indicators": [satisfaction.pk]})
    assert response.status_code == 302
    outcome = IntendedOutcome.objects.get()
    assert outcome.cycle == cycle and list(outcome.indicators.all()) == [satisfaction]
    viewer = client_for(viewer_user)
    assert "Loyal clinics" in viewer.get(url).content.decode()
    assert viewer.post(url, {"title": "Mine", "indicators": [satisfaction.pk]}).status_code == 403


def _value(measure, month, value):
    MeasureEntry.objects.create(measure=measure, period=month, value=Decimal(value))


def test_the_review_shows_a_tasks_measure_before_and_after_it_started(client_for, cycle, cft_user, response_time):
    for month, value in ((datetime.date(2026, 7, 1), "30"), (datetime.date(2026, 8, 1), "28"),
                         (datetime.date(2026, 9, 1), "24"), (datetime.date(2026, 10, 1), "21")):
        _value(response_time, month, value)
    ActionPlanTask.objects.create(description="Staff the help desk at 8am", measure=response_time,
                                  start_on=datetime.date(2026, 9, 15), status="in_progress", proposed_by=cft_user)
    ActionPlanTask.objects.create(description="Still proposed", measure=response_time,
                                  start_on=datetime.date(2026, 9, 1), proposed_by=cft_user)  # not approved: left out
    ActionPlanTask.objects.create(description="Starts after October", measure=response_time, status="approved",
                                  start_on=datetime.date(2026, 11, 1), proposed_by=cft_user)  # after the month
    effects = selectors.task_effects(datetime.date(2026, 10, 1))
    assert len(effects) == 1
    effect = effects[0]
    # before: August (the month before September's start) 28 h; since: October 21 h → −7 h, lower is better
    assert effect.before == (datetime.date(2026, 8, 1), Decimal("28"))
    assert effect.after == (datetime.date(2026, 10, 1), Decimal("21"))
    assert effect.change == Decimal("-7") and effect.better is True
    page = client_for(cft_user).get(reverse("metrics:dashboard"), {"month": "2026-10"}).content.decode()
    assert "Staff the help desk at 8am" in page and "▲ better" in page
