import datetime

import pytest
from playwright.sync_api import expect

from metrics.models import Measure, MeasureEntry, ReviewMeeting
from oe21.lib.months import add_months
from oe21.services import cycle_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cft_member_enters_values_opens_the_review_and_records_the_meeting(
        page, live_server, sign_in, screenshot, offsite_requests, cft_user):
    today = datetime.date.today()
    cycle_create(name="This year", starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31))
    last_month = add_months(today.replace(day=1), -1)
    Measure.objects.create(name="Net promoter score", kind="KRI", unit="points", target=30)
    Measure.objects.create(name="Demos given", kind="KRD", unit="demos", target=8)

    sign_in(cft_user.username)
    for name, value in (("Net promoter score", "34"), ("Demos given", "6")):
        page.goto(f"{live_server.url}/metrics/entries/new/")
        page.select_option("#id_measure", label=f"{'KRI' if name.startswith('Net') else 'KRD'} {name}")
        page.fill("#id_period", f"{last_month:%Y-%m}")
        page.fill("#id_value", value)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".alert-success")).to_contain_text("Saved")
    assert MeasureEntry.objects.count() == 2

    page.goto(f"{live_server.url}/metrics/?month={last_month:%Y-%m}")
    nps = Measure.objects.get(name="Net promoter score")
    expect(page.get_by_test_id(f"rag-{nps.pk}")).to_have_text("green")  # 34 against 30
    expect(page.locator(f"#trend-{nps.pk} svg.main-svg").first).to_be_attached()  # Plotly drew it
    screenshot("monthly-review")

    form = page.get_by_test_id("meeting-form")
    form.locator("[name=held_on]").fill(today.isoformat())
    form.locator(f"input[name=present][value='{cft_user.pk}']").check()  # the CFT present (milestone 7's quorum)
    form.locator("[name=attendees]").fill("Carla, Lena, Omar")
    form.locator("[name=decisions]").fill("Keep the demo pace; review the NPS comments.")
    form.locator("[name=follow-0-description]").fill("Book four more demos")
    form.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_test_id("meeting")).to_contain_text("Carla, Lena, Omar")
    assert list(ReviewMeeting.objects.get().present.all()) == [cft_user]
    assert ReviewMeeting.objects.get().follow_ups.get().description == "Book four more demos"
    assert offsite_requests == []
