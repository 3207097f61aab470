"""Export endpoints of the shared model: segments, offerings, accounts, milestones."""

from rest_framework import serializers

from ..exports import ACCOUNT_COLUMNS, MILESTONE_COLUMNS, OFFERING_COLUMNS, SEGMENT_COLUMNS
from ..milestones import MILESTONES
from ..models import Account, MarketSegment, Milestone, Offering
from .base import SegmentFilter, SyncFilterSet, SyncViewSet, described


class SegmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MarketSegment
        fields = ["id", "name", "description", "parent", "created_at", "updated_at"]


class SegmentFilterSet(SyncFilterSet):
    class Meta:
        model = MarketSegment
        fields = ["parent"]


@described("market segments", "Market segments and, with a parent, their customer groups.",
           {"id": 2, "name": "Clinics", "description": "", "parent": 1,
            "created_at": "2027-01-05T10:00:00Z", "updated_at": "2027-01-05T10:00:00Z"})
class SegmentViewSet(SyncViewSet):
    queryset = MarketSegment.objects.all()
    serializer_class = SegmentSerializer
    filterset_class = SegmentFilterSet
    view_permission = "oe21.view_marketsegment"
    export_columns = SEGMENT_COLUMNS.api_export()


class OfferingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offering
        fields = ["id", "name", "kind", "description", "status", "price", "unit", "created_at", "updated_at"]


class OfferingFilterSet(SyncFilterSet):
    class Meta:
        model = Offering
        fields = ["status", "kind"]


@described("offerings", "Products, services and programs.",
           {"id": 1, "name": "Asset Tracking Platform", "kind": "product", "description": "",
            "status": "active", "price": "1200.00", "unit": "per site per year",
            "created_at": "2027-01-05T10:00:00Z", "updated_at": "2027-01-05T10:00:00Z"})
class OfferingViewSet(SyncViewSet):
    queryset = Offering.objects.all()
    serializer_class = OfferingSerializer
    filterset_class = OfferingFilterSet
    view_permission = "oe21.view_offering"
    export_columns = OFFERING_COLUMNS.api_export()


class AccountSerializer(serializers.ModelSerializer):
    naics_title = serializers.CharField(read_only=True, allow_null=True)
    city = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = Account
        fields = ["id", "name", "kind", "naics_code", "naics_title", "zip_code", "city", "state",
                  "segment", "lifecycle_stage", "owner", "annual_spend", "created_at", "updated_at"]

    def get_city(self, account) -> str | None:
        return account.place.city if account.place else None

    def get_state(self, account) -> str | None:
        return account.place.state if account.place else None


class AccountFilterSet(SyncFilterSet):
    segment = SegmentFilter(path="segment")

    class Meta:
        model = Account
        fields = ["kind", "lifecycle_stage", "segment"]



@described("accounts", "Customers, prospects and key stakeholders, with NAICS title and place.",
           {"id": 7, "name": "Lakeside Clinic", "kind": "customer", "naics_code": "621111",
            "naics_title": "Offices of Physicians (except Mental Health Specialists)",
            "zip_code": "77429", "city": "Cypress", "state": "TX", "segment": 2,
            "lifecycle_stage": "integration", "owner": 3, "annual_spend": "250000.00",
            "created_at": "2027-01-05T10:00:00Z", "updated_at": "2027-02-01T08:30:00Z"})
class AccountViewSet(SyncViewSet):
    queryset = Account.objects.all()
    serializer_class = AccountSerializer
    filterset_class = AccountFilterSet
    view_permission = "oe21.view_account"
    export_columns = ACCOUNT_COLUMNS.api_export()


class MilestoneSerializer(serializers.ModelSerializer):
    title = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(help_text="The standard's progress % of this milestone.")
    approved = serializers.SerializerMethodField()
    cycle_name = serializers.CharField(source="cycle.name", read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "cycle", "cycle_name", "number", "title", "progress", "state", "approved",
                  "submitted_at", "decided_at", "decision_reason", "created_at", "updated_at"]

    def get_title(self, milestone) -> str:
        return MILESTONES[milestone.number].title

    def get_progress(self, milestone) -> int:
        return MILESTONES[milestone.number].progress

    def get_approved(self, milestone) -> bool:
        return milestone.state == "approved"


class MilestoneFilterSet(SyncFilterSet):
    class Meta:
        model = Milestone
        fields = ["cycle", "state"]


@described("milestones", "The seven milestones per engagement cycle with their approval state; "
           "the cycle's progress is the progress of the highest milestone approved in order.",
           {"id": 1, "cycle": 1, "cycle_name": "FY2027", "number": 1,
            "title": "Customers/prospects prioritization", "progress": 20, "state": "approved",
            "approved": True, "submitted_at": "2027-02-01T09:00:00Z", "decided_at": "2027-02-02T15:00:00Z",
            "decision_reason": "Evidence checked.", "created_at": "2027-01-01T00:00:00Z",
            "updated_at": "2027-02-02T15:00:00Z"})
class MilestoneViewSet(SyncViewSet):
    queryset = Milestone.objects.select_related("cycle")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilterSet
    view_permission = "oe21.view_milestone"
    export_columns = MILESTONE_COLUMNS.api_export()


ENDPOINTS = [
    ("segments", SegmentViewSet),
    ("offerings", OfferingViewSet),
    ("accounts", AccountViewSet),
    ("milestones", MilestoneViewSet),
]
