"""Export endpoints of Task 3.2.3: opportunities with their derived figures, and the touch log."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers

from oe21.api.base import SegmentFilter, SyncFilterSet, SyncViewSet, described

from .choices import COUNT_NAMES, Direction
from .exports import OPPORTUNITY_COLUMNS, PROPOSAL_COLUMNS, TOUCH_COLUMNS
from .models import Opportunity, Proposal, Touch
from .selectors import count_key, figures_for, formula_parameters


def _count_field_name(label: str) -> str:
    return label.lower().replace(" ", "_")


COUNT_FIELDS = {_count_field_name(names[i]): (channel, direction)
                for channel, names in COUNT_NAMES.items()
                for i, direction in enumerate((Direction.OUT, Direction.IN))}


class OpportunitySerializer(serializers.ModelSerializer):
    counts = serializers.SerializerMethodField(help_text="The standard's counts, derived from touch events.")
    touches_out = serializers.IntegerField(source="n_out", read_only=True)
    responses = serializers.IntegerField(source="n_in", read_only=True)
    sales_efficiency = serializers.SerializerMethodField(help_text="100 × responses / touches out; null "
                                                                   "when nothing was sent.")
    progress_points = serializers.SerializerMethodField()
    progress_toward_purchase = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = ["id", "cycle", "salesperson", "salesperson_role", "offering", "lead_source", "account",
                  "contact", "status", "status_reason", "status_reason_text", "sponsor_engaged_on",
                  "touch1_sent_on", "presented_to_sponsor_on", "presented_to_influencers_on",
                  "decision_meeting_set_on", "presented_to_decision_maker_on", "counts", "touches_out",
                  "responses", "sales_efficiency", "progress_points", "progress_toward_purchase",
                  "created_at", "updated_at"]

    def _figures(self, opportunity):
        cache = self.context.setdefault("figures", {})
        if opportunity.pk not in cache:
            cache[opportunity.pk] = figures_for(opportunity, self.context["parameters"])
        return cache[opportunity.pk]

    def get_counts(self, opportunity) -> dict[str, int]:
        return {name: getattr(opportunity, count_key(channel, direction))
                for name, (channel, direction) in COUNT_FIELDS.items()}

    def get_sales_efficiency(self, opportunity) -> float | None:
        value = self._figures(opportunity).efficiency
        return None if value is None else round(float(value), 2)

    def get_progress_points(self, opportunity) -> int:
        return self._figures(opportunity).points

    def get_progress_toward_purchase(self, opportunity) -> float:
        return round(float(self._figures(opportunity).progress), 2)


class OpportunityFilterSet(SyncFilterSet):
    segment = SegmentFilter(path="account__segment")

    class Meta:
        model = Opportunity
        fields = ["cycle", "offering", "salesperson", "lead_source", "status", "segment"]



@extend_schema_view(
    list=extend_schema(summary="List opportunities", description=(
        "Task 3.2.3: the Opportunity Manager, with the counts derived from touch events, sales "
        "efficiency %, progress points and progress toward purchase %."),
        examples=[OpenApiExample("An opportunity", response_only=True, value={
            "id": 3, "cycle": 1, "salesperson": 2, "salesperson_role": "Account executive", "offering": 1,
            "lead_source": "referral", "account": 7, "contact": 12, "status": "interested",
            "status_reason": "", "status_reason_text": "", "sponsor_engaged_on": "2027-02-01",
            "touch1_sent_on": None, "presented_to_sponsor_on": None, "presented_to_influencers_on": None,
            "decision_meeting_set_on": None, "presented_to_decision_maker_on": None,
            "counts": {"emails_sent": 2, "email_replies": 1}, "touches_out": 2, "responses": 1,
            "sales_efficiency": 50.0, "progress_points": 3, "progress_toward_purchase": 30.0,
            "created_at": "2027-01-05T10:00:00Z", "updated_at": "2027-02-01T08:30:00Z"})]),
    retrieve=extend_schema(summary="One opportunity", description="See the list."),
)
class OpportunityViewSet(SyncViewSet):
    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilterSet
    view_permission = "opportunities.view_opportunity"
    export_columns = OPPORTUNITY_COLUMNS.api_export()

    def get_queryset(self):
        return Opportunity.objects.all()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "parameters": formula_parameters()}


class TouchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Touch
        fields = ["id", "opportunity", "occurred_on", "channel", "direction", "outcome", "origin", "by", "created_at",
                  "updated_at"]


class TouchFilterSet(SyncFilterSet):
    class Meta:
        model = Touch
        fields = ["opportunity"]


@described("touch events", "Task 3.2.3: every touch with a prospect, the events the counts derive from.",
           {"id": 9, "opportunity": 4, "occurred_on": "2027-02-01", "channel": "email", "direction": "out",
            "outcome": "", "origin": "logged", "by": 3, "created_at": "2027-02-01T09:00:00Z",
            "updated_at": "2027-02-01T09:00:00Z"})
class TouchViewSet(SyncViewSet):
    queryset = Touch.objects.all()
    serializer_class = TouchSerializer
    filterset_class = TouchFilterSet
    view_permission = "opportunities.view_touch"
    export_columns = TOUCH_COLUMNS.api_export()


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = ["id", "opportunity", "sent_on", "offering", "value", "outcome", "note", "created_at", "updated_at"]


class ProposalFilterSet(SyncFilterSet):
    class Meta:
        model = Proposal
        fields = ["opportunity", "offering", "outcome"]


@described("proposals", "Task 3.2.3: the proposals made on opportunities (date, offering, value, outcome).",
           {"id": 2, "opportunity": 4, "sent_on": "2027-03-01", "offering": 1, "value": "12500.00",
            "outcome": "open", "note": "", "created_at": "2027-03-01T09:00:00Z", "updated_at": "2027-03-01T09:00:00Z"})
class ProposalViewSet(SyncViewSet):
    queryset = Proposal.objects.all()
    serializer_class = ProposalSerializer
    filterset_class = ProposalFilterSet
    view_permission = "opportunities.view_proposal"
    export_columns = PROPOSAL_COLUMNS.api_export()


ENDPOINTS = [("opportunities", OpportunityViewSet), ("touches", TouchViewSet), ("proposals", ProposalViewSet)]
