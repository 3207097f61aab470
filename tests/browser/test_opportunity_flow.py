import datetime

import pytest
from playwright.sync_api import expect

from opportunities.models import Opportunity

from ..factories import AccountFactory, OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cft_member_opens_an_opportunity_logs_touches_and_moves_it(
        page, live_server, sign_in, screenshot, offsite_requests, cycle, cft_user):
    AccountFactory(name="Lakeside Clinic")
    OfferingFactory(name="Asset Tracking")
    sign_in(cft_user.username)
    page.goto(f"{live_server.url}/opportunities/new/")
    page.select_option("#id_offering", label="Asset Tracking")
    page.select_option("#id_lead_source", label="Referral")
    page.select_option("#id_account", label="Lakeside Clinic")
    page.fill("#id_sponsor_engaged_on", "2026-11-02")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Opportunity Lakeside Clinic · Asset Tracking opened")
    expect(page.get_by_test_id("efficiency")).to_have_text("—")

    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    touch_form = page.get_by_test_id("touch-form")
    for channel, direction in (("email", "out"), ("phone", "out"), ("email", "in")):
        touch_form.locator("[name=occurred_on]").fill(yesterday)
        touch_form.locator("[name=channel]").select_option(channel)
        touch_form.locator("[name=direction]").select_option(direction)
        touch_form.get_by_role("button", name="Log touch").click()
        expect(page.locator(".alert-success")).to_contain_text("Touch logged")
    # 1 response to 2 touches out
    expect(page.get_by_test_id("efficiency")).to_have_text("50.0 %")
    # 1 step done, No progress = 0 points → 1 point, 10 %
    expect(page.get_by_test_id("points")).to_have_text("1")

    status_form = page.get_by_test_id("status-form")
    status_form.locator("[name=status]").select_option("interested")
    status_form.get_by_role("button", name="Change status").click()
    expect(page.get_by_test_id("status")).to_have_text("Interested")
    # 1 step + Interested 2 = 3 points → 30 %
    expect(page.get_by_test_id("points")).to_have_text("3")
    expect(page.get_by_test_id("progress")).to_have_text("30.0 %")
    screenshot("opportunity-interested")
    assert Opportunity.objects.get().touches.count() == 3
    assert offsite_requests == []
