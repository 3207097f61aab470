"""No lost update (issue #14): a form carries the version it read; saving over a newer change is
refused with who changed it and when, and the newer values shown. Concurrent grid saves end in a
save or a message, never a 500 or a deadlock."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from oe21.models import Account
from opportunities.models import Opportunity
from prioritization.models import Assessment

from ..factories import AccountFactory, OfferingFactory, make_opportunity, rated_assessment
from ..prioritization.test_grid import grid_post

VERSION = re.compile(r'name="(?:form-\d+-)?version" value="([^"]+)"')


def _version(page) -> str:
    return VERSION.search(page.content.decode()).group(1)


ACCOUNT = {"kind": "prospect", "naics_code": "621111", "zip_code": "77429", "lifecycle_stage": "initiation"}


@pytest.mark.django_db
def test_a_stale_account_form_is_refused_with_who_changed_it_and_the_newer_values(
        client, cft_user, other_cft_user):
    account = AccountFactory(name="Lakeside Clinic", naics_code="621111", zip_code="77429")
    url = reverse("account_edit", args=[account.pk])
    client.force_login(cft_user)
    read_at = _version(client.get(url))

    colleague = Client()
    colleague.force_login(other_cft_user)
    colleague.post(url, {**ACCOUNT, "name": "Lakeside Health", "version": _version(colleague.get(url))})
    assert Account.objects.get(pk=account.pk).name == "Lakeside Health"

    stale = client.post(url, {**ACCOUNT, "name": "Lakeside Clinic East", "version": read_at})
    page = stale.content.decode()
    assert stale.status_code == 200
    assert f"Changed by {other_cft_user.get_full_name() or other_cft_user.username} at" in page
    assert re.search(r"<th scope=\"row\">Name</th><td>Lakeside Health</td>", page)
    assert Account.objects.get(pk=account.pk).name == "Lakeside Health"

    # Saving again from the refreshed form keeps the user's value, knowingly.
    again = client.post(url, {**ACCOUNT, "name": "Lakeside Clinic East", "version": _version(stale)})
    assert again.status_code == 302 and Account.objects.get(pk=account.pk).name == "Lakeside Clinic East"


@pytest.mark.django_db
def test_a_stale_opportunity_form_is_refused(client_for, chair_user, cft_user, cycle):
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    url = reverse("opportunities:opportunity_edit", args=[opportunity.pk])
    page = client_for(cft_user).get(url)
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    Opportunity.objects.filter(pk=opportunity.pk).update(salesperson_role="Changed meanwhile")
    Opportunity.objects.get(pk=opportunity.pk).save()  # a newer version
    response = client_for(cft_user).post(url, {**data, "salesperson_role": "Mine"})
    assert response.status_code == 200 and "after you opened this form" in response.content.decode()
    assert Opportunity.objects.get(pk=opportunity.pk).salesperson_role == "Changed meanwhile"


@pytest.mark.django_db
def test_a_stale_grid_row_is_refused_and_nothing_is_saved(client_for, cft_user, other_cft_user, cycle):
    offering = OfferingFactory()
    assessment = rated_assessment(cycle=cycle, offering=offering, values=[3] * 7)
    url = reverse("prioritization:grid") + f"?offering={offering.pk}"
    read_at = _version(client_for(cft_user).get(url))
    row = {"id": assessment.pk, "account": assessment.account_id, "name": "Resp"}
    first = grid_post([{**row, "ratings": ["5"] * 7}], initial=1)
    first["form-0-version"] = read_at
    assert client_for(other_cft_user).post(url, first).status_code == 302

    second = grid_post([{**row, "ratings": ["1"] * 7}], initial=1)
    second["form-0-version"] = read_at
    response = client_for(cft_user).post(url, second)
    assert response.status_code == 200
    assert f"{assessment.account} — Changed by" in response.content.decode()
    assert sorted(Assessment.objects.get().ratings.values_list("value", flat=True)) == [5] * 7


@pytest.mark.django_db(transaction=True)
def test_grid_saves_at_the_same_time_end_in_one_save_and_messages_never_a_500(cft_user, other_cft_user, cycle):
    if connection.vendor != "postgresql":
        pytest.fail("This test needs PostgreSQL: run it through scripts/test.")
    offering = OfferingFactory()
    assessments = [rated_assessment(cycle=cycle, offering=offering, values=[3] * 7) for _ in range(6)]
    url = reverse("prioritization:grid") + f"?offering={offering.pk}"
    reader = Client()
    reader.force_login(cft_user)
    versions = VERSION.findall(reader.get(url).content.decode())
    by_pk = dict(zip(sorted(a.pk for a in assessments), versions, strict=True))
    start, answers = threading.Barrier(6), []

    def save(user, order, value):
        rows = [{"id": a.pk, "account": a.account_id, "name": "Resp", "ratings": [value] * 7} for a in order]
        data = grid_post(rows, initial=len(rows))
        for i, a in enumerate(order):
            data[f"form-{i}-version"] = by_pk[a.pk]
        client = Client()
        client.force_login(user)
        start.wait()
        answers.append(client.post(url, data).status_code)
        connection.close()

    threads = [threading.Thread(target=save, args=(user, order, value)) for user, order, value in
               [(cft_user, assessments, "5"), (other_cft_user, assessments[::-1], "1")] * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == [200] * 5 + [302]
    values = {tuple(sorted(a.ratings.values_list("value", flat=True))) for a in Assessment.objects.all()}
    assert len(values) == 1  # one save, whole


@pytest.mark.django_db
def test_the_other_edit_forms_refuse_a_stale_save_too(client_for, cft_user, chair_user, cycle):
    from metrics.models import Complaint
    from opportunities.services import campaign_create
    from requirements_specs import services as specs

    from ..factories import SegmentFactory

    client = client_for(cft_user)
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    item = campaign_create(cycle=cycle, segment=SegmentFactory(), user=cft_user).items.get(code="T1")
    task = specs.plan_task_propose(data={"description": "Train the help desk"}, user=cft_user)
    complaint = Complaint.objects.create(received_on="2026-11-02", account=opportunity.account,
                                         offering=opportunity.offering, channel="email", category="quality",
                                         description="Late")
    cases = [  # (form page, posted to, data, the record, a field changed meanwhile)
        (reverse("opportunities:campaign_item_edit", args=[item.pk]), None, {"notes": "mine"}, item, "notes"),
        (reverse("requirements_specs:plan_task_edit", args=[task.pk]), None,
         {"description": "mine", "budget": "0"}, task, "description"),
        (reverse("metrics:complaint_edit", args=[complaint.pk]), None,
         {"received_on": "2026-11-02", "account": opportunity.account_id, "offering": opportunity.offering_id,
          "channel": "email", "category": "quality", "severity": "medium", "root_cause": "unknown",
          "description": "mine"}, complaint, "description"),
        (opportunity.get_absolute_url(), reverse("opportunities:opportunity_steps", args=[opportunity.pk]),
         {"sponsor_engaged_on": "2026-11-01"}, opportunity, "salesperson_role"),
    ]
    for page, target, data, record, field in cases:
        read_at = _version(client.get(page))
        model = type(record)
        stored = model.objects.get(pk=record.pk)
        setattr(stored, field, "changed meanwhile")
        stored.save()
        response = client.post(target or page, {**data, "version": read_at}, follow=True)
        text = response.content.decode()
        assert "after you opened this form" in text, page
        assert getattr(model.objects.get(pk=record.pk), field) == "changed meanwhile", page
    assert Opportunity.objects.get(pk=opportunity.pk).sponsor_engaged_on is None
