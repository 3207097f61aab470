"""The Content-Security-Policy forbids inline scripts; the pages still work in a real Chromium:
charts are drawn, page behaviours run, and the browser reports no violation."""

import pytest
from playwright.sync_api import expect

from ..factories import OfferingFactory, active_criteria, make_opportunity, rated_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_charts_and_page_scripts_run_under_the_policy(page, live_server, sign_in, offsite_requests, cycle,
                                                      cft_user):
    violations = []
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    active_criteria()
    offering = OfferingFactory(name="Asset Tracking")
    for values in ([5] * 7, [3] * 7, [1] * 7):
        rated_assessment(cycle=cycle, offering=offering, values=values)
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)

    sign_in(cft_user.username)
    response = page.goto(f"{live_server.url}/prioritization/statistics/?offering={offering.pk}")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    expect(page.locator("[data-chart] .main-svg").first).to_be_attached()  # charts.js drew it

    page.goto(f"{live_server.url}/opportunities/{opportunity.pk}/")
    status_select = page.get_by_test_id("status-form").locator("select").first
    expect(status_select).to_have_class("form-select form-select-sm")  # portal.js ran
    page.goto(f"{live_server.url}/accounts/")
    expect(page.get_by_test_id("account-filters").locator("input").first).to_contain_class("form-control")
    assert violations == [] and offsite_requests == []
