"""The columns of the metrics tables, declared once for the spreadsheet import (and export) and the
REST API's streamed CSV (see `oe21.lib.spreadsheets.Columns`)."""

from oe21.lib.spreadsheets import ID_COLUMN, UPDATED_AT_COLUMN, Column, Columns, api_only, related_name

MEASURE_COLUMNS = Columns(ID_COLUMN, *map(api_only, ("name", "kind", "unit", "target")), UPDATED_AT_COLUMN)

ENTRY_COLUMNS = Columns(
    ID_COLUMN,
    Column("measure", related_name("measure.name"), sql="measure_id", required=True),
    Column("month", lambda e: f"{e.period:%Y-%m}", required=True),
    api_only("period"),
    Column("offering", related_name("offering.name"), sql="offering_id"),
    Column("segment", related_name("segment"), sql="segment_id"),
    Column("value", lambda e: e.value, sql="value", required=True),
    api_only("origin"),
    Column("comment", lambda e: e.comment),
    UPDATED_AT_COLUMN,
)

COMPLAINT_COLUMNS = Columns(
    ID_COLUMN, api_only("received_on"), api_only("account", "account_id"), api_only("offering", "offering_id"),
    *map(api_only, ("category", "severity", "root_cause", "resolved_on")), UPDATED_AT_COLUMN)

RATING_COLUMNS = Columns(
    ID_COLUMN,
    Column("rated_on", lambda r: r.rated_on.isoformat(), sql="rated_on", required=True),
    Column("account", related_name("account.name"), sql="account_id", required=True),
    Column("offering", related_name("offering.name"), sql="offering_id", required=True),
    Column("value", lambda r: r.value, sql="value", required=True),
    Column("comment", lambda r: r.comment),
    UPDATED_AT_COLUMN,
)
