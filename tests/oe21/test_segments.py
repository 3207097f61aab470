"""The CFT keeps its market segments and customer groups itself (no admin)."""

import pytest
from django.urls import reverse

from oe21.forms import AccountForm
from oe21.models import MarketSegment

from ..factories import AccountFactory, SegmentFactory

pytestmark = pytest.mark.django_db


def test_a_cft_member_adds_a_segment_and_a_group(client_for, cft_user):
    client = client_for(cft_user)
    assert client.post(reverse("segment_create"), {"name": "Healthcare", "is_active": "on"}).status_code == 302
    health = MarketSegment.objects.get(name="Healthcare")
    client.post(reverse("segment_create"), {"name": "Clinics", "parent": health.pk, "is_active": "on"})
    clinics = MarketSegment.objects.get(name="Clinics")
    assert clinics.parent == health
    page = client.get(reverse("segment_list")).content.decode()
    assert f'id="segment-{clinics.pk}"' in page and "› Clinics" in page
    assert client.get(reverse("segment_history", args=[health.pk])).status_code == 200
    assert health.history.first().history_user == cft_user


def test_a_duplicate_name_is_refused_next_to_the_form(client_for, cft_user):
    SegmentFactory(name="Healthcare")
    response = client_for(cft_user).post(reverse("segment_create"), {"name": "healthcare", "is_active": "on"})
    assert response.status_code == 200
    assert "A market segment with this name exists already." in response.content.decode()
    assert MarketSegment.objects.filter(name__iexact="healthcare").count() == 1


def test_a_retired_segment_is_no_longer_offered_but_stays_on_its_accounts(client_for, cft_user):
    old, new = SegmentFactory(name="Old market"), SegmentFactory(name="New market")
    account = AccountFactory(segment=old)
    client_for(cft_user).post(reverse("segment_edit", args=[old.pk]), {"name": "Old market"})  # unticked
    old.refresh_from_db()
    assert not old.is_active
    assert set(AccountForm().fields["segment"].queryset) == {new}
    assert set(AccountForm(instance=account).fields["segment"].queryset) == {old, new}
    account.refresh_from_db()
    assert account.segment == old


def test_a_segment_in_use_cannot_be_deleted_and_the_message_says_why(client_for, cft_user):
    used, unused = SegmentFactory(name="Used"), SegmentFactory(name="Unused")
    AccountFactory(segment=used)
    client = client_for(cft_user)
    page = client.post(reverse("segment_delete", args=[used.pk]), follow=True).content.decode()
    assert "“Used” is in use (1 account): it cannot be deleted." in page
    assert MarketSegment.objects.filter(pk=used.pk).exists()
    client.post(reverse("segment_delete", args=[unused.pk]))
    assert not MarketSegment.objects.filter(pk=unused.pk).exists()


def test_viewers_read_and_cannot_change_segments(client, client_for, viewer_user):
    segment = SegmentFactory(name="Healthcare")
    assert client.get(reverse("segment_list")).status_code == 302  # anonymous: the login page
    viewer = client_for(viewer_user)
    assert viewer.get(reverse("segment_list")).status_code == 200
    assert viewer.post(reverse("segment_create"), {"name": "X"}).status_code == 403
    assert viewer.post(reverse("segment_edit", args=[segment.pk]), {"name": "Y"}).status_code == 403
    assert viewer.post(reverse("segment_delete", args=[segment.pk])).status_code == 403
    assert MarketSegment.objects.get().name == "Healthcare"
