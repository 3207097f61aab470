"""The three per-app action-item tables move into the one shared ActionItem: a filled database is
migrated and every row, history row and plan-task link is compared with what was there before."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from oe21.models import ActionItem
from requirements_specs.models import ActionPlanTask

from ..factories import OfferingFactory, make_opportunity, rated_assessment

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("requirements_specs", "0004_plan_tasks_take_shared_action_items"),
    ("prioritization", "0004_assessed_by_optional"),
    ("opportunities", "0002_actionitem_historicalactionitem"),
    ("metrics", "0005_historicalsurveyinvitation_historicalsurveyresponse"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_action_items_move_with_their_history_and_plan_links(cycle, cft_user, chair_user):
    from metrics.models import ReviewMeeting

    assessment = rated_assessment(cycle=cycle, offering=OfferingFactory())
    opportunity = make_opportunity(cycle=cycle, salesperson=cft_user)
    meeting = ReviewMeeting.objects.create(cycle=cycle, month=datetime.date(2027, 1, 1),
                                           held_on=datetime.date(2027, 2, 15), attendees="x", decisions="y")
    old = _migrate(BEFORE)
    ActionPlanItem = old.get_model("prioritization", "ActionPlanItem")
    OldOpportunityItem = old.get_model("opportunities", "ActionItem")
    FollowUpTask = old.get_model("metrics", "FollowUpTask")
    OldPlanTask = old.get_model("requirements_specs", "ActionPlanTask")
    created = timezone.now() - datetime.timedelta(days=40)

    def with_history(model, row, **changes):
        """A '+' history row at creation, then a '~' row per change, as simple-history writes them."""
        history = old.get_model(model._meta.app_label, f"Historical{model.__name__}")
        fields = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
        history.objects.create(**fields, history_date=created, history_type="+", history_user_id=cft_user.pk)
        for name, value in changes.items():
            fields[name] = value
            history.objects.create(**fields, history_date=created + datetime.timedelta(days=1), history_type="~",
                                   history_user_id=chair_user.pk)

    assessment_item = ActionPlanItem.objects.create(
        assessment_id=assessment.pk, description="Invite to a demo", owner_id=cft_user.pk,
        due_date=datetime.date(2027, 3, 1), created_by_id=cft_user.pk)
    with_history(ActionPlanItem, assessment_item, description="Invite to a demo")
    opportunity_item = OldOpportunityItem.objects.create(
        opportunity_id=opportunity.pk, description="Send the case study", created_by_id=cft_user.pk)
    with_history(OldOpportunityItem, opportunity_item)
    follow_up = FollowUpTask.objects.create(meeting_id=meeting.pk, description="Raise the touch rate",
                                            owner_id=chair_user.pk, done_on=datetime.date(2027, 2, 20))
    with_history(FollowUpTask, follow_up, done_on=datetime.date(2027, 2, 20))
    # A follow-up deleted before the move keeps its history, under an id no live item has.
    gone = FollowUpTask.objects.create(meeting_id=meeting.pk, description="Dropped idea")
    with_history(FollowUpTask, gone)
    old.get_model("metrics", "HistoricalFollowUpTask").objects.create(
        **{f.attname: getattr(gone, f.attname) for f in FollowUpTask._meta.concrete_fields},
        history_date=created + datetime.timedelta(days=2), history_type="-", history_user_id=chair_user.pk)
    gone.delete()
    OldPlanTask.objects.create(description="Demo day", source_assessment_item_id=assessment_item.pk)
    OldPlanTask.objects.create(description="Touch rate", source_follow_up_id=follow_up.pk)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    items = {item.source_kind: item for item in ActionItem.objects.all()}
    assert set(items) == {"assessment", "opportunity", "review"}
    assert ActionItem.objects.count() == 3
    moved = items["assessment"]
    assert (moved.source, moved.description, moved.owner, moved.due_on, moved.created_by, moved.status) == (
        assessment, "Invite to a demo", cft_user, datetime.date(2027, 3, 1), cft_user, "open")
    assert moved.created_at == assessment_item.created_at  # the original times, not the migration's
    assert (items["opportunity"].source, items["opportunity"].description) == (opportunity, "Send the case study")
    review = items["review"]
    assert (review.source, review.owner, review.done_on, review.status) == (
        meeting, chair_user, datetime.date(2027, 2, 20), "done")
    assert list(assessment.action_items.all()) == [moved]
    assert list(meeting.follow_ups.all()) == [review]

    assert [(h.history_type, h.history_user) for h in moved.history.order_by("history_id")] == [
        ("+", cft_user), ("~", chair_user)]
    assert [(h.history_type, h.done_on) for h in review.history.order_by("history_id")] == [
        ("+", datetime.date(2027, 2, 20)), ("~", datetime.date(2027, 2, 20))]
    deleted = ActionItem.history.filter(description="Dropped idea").order_by("history_id")
    assert [h.history_type for h in deleted] == ["+", "-"]
    assert deleted[0].id not in {item.pk for item in items.values()}
    assert ActionItem.history.count() == 2 + 1 + 2 + 2

    assert ActionPlanTask.objects.get(description="Demo day").source_item == moved
    assert ActionPlanTask.objects.get(description="Touch rate").source_item == review
