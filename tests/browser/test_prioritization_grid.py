import pytest
from playwright.sync_api import expect

from prioritization.models import Assessment

from ..factories import AccountFactory, OfferingFactory, active_criteria

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cft_member_fills_a_3_by_7_grid_and_sees_the_ranking(
        page, live_server, sign_in, screenshot, offsite_requests, cycle, cft_user):
    active_criteria()
    offering = OfferingFactory(name="Asset Tracking")
    accounts = [AccountFactory(name=n) for n in ("Alpha Clinic", "Beta Foods", "Gamma County")]
    ratings = {"Alpha Clinic": [3] * 7, "Beta Foods": [5] * 7, "Gamma County": [1, 2, 1, 2, 1, 2, 1]}

    sign_in(cft_user.username)
    page.goto(f"{live_server.url}/prioritization/grid/?offering={offering.pk}&rows=3")
    for row, account in enumerate(accounts):
        page.select_option(f"#id_form-{row}-account", label=account.name)
        page.fill(f"#id_form-{row}-respondent_name", f"Respondent {row}")
        first = page.locator(f"tr[data-row='{row}'] input.rating-input").first
        first.focus()
        for value in ratings[account.name]:  # typed with the keyboard, Tab between cells
            page.keyboard.type(str(value))
            page.keyboard.press("Tab")
    screenshot("grid-filled")
    page.get_by_role("button", name="Save all rows").click()

    expect(page.locator(".alert-success")).to_contain_text("Saved: 3 new")
    rows = page.get_by_test_id("matrix-row")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Beta Foods")
    expect(rows.nth(1)).to_contain_text("Alpha Clinic")
    expect(rows.nth(2)).to_contain_text("Gamma County")
    expect(rows.nth(0).get_by_test_id("score-100")).to_have_text("100.0")
    expect(rows.nth(1).get_by_test_id("score-100")).to_have_text("50.0")
    # heat map: a 5 is coloured differently from a 1
    five = page.locator("td.heat-5").first
    one = page.locator("td.heat-1").first
    assert five.evaluate("e => getComputedStyle(e).backgroundColor") != \
        one.evaluate("e => getComputedStyle(e).backgroundColor")
    screenshot("matrix-ranked")
    page.get_by_test_id("matrix-statistics-link").click()
    expect(page.get_by_test_id("score-chart").locator(".main-svg").first).to_be_attached()
    expect(page.get_by_test_id("success-by-offering")).to_contain_text("Asset Tracking")
    screenshot("matrix-statistics")
    assert Assessment.objects.filter(cycle=cycle).count() == 3
    assert offsite_requests == []


def test_a_bad_cell_is_marked_and_nothing_saved(page, live_server, sign_in, cycle, cft_user):
    active_criteria()
    offering = OfferingFactory(name="Asset Tracking")
    account = AccountFactory(name="Alpha Clinic")
    sign_in(cft_user.username)
    page.goto(f"{live_server.url}/prioritization/grid/?offering={offering.pk}&rows=1")
    page.select_option("#id_form-0-account", label=account.name)
    page.fill("#id_form-0-respondent_name", "Ann")
    page.locator("tr[data-row='0'] input.rating-input").first.fill("6")
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_test_id("grid-errors")).to_be_visible()
    expect(page.locator(".invalid-feedback").first).to_have_text("A rating is a whole number from 1 to 5.")
    assert not Assessment.objects.exists()
