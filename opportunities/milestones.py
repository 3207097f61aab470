"""Completion rules of milestones 2 (30 %), 3 (40 %) and 4 (60 %), as SPEC §9 states them."""

from django.urls import reverse

from oe21.lib.memo import memoized
from oe21.milestones import Missing, completion_rule

from .choices import Phase, TextKind
from .models import CampaignItem
from .selectors import campaigns_for_milestones, segments_targeted_without_campaign

# Phase 2's presentations: the products of these steps are the files attached to them.
PRESENTATION_STEPS = {"S6": "marketing presentation", "S7": "follow-on presentation"}


def _no_campaign(cycle) -> list[str]:
    return [Missing(f"No opportunity-marketing campaign is open in {cycle}.", reverse("opportunities:campaign_list"))]


def _items(cycle, phase: int) -> list[CampaignItem]:
    # Milestones 2 and 3 read the cycle's checklist once per page (`memoized`).
    every_item = memoized(("campaign_items", cycle.pk), lambda: list(
        CampaignItem.objects.filter(campaign__cycle=cycle).select_related("campaign__segment__parent")
        .order_by("campaign__segment__name", "code")))
    return [item for item in every_item if item.phase == phase]


def _not_done(items) -> list[str]:
    return [Missing(f"{item.campaign.segment}: {item.code} {item.title} is not done.",
                    reverse("opportunities:campaign_item_edit", args=[item.pk]))
            for item in items if item.done_on is None]


def _targets_page(campaign, query: str = "") -> str:
    return reverse("opportunities:campaign_targets", args=[campaign.pk]) + query


@completion_rule(2)
def phase_1_done(cycle) -> list[str]:
    """Every segment or group holding high-value targets has a campaign; every campaign's Phase 1
    tactics are done, T1 names its target accounts and T4's contact list is not empty."""
    campaigns = campaigns_for_milestones(cycle)
    without = [Missing(f"Segment “{segment}” holds high-value targets of the matrix but has no campaign in "
                       f"{cycle}.", reverse("opportunities:campaign_list"))
               for segment in segments_targeted_without_campaign(cycle)]
    if not campaigns:
        return _no_campaign(cycle) + without
    missing = without + _not_done(_items(cycle, Phase.FOCUS))
    for campaign in campaigns:
        if not campaign.n_targets:
            missing.append(Missing(f"{campaign.segment}: T1 names no target accounts yet — take them from the "
                                   "matrix's high-value rows.", _targets_page(campaign)))
        elif not campaign.n_contacts:
            missing.append(Missing(f"{campaign.segment}: T4's contact list is empty — choose whom to reach at the "
                                   "target accounts.", _targets_page(campaign)))
    return missing


@completion_rule(3)
def phase_2_done(cycle) -> list[str]:
    """Every campaign's Phase 2 steps are done and their products are stored: the value
    propositions (the segment's and each customer group's), Touch 1 content, the standardized
    voice mail and telephone dialogue, and the marketing and follow-on presentations."""
    campaigns = campaigns_for_milestones(cycle)
    if not campaigns:
        return _no_campaign(cycle)
    items = _items(cycle, Phase.PREPARE)
    missing = _not_done(items)
    for campaign in campaigns:
        segment = campaign.segment

        def new_text(kind, extra="", segment=segment):
            return reverse("opportunities:text_create") + f"?segment={segment.pk}&kind={kind}{extra}"

        if not campaign.has_value_proposition:
            missing.append(Missing(f"{segment}: no value proposition is stored for the segment.",
                                   new_text(TextKind.VALUE_PROPOSITION)))
        if campaign.groups_without_value_proposition:
            n = campaign.groups_without_value_proposition
            missing.append(Missing(f"{segment}: {n} customer group{'s have' if n > 1 else ' has'} no value "
                                   "proposition.", campaign.get_absolute_url()))
        if not campaign.has_touch_1:
            missing.append(Missing(f"{segment}: no Touch 1 content is stored.",
                                   new_text(TextKind.TOUCH, "&touch_number=1&medium=email")))
        if not campaign.has_voice_mail:
            missing.append(Missing(f"{segment}: no standardized voice mail is stored.", new_text(TextKind.VOICE_MAIL)))
        if not campaign.has_telephone_dialogue:
            missing.append(Missing(f"{segment}: no standardized telephone dialogue is stored.",
                                   new_text(TextKind.TELEPHONE_DIALOGUE)))
    missing += [Missing(f"{item.campaign.segment}: {item.code} has no {PRESENTATION_STEPS[item.code]} attached.",
                        reverse("opportunities:campaign_item_edit", args=[item.pk]))
                for item in items if item.code in PRESENTATION_STEPS and not item.attachment]
    return missing


@completion_rule(4)
def opportunities_tracked(cycle) -> list[str]:
    """Every target account of each campaign is in the Opportunity Manager with at least one touch
    and a status other than "No progress", and the Action Plan tabs have been reviewed."""
    campaigns = campaigns_for_milestones(cycle)
    if not campaigns:
        return _no_campaign(cycle)
    missing = []
    for campaign in campaigns:
        if not campaign.n_targets:
            missing.append(Missing(f"{campaign.segment}: the campaign has no target accounts (T1).",
                                   _targets_page(campaign)))
        elif campaign.n_not_engaged:
            missing.append(Missing(
                f"{campaign.segment}: {campaign.n_not_engaged} of {campaign.n_targets} target accounts "
                f"{'have' if campaign.n_not_engaged > 1 else 'has'} no opportunity with a touch logged and a status "
                "past “No progress”.",
                _targets_page(campaign, "?not_engaged=on")))
    waiting = campaigns[0].unreviewed_action_items
    if waiting:
        missing.append(Missing(f"{waiting} item{'s' if waiting > 1 else ''} on the Action Plan tabs "
                               f"{'have' if waiting > 1 else 'has'} not been reviewed for the Customer Excellence "
                               "Action Plan.", reverse("requirements_specs:plan")))
    return missing
