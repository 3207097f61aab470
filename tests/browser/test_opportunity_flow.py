import datetime

import pytest
from playwright.sync_api import expect

from oe21.lib.forms import SMALL_TABLE
from oe21.models import Account
from opportunities.models import Opportunity

from ..factories import AccountFactory, ContactFactory, OfferingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cft_member_opens_an_opportunity_logs_touches_and_moves_it(
        page, live_server, sign_in, screenshot, offsite_requests, cycle, cft_user):
    lakeside = AccountFactory(name="Lakeside Clinic")
    ContactFactory(account=lakeside, name="Maria Lopez")
    ContactFactory(account=AccountFactory(name="Granite Works"), name="Someone Else")
    Account.objects.bulk_create(Account(name=f"Filler {n:03d}", naics_code="541511", zip_code="77429")
                                for n in range(SMALL_TABLE))  # too many accounts to list: they are searched
    OfferingFactory(name="Asset Tracking")
    sign_in(cft_user.username)
    page.goto(f"{live_server.url}/opportunities/new/")
    page.select_option("#id_offering", label="Asset Tracking")
    page.select_option("#id_lead_source", label="Referral")
    expect(page.locator("#id_account option")).to_have_count(1)  # nothing listed before a search
    expect(page.locator("#id_contact option")).to_have_count(1)
    page.locator("[data-lookup-for=id_account]").fill("lakes")  # the search box above the account select
    expect(page.locator("#id_account")).to_have_value(str(lakeside.pk))
    expect(page.locator("#id_contact option")).to_have_text(["---------", "Maria Lopez (Lakeside Clinic)"])
    page.select_option("#id_contact", label="Maria Lopez (Lakeside Clinic)")  # the chosen account's contacts only
    page.fill("#id_sponsor_engaged_on", "2026-11-02")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Opportunity Lakeside Clinic · Asset Tracking opened")
    expect(page.get_by_test_id("efficiency")).to_have_text("—")
    assert Opportunity.objects.get().contact.name == "Maria Lopez"

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


def test_the_pipeline_board_fits_the_screen_and_moves_a_dragged_card_asking_a_reason_where_needed(
        page, live_server, sign_in, screenshot, cycle, cft_user):
    from ..factories import make_opportunity

    page.set_viewport_size({"width": 1280, "height": 900})
    first = make_opportunity(cycle=cycle, salesperson=cft_user, account=AccountFactory(name="Lakeside Clinic"),
                             status="undecided")
    second = make_opportunity(cycle=cycle, salesperson=cft_user, account=AccountFactory(name="Granite Works"),
                              status="undecided")
    sign_in(cft_user.username)
    page.goto(f"{live_server.url}/opportunities/pipeline/")
    items = [page.locator(selector).first.bounding_box() for selector in (
        ".navbar-brand", ".navbar-nav .nav-link >> nth=0", "[data-testid=menu-search]", "[data-testid=signed-in-user]")]
    assert len({round(box["y"] + box["height"] / 2) // 10 for box in items}) == 1  # the menu on one line
    assert all(box["x"] + box["width"] <= 1280 for box in items)  # and nothing of it off-screen
    assert page.locator(".navbar").bounding_box()["height"] < 70
    board = page.get_by_test_id("pipeline").bounding_box()
    last_column = page.locator(".pipeline-column").last.bounding_box()
    assert last_column["x"] + last_column["width"] <= board["x"] + board["width"] + 1 <= 1280  # no column off-screen
    screenshot("pipeline-board")

    page.get_by_test_id(f"card-{first.pk}").drag_to(page.locator(".pipeline-column[data-status=interested]"))
    expect(page.locator(".alert-success")).to_contain_text("Lakeside Clinic · Offering")
    expect(page.locator(f".pipeline-column[data-status=interested] [data-testid=card-{first.pk}]")).to_be_visible()

    page.get_by_test_id(f"card-{second.pk}").drag_to(page.locator(".pipeline-column[data-status=not_interested]"))
    dialog = page.locator("#reason-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Why is Granite Works moving to Not interested?")
    dialog.get_by_role("button", name="Move").click()  # no reason chosen: the browser asks for it
    expect(dialog).to_be_visible()
    dialog.locator("[name=reason]").select_option("budget")
    dialog.get_by_role("button", name="Move").click()
    expect(page.locator(f".pipeline-column[data-status=not_interested] [data-testid=card-{second.pk}]")).to_be_visible()
    second.refresh_from_db()
    assert (second.status, second.status_reason) == ("not_interested", "budget")

    card = page.get_by_test_id(f"card-{first.pk}")  # keyboard users: the card's select and Move
    card.locator("select[name=status]").select_option("unsubscribed")
    card.get_by_role("button", name="Move").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    first.refresh_from_db()
    assert first.status == "interested"


def test_on_a_phone_the_opportunity_table_scrolls_sideways_with_the_account_kept_in_view(
        page, live_server, sign_in, screenshot, cycle, cft_user):
    from ..factories import make_opportunity

    make_opportunity(cycle=cycle, salesperson=cft_user, account=AccountFactory(name="Lakeside Clinic"))
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(cft_user.username)
    page.goto(f"{live_server.url}/opportunities/")
    box = page.locator(".table-responsive-sticky").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # wider than the phone: it scrolls
    box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    account = page.get_by_role("link", name="Lakeside Clinic")
    left = account.bounding_box()["x"]
    assert 0 <= left < 390  # the first column stays in view
    screenshot("opportunities-phone-scrolled")
