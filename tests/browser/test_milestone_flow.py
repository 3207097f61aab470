import pytest
from playwright.sync_api import expect

from oe21.choices import MilestoneState
from oe21.models import Milestone

from ..factories import make_milestone_1_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cft_submits_milestone_1_and_the_chair_approves_it(
        page, live_server, sign_in, sign_out, screenshot, offsite_requests,
        cycle, cft_user, chair_user):
    make_milestone_1_ready(cycle)

    sign_in(cft_user.username)
    expect(page.get_by_test_id("standard-progress")).to_have_text("3.2 Customer Engagement — 0 %")
    screenshot("01-main-page-cft")
    submit = page.get_by_test_id("submit-1")
    submit.locator("textarea[name=evidence]").fill("Matrix complete: every active offering rated.")
    submit.get_by_role("button", name="Submit for approval").click()
    expect(page.locator(".alert-success")).to_contain_text("Milestone 1 submitted")
    expect(page.locator("#milestone-1")).to_have_attribute("data-state", "submitted")
    screenshot("02-milestone-1-submitted")
    sign_out()

    sign_in(chair_user.username)
    expect(page.get_by_test_id("pending-approvals")).to_contain_text("Milestone 1")
    decide = page.get_by_test_id("decide-1")
    decide.locator("textarea[name=reason]").fill("Evidence checked.")
    decide.get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("standard-progress")).to_have_text("3.2 Customer Engagement — 20 %")
    screenshot("03-main-page-20-percent")

    assert Milestone.objects.get(cycle=cycle, number=1).state == MilestoneState.APPROVED
    # Bootstrap is served by the portal itself: its styles applied, nothing fetched elsewhere.
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    assert offsite_requests == []


def test_an_anonymous_visitor_sees_the_login_page(page, live_server, offsite_requests):
    page.goto(f"{live_server.url}/accounts/")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert "/login/?next=/accounts/" in page.url
