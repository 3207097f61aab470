"""The shared kernel knows the task apps only through what they register."""

import datetime

import pytest
from django.urls import reverse

from oe21 import registry
from oe21.models import ActionItem
from oe21.selectors import action_items_with_labels
from oe21.services import action_item_add

from ..factories import OfferingFactory, make_opportunity, rated_assessment

pytestmark = pytest.mark.django_db


def test_every_task_app_registers_its_demo_steps_in_order():
    steps = registry.demo_steps()
    owners = [step.run.__module__.split(".")[0] for step in steps]
    assert owners[0] == "oe21"  # the shared model comes first: the others use its records
    assert {"prioritization", "opportunities", "requirements_specs", "metrics"} <= set(owners)
    assert [s.order for s in steps] == sorted(s.order for s in steps)


def test_the_api_serves_what_the_apps_register():
    prefixes = [prefix for prefix, _ in registry.api_endpoints()]
    assert {"prioritization-scores", "opportunities", "measures", "measure-entries", "complaints",
            "ratings"} <= set(prefixes)
    assert len(prefixes) == len(set(prefixes))
    for prefix in prefixes:
        assert reverse(f"{prefix}-list").startswith(f"/api/v1/{prefix}/")


def test_a_prefix_is_registered_once():
    prefix, viewset = registry.api_endpoints()[0]
    registry.register_api_endpoints([(prefix, viewset)])  # the same pair again changes nothing
    with pytest.raises(ValueError, match="registered already"):
        registry.register_api_endpoints([(prefix, object)])


def test_role_rules_come_from_each_app():
    rules = registry.role_rules()
    assert rules.business_apps == {"oe21", "prioritization", "opportunities", "requirements_specs", "metrics"}
    assert "prioritization.criterion" in rules.admin_only_models
    assert "requirements_specs.approve_requirementspec" in rules.oft_lead_permissions
    assert "opportunities.edit_any_opportunity" in rules.chair_only_permissions


def test_the_offering_page_shows_the_documents_panel_of_task_3_2_5(client_for, viewer_user):
    offering = OfferingFactory(name="Asset Tracking")
    page = client_for(viewer_user).get(reverse("offering_detail", args=[offering.pk])).content.decode()
    assert 'data-testid="offering-documents"' in page
    assert reverse("requirements_specs:documents", args=[offering.pk]) in page


def test_action_items_of_every_source_are_named_in_a_bounded_number_of_queries(
        cycle, cft_user, django_assert_max_num_queries):
    from metrics.models import ReviewMeeting

    for _ in range(3):
        action_item_add(source=rated_assessment(cycle=cycle, offering=OfferingFactory()), description="a",
                        user=cft_user)
        action_item_add(source=make_opportunity(cycle=cycle, salesperson=cft_user), description="b",
                        user=cft_user)
    meeting = ReviewMeeting.objects.create(cycle=cycle, month=datetime.date(2027, 1, 1),
                                           held_on=datetime.date(2027, 2, 15), attendees="x", decisions="y")
    action_item_add(source=meeting, description="c", user=cft_user, due_on=datetime.date(2027, 3, 1))
    # one query for the items, then one per kind of source
    with django_assert_max_num_queries(4):
        items = action_items_with_labels(ActionItem.objects.all())
    labels = {item.source_label.split(":")[0].split(" of ")[0] for item in items}
    assert labels == {"Assessment", "Opportunity", "Review"}
    assert next(i for i in items if i.source_kind == "review").source_label == "Review of January 2027"


def test_an_action_item_needs_a_registered_source(cft_user):
    with pytest.raises(ValueError, match="No app registered"):
        action_item_add(source=OfferingFactory(), description="x", user=cft_user)
