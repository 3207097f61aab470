import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from oe21 import roles
from oe21.management.commands.load_demo_data import served_url
from oe21.models import Account
from oe21.selectors import current_cycle, milestone_overview
from opportunities.models import Opportunity

pytestmark = pytest.mark.django_db


def test_the_demo_data_loads_twice_and_shows_a_living_portal(client):
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    opportunities = Opportunity.objects.count()
    call_command("load_demo_data", stdout=io.StringIO())  # a second run changes nothing
    assert Account.objects.count() == 50 and Opportunity.objects.count() == opportunities
    from opportunities.models import CampaignTarget
    from prioritization.demo import LAST_YEAR_ASSESSMENTS

    targets = CampaignTarget.objects.values_list("account_id", flat=True)
    # this year: 25 opportunities, and one for each campaign target that had none; last year's ended ones
    this_year = Opportunity.objects.filter(cycle=current_cycle()).count()
    assert 25 < this_year <= 25 + len(targets) and opportunities == this_year + LAST_YEAR_ASSESSMENTS
    assert set(targets) <= set(Opportunity.objects.values_list("account_id", flat=True))
    assert all(a.naics_title and a.place for a in Account.objects.all())
    assert "username cft      password cft-demo-2027" in out.getvalue()
    assert "Sign in at http://127.0.0.1:8000/ " in out.getvalue()
    assert {user.groups.get().name for user in get_user_model().objects.all()} == set(roles.ROLES)  # one per role
    assert client.post(reverse("login"), {"username": "cft", "password": "cft-demo-2027"}).status_code == 302
    assert get_user_model().objects.get(username="chair").groups.get().name == "LFT chair"
    overview = milestone_overview(current_cycle())
    assert overview.progress == 0 and overview.statuses[0].missing  # milestone 1 shows what is missing
    for url in ["/", "/accounts/", "/prioritization/", "/opportunities/", "/opportunities/pipeline/",
                "/opportunities/rollups/", "/opportunities/campaigns/", "/metrics/at-risk/"]:
        assert client.get(url).status_code == 200
    # the early warning has something real to show: the demo's soured account is at risk, and why
    from metrics.models import AccountRisk

    soured = AccountRisk.objects.get(at_risk_since__isnull=False, account__complaints__description__startswith="Second")
    assert {s["signal"] for s in soured.signals} >= {"rating_fell", "low_rating", "new_complaint",
                                                     "repeated_complaints", "unresolved_complaint"}
    assert soured.account.name in client.get("/metrics/at-risk/").content.decode()
    timeline = client.get(f"/accounts/{soured.account_id}/timeline/").content.decode()
    assert "Complaint received by phone" in timeline and "Rated" in timeline
    # last year's outcomes are enough to fit the calibration; the business case and moments of truth have figures
    from metrics.business_case import FULLY, OVERALL, business_case
    from prioritization.calibration import calibrate

    calibration = calibrate()
    assert calibration.enough and calibration.effects and calibration.auc_fitted is not None
    assert client.get("/prioritization/calibration/").status_code == 200
    case = business_case(datetime.date.today())
    assert case.segments[OVERALL][FULLY].accounts >= 2 and case.segments[OVERALL][FULLY].share_of_wallet
    assert client.get("/metrics/business-case/").status_code == 200
    review = client.get("/metrics/")
    assert review.status_code == 200 and review.context["moments"].total > 0


@pytest.mark.parametrize("port, url", [
    ("8080", "http://127.0.0.1:8080/"), ("0.0.0.0:8081", "http://127.0.0.1:8081/"),
    ("intranet.example:80", "http://intranet.example:80/"), ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
])
def test_the_demo_prints_the_address_that_PORT_makes_it_serve(port, url):
    assert served_url(port) == url
