"""Export endpoints of Tasks 3.2.8–3.2.9: measures, measure entries, complaints, ratings."""

import django_filters
from rest_framework import serializers

from oe21.api.base import SegmentFilter, SyncFilterSet, SyncViewSet, described

from .choices import MeasureKind
from .exports import COMPLAINT_COLUMNS, ENTRY_COLUMNS, MEASURE_COLUMNS, RATING_COLUMNS
from .models import Complaint, CustomerRating, Measure, MeasureEntry


class MeasureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Measure
        fields = ["id", "name", "kind", "unit", "direction", "target", "owner", "frequency", "breakdown",
                  "source", "is_selected", "description", "created_at", "updated_at"]


class MeasureFilterSet(SyncFilterSet):
    class Meta:
        model = Measure
        fields = ["kind", "source", "is_selected"]


@described("measures", "KRI and KRD definitions with unit, direction, target, frequency and breakdown.",
            {"id": 1, "name": "Customer rating of offerings (1–5)", "kind": "KRI", "unit": "1–5",
             "direction": "higher", "target": "4.0000", "owner": None, "frequency": "monthly",
             "breakdown": "offering", "source": "ratings_mean", "is_selected": True, "description": "",
             "created_at": "2027-01-01T00:00:00Z", "updated_at": "2027-01-01T00:00:00Z"})
class MeasureViewSet(SyncViewSet):
    queryset = Measure.objects.all()
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet
    view_permission = "metrics.view_measure"
    export_columns = MEASURE_COLUMNS.api_export()


class MeasureEntrySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="measure.kind", read_only=True)

    class Meta:
        model = MeasureEntry
        fields = ["id", "measure", "kind", "period", "offering", "segment", "value", "comment", "origin",
                  "created_at", "updated_at"]


class MeasureEntryFilterSet(SyncFilterSet):
    kind = django_filters.ChoiceFilter(field_name="measure__kind", choices=MeasureKind.choices,
                                       help_text="KRI or KRD.")
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte",
                                            help_text="YYYY-MM-DD; entries for this month or later.")
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte",
                                          help_text="YYYY-MM-DD; entries for this month or earlier.")
    segment = SegmentFilter(path="segment")

    class Meta:
        model = MeasureEntry
        fields = ["measure", "kind", "offering", "segment"]


@described("measure entries", "Monthly values of the measures (typed, imported or computed); overall when "
            "offering and segment are null.",
            {"id": 9, "measure": 1, "kind": "KRI", "period": "2027-01-01", "offering": 2, "segment": None,
             "value": "4.2500", "comment": "", "origin": "computed", "created_at": "2027-02-01T02:15:00Z",
             "updated_at": "2027-02-01T02:15:00Z"})
class MeasureEntryViewSet(SyncViewSet):
    queryset = MeasureEntry.objects.select_related("measure")
    serializer_class = MeasureEntrySerializer
    filterset_class = MeasureEntryFilterSet
    view_permission = "metrics.view_measureentry"
    export_columns = ENTRY_COLUMNS.api_export()


class ComplaintSerializer(serializers.ModelSerializer):
    days_to_resolve = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Complaint
        fields = ["id", "received_on", "account", "offering", "channel", "category", "description", "severity",
                  "root_cause", "corrective_action", "resolved_on", "days_to_resolve", "created_at", "updated_at"]


class ComplaintFilterSet(SyncFilterSet):
    segment = SegmentFilter(path="account__segment")

    class Meta:
        model = Complaint
        fields = ["offering", "account", "category", "severity", "segment"]


@described("complaints", "The complaint log (3.2b(2)) with time to resolve.",
            {"id": 4, "received_on": "2027-01-10", "account": 7, "offering": 1, "channel": "email",
             "category": "quality", "description": "Arrived damaged", "severity": "high",
             "root_cause": "material", "corrective_action": "Supplier audit", "resolved_on": "2027-01-14",
             "days_to_resolve": 4, "created_at": "2027-01-10T09:00:00Z", "updated_at": "2027-01-14T16:00:00Z"})
class ComplaintViewSet(SyncViewSet):
    queryset = Complaint.objects.all()
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilterSet
    view_permission = "metrics.view_complaint"
    export_columns = COMPLAINT_COLUMNS.api_export()


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustomerRating
        fields = ["id", "rated_on", "account", "contact", "offering", "value", "comment", "created_at", "updated_at"]


class RatingFilterSet(SyncFilterSet):
    segment = SegmentFilter(path="account__segment")

    class Meta:
        model = CustomerRating
        fields = ["offering", "account", "segment"]


@described("customer ratings", "Customers' 1–5 ratings of offerings, with comments.",
            {"id": 3, "rated_on": "2027-01-20", "account": 7, "contact": None, "offering": 1, "value": 4,
             "comment": "Responsive team", "created_at": "2027-01-20T10:00:00Z",
             "updated_at": "2027-01-20T10:00:00Z"})
class RatingViewSet(SyncViewSet):
    queryset = CustomerRating.objects.all()
    serializer_class = RatingSerializer
    filterset_class = RatingFilterSet
    view_permission = "metrics.view_customerrating"
    export_columns = RATING_COLUMNS.api_export()


ENDPOINTS = [
    ("measures", MeasureViewSet),
    ("measure-entries", MeasureEntryViewSet),
    ("complaints", ComplaintViewSet),
    ("ratings", RatingViewSet),
]
