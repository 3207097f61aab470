"""Query expressions the apps share."""

from django.db.models import IntegerField, QuerySet, Subquery


class SubqueryCount(Subquery):
    """How many rows a (correlated) queryset has, as a column of the outer query:
    `Campaign.objects.annotate(n=SubqueryCount(CampaignTarget.objects.filter(campaign=OuterRef("pk"))))`."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        super().__init__(queryset.order_by().values("pk"), **extra)
