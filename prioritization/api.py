"""Export endpoint of Task 3.2.1: prioritization scores."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import serializers

from oe21.api.base import SegmentFilter, SyncFilterSet, SyncViewSet

from .exports import matrix_columns
from .models import Assessment, Criterion
from .scoring import Score
from .selectors import score_rows


class PrioritizationScoreSerializer(serializers.ModelSerializer):
    score = serializers.SerializerMethodField(help_text="Σ wᵢ·rᵢ / Σ wᵢ on 1–5.")
    score_100 = serializers.SerializerMethodField(help_text="(score − 1) / 4 × 100.")
    complete = serializers.SerializerMethodField(help_text="Every applicable criterion rated.")
    computed_estimated_success = serializers.SerializerMethodField()
    estimated_success = serializers.SerializerMethodField(help_text="The override where there is one.")
    ratings = serializers.SerializerMethodField(help_text="Criterion name → rating 1–5.")

    class Meta:
        model = Assessment
        fields = ["id", "cycle", "account", "offering", "respondent_name", "respondent_role",
                  "respondent_age_group", "score", "score_100", "complete", "computed_estimated_success",
                  "estimated_success", "success_override", "override_reason", "reviewed_at", "ratings",
                  "weights_version", "created_at", "updated_at"]
        extra_kwargs = {"weights_version": {"help_text": "The weights version its score keeps (its cycle closed "
                                                         "before newer weights were adopted); null: today's weights."}}

    def _row(self, assessment):
        return self.context["rows"][assessment.pk]

    def _score(self, assessment) -> Score:
        return self._row(assessment).score

    def get_score(self, assessment) -> float | None:
        value = self._score(assessment).value
        return None if value is None else round(float(value), 4)

    def get_score_100(self, assessment) -> float | None:
        percent = self._score(assessment).percent
        return None if percent is None else round(float(percent), 2)

    def get_complete(self, assessment) -> bool:
        return self._score(assessment).complete

    def get_computed_estimated_success(self, assessment) -> str:
        return self._score(assessment).estimated_success

    def get_estimated_success(self, assessment) -> str:
        return self._row(assessment).estimated_success

    def get_ratings(self, assessment) -> dict[str, int]:
        criteria = self.context["criteria"]
        row = self._row(assessment)
        return {c.name: value for c, value in zip(criteria, row.cells, strict=True) if value is not None}


class PrioritizationScoreFilterSet(SyncFilterSet):
    segment = SegmentFilter(path="account__segment")

    class Meta:
        model = Assessment
        fields = ["cycle", "offering", "account", "segment"]



@extend_schema_view(
    list=extend_schema(summary="List prioritization scores", description=(
        "Task 3.2.1: each assessment with its ratings, score, 0–100 score and estimated success "
        "(High ≥ 75, Medium ≥ 50, Low below; a CFT override wins and is shown as such)."),
        examples=[OpenApiExample("A scored assessment", response_only=True, value={
            "id": 4, "cycle": 1, "account": 7, "offering": 1, "respondent_name": "Ann Lee",
            "respondent_role": "Buyer", "respondent_age_group": "35_44", "score": 3.5, "score_100": 62.5,
            "complete": True, "computed_estimated_success": "Medium", "estimated_success": "Medium",
            "success_override": "", "override_reason": "", "reviewed_at": None,
            "ratings": {"Best Value": 4, "Total Solution": 3}, "created_at": "2027-01-05T10:00:00Z",
            "updated_at": "2027-01-05T10:00:00Z"})]),
    retrieve=extend_schema(summary="One prioritization score", description="See the list."),
)
class PrioritizationScoreViewSet(SyncViewSet):
    queryset = Assessment.objects.prefetch_related("ratings")
    serializer_class = PrioritizationScoreSerializer
    filterset_class = PrioritizationScoreFilterSet
    view_permission = "prioritization.view_assessment"
    # The criteria columns are spreadsheet-only: the streamed export lists the assessments.
    export_columns = matrix_columns([]).api_export()

    def get_serializer(self, *args, **kwargs):
        instances = args[0] if args else None
        if instances is not None:
            many = list(instances) if kwargs.get("many") else [instances]
            criteria = list(Criterion.objects.all())
            kwargs["context"] = {**self.get_serializer_context(), "criteria": criteria,
                                 "rows": {row.assessment.pk: row for row in score_rows(criteria, many)}}
        return super().get_serializer(*args, **kwargs)


ENDPOINTS = [("prioritization-scores", PrioritizationScoreViewSet)]
