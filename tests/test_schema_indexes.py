"""Every filter a page or the REST API offers is served by an index: read from the real schema."""

import pytest
from django.db import connection

from oe21.api.views import ENDPOINTS as SHARED_ENDPOINTS
from oe21.registry import api_endpoints

pytestmark = pytest.mark.django_db

# Filters of the portal's pages (model, field), beside the API's declared filter sets.
PAGE_FILTERS = [
    ("oe21.Account", "kind"), ("oe21.Account", "lifecycle_stage"), ("oe21.Account", "owner"),
    ("oe21.Account", "segment"), ("oe21.Account", "naics_code"),
    ("opportunities.Opportunity", "salesperson"), ("opportunities.Opportunity", "offering"),
    ("opportunities.Opportunity", "lead_source"), ("opportunities.Opportunity", "status"),
    ("opportunities.Opportunity", "created_at"), ("opportunities.Opportunity", "cycle"),
    ("opportunities.Touch", "opportunity"), ("opportunities.Touch", "occurred_on"),
    ("prioritization.Assessment", "cycle"), ("prioritization.Assessment", "offering"),
    ("metrics.Complaint", "received_on"), ("metrics.CustomerRating", "rated_on"),
    ("metrics.MeasureEntry", "period"),
]


def _indexed_columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {c["columns"][0] for c in constraints.values()
            if c["columns"] and (c["index"] or c["unique"] or c["primary_key"])}


def _api_filters():
    for prefix, viewset in [*SHARED_ENDPOINTS, *api_endpoints()]:
        model = viewset.filterset_class._meta.model
        for name, declared in viewset.filterset_class.base_filters.items():
            path = getattr(declared, "path", None) or declared.field_name
            yield prefix, name, model, path.split("__")[0]


def test_every_filter_has_an_index():
    from django.apps import apps

    wanted = {(model, field) for _, _, model, field in _api_filters()}
    wanted |= {(apps.get_model(label), field) for label, field in PAGE_FILTERS}
    missing = []
    for model, field_name in sorted(wanted, key=lambda pair: (pair[0]._meta.label, pair[1])):
        column = model._meta.get_field(field_name).column
        if column not in _indexed_columns(model._meta.db_table):
            missing.append(f"{model._meta.label}.{field_name}")
    assert missing == [], "\n".join(missing)
