"""A new organisation's first year and the next, in Chromium: open the first cycle from the
portal, approve milestone 1, open the next cycle, read last year back."""

import pytest
from playwright.sync_api import expect

from oe21.models import EngagementCycle
from opportunities.models import Opportunity

from ..factories import make_milestone_1_ready, make_opportunity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_fresh_install_runs_its_first_year_and_opens_the_next(
        page, live_server, sign_in, sign_out, screenshot, offsite_requests, cft_user, chair_user):
    sign_in(chair_user.username)
    page.get_by_test_id("open-first-cycle").click()
    screenshot("cycle-01-open-the-first")
    first_name = page.locator("input[name=name]").input_value()
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_test_id("job-result")).to_contain_text(f"{first_name} cycle opened")
    first = EngagementCycle.objects.get(is_current=True)

    offering = make_milestone_1_ready(first)  # the ratings (the grid has its own browser test)
    open_one = make_opportunity(cycle=first, salesperson=cft_user, offering=offering, status="interested")
    sign_out()
    sign_in(cft_user.username)
    submit = page.get_by_test_id("submit-1")
    submit.locator("textarea[name=evidence]").fill("Every active offering rated; targets reviewed.")
    submit.get_by_role("button", name="Submit for approval").click()
    sign_out()
    sign_in(chair_user.username)
    page.get_by_test_id("decide-1").get_by_role("button", name="Approve").click()
    expect(page.get_by_test_id("standard-progress")).to_have_text("3.2 Customer Engagement — 20 %")

    page.goto(f"{live_server.url}/cycles/open/")
    expect(page.locator("input[name=carry][value=open_opportunities]")).to_be_checked()
    screenshot("cycle-02-open-the-next")
    page.get_by_role("button", name="Open the cycle").click()
    expect(page.get_by_test_id("job-result")).to_contain_text("1 open opportunities carried forward")
    second = EngagementCycle.objects.get(is_current=True)
    assert second != first

    # this year: milestone 1 starts again, milestone 5 waits for this year's approvals
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("standard-progress")).to_have_text("3.2 Customer Engagement — 0 %")
    expect(page.locator("#milestone-5")).to_contain_text(f"approved in {second.name}")
    carried = Opportunity.objects.get(cycle=second)
    page.goto(f"{live_server.url}/opportunities/")
    expect(page.get_by_role("link", name=str(open_one.account)).first).to_be_visible()

    # last year reads back, read-only, through the selector
    page.get_by_test_id("cycle-selector").locator("select").select_option(str(first.pk))
    expect(page.get_by_test_id("past-cycle")).to_contain_text(first.name)
    expect(page.get_by_role("link", name="New opportunity")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("standard-progress")).to_have_text("3.2 Customer Engagement — 20 %")
    screenshot("cycle-03-last-year-read-back")
    page.goto(f"{live_server.url}/?cycle=current")
    expect(page.get_by_test_id("past-cycle")).to_have_count(0)
    assert carried.carried_from == open_one
    assert offsite_requests == []
