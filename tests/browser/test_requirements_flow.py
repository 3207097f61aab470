from pathlib import Path

import pytest
from playwright.sync_api import expect

from requirements_specs.models import RequirementSpec

from ..factories import OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n% OE21 datasheet\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_oft_writes_two_versions_chair_approves_and_a_document_round_trips(
        page, live_server, sign_in, sign_out, screenshot, offsite_requests, oft_user, chair_user, tmp_path):
    offering = OfferingFactory(name="Preventive Maintenance")
    sign_in(oft_user.username)
    page.goto(f"{live_server.url}/requirements/offerings/{offering.pk}/specifications/new/")
    page.fill("#id_offering_type", "Service")
    page.fill("#id_requirements", "Quarterly visits")
    page.fill("#id_value_rating", "4")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator(".alert-success")).to_contain_text("Saved as version 1")
    page.get_by_role("link", name="Edit (new version)").click()
    page.fill("#id_requirements", "Monthly visits")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator(".alert-success")).to_contain_text("Saved as version 2")
    expect(page.get_by_test_id("diff")).to_contain_text("Monthly")
    page.get_by_role("button", name="Send for review").click()
    expect(page.get_by_test_id("spec-status")).to_have_text("Under review")
    screenshot("spec-v2-under-review")
    sign_out()

    sign_in(chair_user.username)
    spec = RequirementSpec.objects.get(version=2)
    page.goto(f"{live_server.url}{spec.get_absolute_url()}")
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("spec-status")).to_have_text("Approved")

    source = tmp_path / "datasheet.pdf"
    source.write_bytes(PDF)
    page.goto(f"{live_server.url}/requirements/offerings/{offering.pk}/documents/")
    page.select_option("#id_kind", "datasheet")
    page.set_input_files("#id_file", str(source))
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".alert-success")).to_contain_text("Uploaded")
    with page.expect_download() as download:
        page.get_by_test_id("current-documents").get_by_role("link", name="datasheet.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert offsite_requests == []


def test_a_specification_prints_on_its_own_without_menus_and_buttons(page, live_server, sign_in, oft_user):
    from requirements_specs.services import spec_save

    spec = spec_save(offering=OfferingFactory(name="Asset Tracking"), user=oft_user, data={
        "offering_type": "Product", "requirements": "Tracks every asset", "value_rating": 4})
    sign_in(oft_user.username)
    page.goto(f"{live_server.url}{spec.get_absolute_url()}")
    expect(page.get_by_test_id("print-spec")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".navbar")).to_be_hidden()
    expect(page.get_by_test_id("print-spec")).to_be_hidden()
    expect(page.get_by_test_id("spec")).to_contain_text("Tracks every asset")
    assert page.get_by_test_id("spec").evaluate("e => getComputedStyle(e).breakAfter") == "page"
