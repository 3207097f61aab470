"""A form sent twice is saved once (issue #14: double clicks duplicated complaints, ratings, touches,
plan tasks and surveys)."""

import re
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from oe21.models import Account, SubmittedForm
from oe21.submit_once import new_token
from opportunities.models import Touch

from ..factories import make_opportunity

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TOUCH = {"occurred_on": "2026-11-02", "channel": "email", "direction": "out"}


@pytest.fixture
def opportunity(cycle, cft_user):
    return make_opportunity(cycle=cycle, salesperson=cft_user)


@pytest.mark.django_db
def test_the_same_form_sent_twice_saves_one_touch_and_lands_on_the_same_page(client_for, cft_user, opportunity):
    client = client_for(cft_user)
    url = reverse("opportunities:touch_add", args=[opportunity.pk])
    data = {**TOUCH, "_once": new_token()}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert Touch.objects.filter(opportunity=opportunity).count() == 1
    assert first.status_code == 302 and second.redirect_chain[0][0] == first["Location"]
    assert "sent already" in " ".join(str(m) for m in second.context["messages"])


@pytest.mark.django_db
def test_a_refused_form_frees_its_token_for_the_corrected_one(client_for, cft_user):
    client = client_for(cft_user)
    account = {"name": "Lakeside Clinic", "kind": "prospect", "naics_code": "621111", "zip_code": "77429",
               "lifecycle_stage": "initiation", "_once": new_token()}
    refused = client.post(reverse("account_create"), {**account, "naics_code": "99"})
    assert refused.status_code == 200 and not SubmittedForm.objects.exists()
    assert client.post(reverse("account_create"), account).status_code == 302
    assert Account.objects.filter(name="Lakeside Clinic").count() == 1


@pytest.mark.django_db
def test_two_forms_with_their_own_tokens_save_two_touches(client_for, cft_user, opportunity):
    client = client_for(cft_user)
    url = reverse("opportunities:touch_add", args=[opportunity.pk])
    for _ in range(2):
        client.post(url, {**TOUCH, "_once": new_token()})
    assert Touch.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_click_arriving_at_the_same_time_saves_once(cft_user, cycle):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it through scripts/test.")
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    url = reverse("opportunities:touch_add", args=[opportunity.pk])
    data = {**TOUCH, "_once": new_token()}
    start, answers = threading.Barrier(4), []

    def click():
        client = Client()
        client.force_login(cft_user)
        start.wait()
        answers.append(client.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(answers) == [302, 302, 302, 302]
    assert Touch.objects.filter(opportunity=opportunity).count() == 1


def test_every_post_form_of_the_portal_carries_its_token():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        if path.name == "login.html":  # signing in twice must sign in
            continue
        text = path.read_text()
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", text, flags=re.S | re.I):
            if "{% submit_once %}" not in form:
                missing.append(str(path.relative_to(TEMPLATES)))
    assert missing == []


@pytest.mark.django_db
def test_crispy_forms_carry_the_token_too(client_for, cft_user):
    page = client_for(cft_user).get(reverse("account_create")).content.decode()
    assert re.search(r'name="_once" value="[0-9a-f]{32}"', page)
