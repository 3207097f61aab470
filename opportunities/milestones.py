"""Completion rules of milestones 2 (30 %), 3 (40 %) and 4 (60 %)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from oe21.lib.memo import memoized
from oe21.milestones import Missing, completion_rule

from .choices import Phase
from .models import CampaignItem, Opportunity


def _no_campaign(cycle) -> list[str]:
    return [Missing(f"No opportunity-marketing campaign is open in {cycle}.", reverse("opportunities:campaign_list"))]


def _phase_missing(cycle, phase: int) -> list[str]:
    # Milestones 2 and 3 read the cycle's checklist once per page (`memoized`).
    every_item = memoized(("campaign_items", cycle.pk), lambda: list(
        CampaignItem.objects.filter(campaign__cycle=cycle).select_related("campaign__segment__parent")
        .order_by("campaign__segment__name", "code")))
    items = [item for item in every_item if item.phase == phase]
    if not items:
        return _no_campaign(cycle)
    return [Missing(f"{item.campaign.segment}: {item.code} {item.title} is not done.",
                    reverse("opportunities:campaign_item_edit", args=[item.pk]))
            for item in items if item.done_on is None]


@completion_rule(2)
def phase_1_done(cycle) -> list[str]:
    """Every Phase 1 tactic of every campaign of the cycle is done."""
    return _phase_missing(cycle, Phase.FOCUS)


@completion_rule(3)
def phase_2_done(cycle) -> list[str]:
    """Every Phase 2 step of every campaign of the cycle is done."""
    return _phase_missing(cycle, Phase.PREPARE)


@completion_rule(4)
def opportunities_tracked(cycle) -> list[str]:
    """Task 3.2.3 under way: each campaign's segment has an opportunity with touches logged."""
    from .models import Campaign

    # One EXISTS per campaign, which stops at the first tracked opportunity of its segment.
    tracked = Opportunity.objects.filter(
        Q(account__segment=OuterRef("segment")) | Q(account__segment__parent=OuterRef("segment")),
        Q(n_out__gt=0) | Q(n_in__gt=0), cycle=cycle)
    campaigns = list(Campaign.objects.filter(cycle=cycle).select_related("segment")
                     .annotate(tracked=Exists(tracked)))
    if not campaigns:
        return _no_campaign(cycle)
    return [Missing(f"Segment “{c.segment}” has no opportunity with touches logged yet.",
                    reverse("opportunities:index") + f"?segment={c.segment_id}")
            for c in campaigns if not c.tracked]


