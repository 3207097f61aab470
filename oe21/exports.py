"""The columns of the shared model's tables, declared once for the spreadsheet export and import
and the REST API's streamed CSV (see `oe21.lib.spreadsheets.Columns`)."""

from .lib.spreadsheets import ID_COLUMN as ID
from .lib.spreadsheets import UPDATED_AT_COLUMN as UPDATED_AT
from .lib.spreadsheets import Column, Columns, api_only, related_name

ACCOUNT_COLUMNS = Columns(
    ID,
    Column("name", lambda a: a.name, sql="name", required=True),
    Column("kind", lambda a: a.kind, sql="kind"),
    Column("naics_code", lambda a: a.naics_code, sql="naics_code", required=True),
    Column("zip_code", lambda a: a.zip_code, sql="zip_code", required=True),
    Column("segment", lambda a: str(a.segment) if a.segment else "", sql="segment_id"),
    Column("lifecycle_stage", lambda a: a.lifecycle_stage, sql="lifecycle_stage"),
    Column("owner", related_name("owner.username"), sql="owner_id"),
    Column("annual_spend", lambda a: a.annual_spend, sql="annual_spend"),
    UPDATED_AT,
)

CONTACT_COLUMNS = Columns(
    ID,
    Column("account", lambda c: c.account.name, sql="account_id", required=True),
    Column("name", lambda c: c.name, sql="name", required=True),
    Column("title", lambda c: c.title, sql="title"),
    Column("age_group", lambda c: c.age_group, sql="age_group"),
    Column("email", lambda c: c.email, sql="email"),
    Column("phone", lambda c: c.phone, sql="phone"),
    Column("decision_role", lambda c: c.decision_role, sql="decision_role"),
    UPDATED_AT,
)

SEGMENT_COLUMNS = Columns(ID, api_only("name"), api_only("description"), api_only("parent", "parent_id"), UPDATED_AT)

OFFERING_COLUMNS = Columns(ID, *map(api_only, ("name", "kind", "status", "price", "unit")), UPDATED_AT)

MILESTONE_COLUMNS = Columns(ID, api_only("cycle", "cycle_id"), *map(api_only, ("number", "state", "decided_at")),
                            UPDATED_AT)
