"""The CFT sets up its measures itself: selection for the review, targets, direction, owners."""

from decimal import Decimal

import pytest
from django.urls import reverse

from metrics.models import Measure

pytestmark = pytest.mark.django_db
NEW = {"name": "Repeat purchase rate", "kind": "KRI", "unit": "%", "direction": "higher", "target": "35.5",
       "frequency": "monthly", "breakdown": "overall", "is_selected": "on"}


def test_a_cft_member_adds_a_measure_and_a_bad_target_is_refused(client_for, cft_user):
    client = client_for(cft_user)
    response = client.post(reverse("metrics:measure_create"), {**NEW, "target": "a third"})
    assert response.status_code == 200 and "Enter a number." in response.content.decode()
    assert not Measure.objects.filter(name="Repeat purchase rate").exists()
    assert client.post(reverse("metrics:measure_create"), NEW).status_code == 302
    measure = Measure.objects.get(name="Repeat purchase rate")
    assert (measure.target, measure.source, measure.is_selected) == (Decimal("35.5"), "manual", True)
    assert measure.history.first().history_user == cft_user


def test_a_computed_measure_keeps_its_definition_but_takes_a_target(client_for, cft_user):
    computed = Measure.objects.create(name="Complaints received", kind="KRI", unit="complaints",
                                      source="complaints", direction="lower")
    client_for(cft_user).post(reverse("metrics:measure_edit", args=[computed.pk]), {
        **NEW, "name": "Renamed", "unit": "%", "target": "4", "direction": "lower", "is_selected": ""})
    computed.refresh_from_db()
    assert (computed.name, computed.unit, computed.target, computed.is_selected) == (
        "Complaints received", "complaints", Decimal("4"), False)


def test_selecting_and_taking_out_of_the_review(client_for, cft_user, viewer_user):
    measure = Measure.objects.create(name="Net promoter score", kind="KRI", unit="points")
    url = reverse("metrics:measure_select", args=[measure.pk])
    assert client_for(viewer_user).post(url, {"selected": "0"}).status_code == 403
    client_for(cft_user).post(url, {"selected": "0"})
    measure.refresh_from_db()
    assert not measure.is_selected
    client_for(cft_user).post(url, {"selected": "1"})
    measure.refresh_from_db()
    assert measure.is_selected and measure.history.count() == 3


def test_viewers_read_the_measures_and_cannot_change_them(client, client_for, viewer_user):
    measure = Measure.objects.create(name="Net promoter score", kind="KRI", unit="points")
    assert client.get(reverse("metrics:measure_list")).status_code == 302
    viewer = client_for(viewer_user)
    page = viewer.get(reverse("metrics:measure_list")).content.decode()
    assert reverse("metrics:measure_history", args=[measure.pk]) in page
    assert reverse("metrics:measure_edit", args=[measure.pk]) not in page
    assert viewer.post(reverse("metrics:measure_edit", args=[measure.pk]), NEW).status_code == 403
    assert viewer.post(reverse("metrics:measure_create"), NEW).status_code == 403
