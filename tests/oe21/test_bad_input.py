"""Bad input gets a 4xx or a message, never a 500 (issue #14): NUL characters anywhere, spreadsheet
cells, uploads checked by their content, files missing from the file store."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oe21.choices import JobState
from oe21.models import Account, BackgroundJob
from opportunities import services as opportunity_services

from ..factories import SegmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/accounts/?q=%00", "/accounts/%00/", "/opportunities/?account=x%00"])
def test_a_nul_in_a_path_or_query_is_a_400(client_for, viewer_user, url):
    response = client_for(viewer_user).get(url)
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_a_nul_needs_no_sign_in_to_be_refused(client):
    assert client.get("/login/?next=%00").status_code == 400


def test_the_api_answers_a_nul_with_json(client):
    response = client.get("/api/v1/accounts/?updated_since=%00")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_a_nul_in_a_form_saves_nothing(client_for, cft_user):
    response = client_for(cft_user).post(reverse("account_create"), {
        "name": "Lake\x00side", "kind": "prospect", "naics_code": "621111", "zip_code": "77429",
        "lifecycle_stage": "initiation"})
    assert response.status_code == 400 and not Account.objects.exists()


def test_a_nul_in_a_spreadsheet_cell_is_reported_with_its_line(client_for, cft_user,
                                                                django_capture_on_commit_callbacks):
    content = (b"name,kind,naics_code,zip_code,segment,lifecycle_stage,owner\n"
               b"Good Clinic,prospect,621111,77429,,,\n"
               b"Bad\x00Clinic,prospect,621111,77429,,,\n")
    with django_capture_on_commit_callbacks(execute=True):
        client_for(cft_user).post(reverse("account_import"), {"file": SimpleUploadedFile("a.csv", content)})
    job = BackgroundJob.objects.get()
    assert job.state == JobState.FAILED
    assert [(e["line"], e["column"]) for e in job.result["errors"]] == [(3, "name")]
    assert not Account.objects.exists()


@pytest.fixture
def campaign_item(cycle, cft_user):
    campaign = opportunity_services.campaign_create(cycle=cycle, segment=SegmentFactory(), user=cft_user)
    return campaign.items.get(code="T1")


@pytest.mark.parametrize("name, content", [("tool.exe", b"MZ\x90\x00"), ("notes.txt", b"MZ\x90\x00 renamed"),
                                           ("sheet.pdf", b"<html>not a pdf"), ("data.txt", b"bin\x00ary")])
def test_a_campaign_attachment_is_checked_by_its_content(client_for, cft_user, campaign_item, name, content):
    response = client_for(cft_user).post(reverse("opportunities:campaign_item_edit", args=[campaign_item.pk]), {
        "notes": "x", "attachment": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and response.context["form"].errors["attachment"]
    campaign_item.refresh_from_db()
    assert not campaign_item.attachment


def test_a_campaign_attachment_downloads_through_the_portal_and_a_lost_file_is_a_404(
        client_for, cft_user, viewer_user, campaign_item):
    client_for(cft_user).post(reverse("opportunities:campaign_item_edit", args=[campaign_item.pk]), {
        "notes": "x", "attachment": SimpleUploadedFile("targets.txt", b"Top 20 accounts\n")})
    campaign_item.refresh_from_db()
    url = reverse("opportunities:campaign_item_attachment", args=[campaign_item.pk])
    assert url in client_for(cft_user).get(campaign_item.campaign.get_absolute_url()).content.decode()
    response = client_for(viewer_user).get(url)
    assert b"".join(response.streaming_content) == b"Top 20 accounts\n"
    campaign_item.attachment.storage.delete(campaign_item.attachment.name)
    lost = client_for(viewer_user).get(url)
    assert lost.status_code == 404
