"""Every page of the menu and every API list makes the same number of SQL queries, at most 20,
whatever the data size, and stays under 1 MB of HTML: measured on two sizes of the scale data set."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

PAGES = ["/", "/accounts/", "/contacts/", "/offerings/", "/prioritization/",
         "/prioritization/grid/?offering={offering}", "/opportunities/", "/opportunities/pipeline/",
         "/opportunities/rollups/", "/opportunities/campaigns/", "/metrics/", "/metrics/complaints/",
         "/metrics/ratings/", "/metrics/surveys/", "/requirements/", "/requirements/portfolio/",
         "/requirements/action-plan/", "/audit/", "/search/?q=account", "/prioritization/?to_review=on",
         "/metrics/ratings/?o=-rating", "/contacts/?o=-account", "/prioritization/statistics/",
         "/prioritization/calibration/", "/metrics/at-risk/", "/prioritization/weights/",
         "/metrics/business-case/"]
API_LISTS = ["segments", "offerings", "accounts", "milestones", "prioritization-scores", "opportunities",
             "measures", "measure-entries", "complaints", "ratings", "touches", "proposals"]
MAX_QUERIES = 20
MAX_BYTES = 1024 * 1024


def _measure(scale: str) -> dict[str, tuple[int, int]]:
    """(queries, bytes) of each page and API list after loading the scale data set."""
    from prioritization.models import Assessment

    call_command("load_scale_data", "--scale", scale, stdout=io.StringIO())
    chair = get_user_model().objects.get(username="scale001")
    offering = (Assessment.objects.values_list("offering_id").annotate(n=Count("pk")).order_by("-n")[0][0])
    client = Client()
    client.force_login(chair)
    from oe21.api.tokens import api_token_create
    from oe21.roles import PMS_CLIENT

    pms = get_user_model().objects.create_user("scale-pms")
    pms.groups.add(pms.groups.model.objects.get(name=PMS_CLIENT))
    key = api_token_create(user=pms, name="scale test")[1]
    found = {}
    urls = [(url.format(offering=offering), {}) for url in PAGES] + [
        (f"/api/v1/{name}/?page_size=100", {"HTTP_AUTHORIZATION": f"Token {key}"}) for name in API_LISTS]
    for url, headers in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, **headers)
        assert response.status_code == 200, url
        found[url.split("?offering=")[0].split("?q=")[0]] = (len(queries), len(response.content))
    return found


def test_pages_make_the_same_bounded_number_of_queries_at_two_sizes():
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        small = _measure("0.004")
        raise Undo  # roll the small organisation back, then load one three times larger
    large = _measure("0.012")
    queries_at = {size: {url: queries for url, (queries, _) in found.items()}
                  for size, found in (("small", small), ("large", large))}
    assert queries_at["small"] == queries_at["large"]
    too_many = {url: queries for url, (queries, _) in large.items() if queries > MAX_QUERIES}
    too_big = {url: size for url, (_, size) in large.items() if size > MAX_BYTES}
    assert too_many == {} and too_big == {}
