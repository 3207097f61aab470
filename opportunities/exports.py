"""The columns of the Opportunity Manager, declared once for its spreadsheet export and import
and the REST API's streamed CSV (see `oe21.lib.spreadsheets.Columns`).

The count columns (emails sent, replies, …) are derived from the touch events: exported, and on
import a count above the log's becomes that many touch events marked "imported" (a team moving
its spreadsheet loses nothing). Sales efficiency, progress points and progress toward purchase
are exported and ignored on import. Spreadsheet cells read an `OpportunityRow` (the opportunity
and its figures).
"""

from oe21.lib.spreadsheets import ID_COLUMN, UPDATED_AT_COLUMN, Column, Columns, api_only

from .choices import ENGAGEMENT_STEPS, Direction
from .selectors import COUNT_COLUMNS


def _opportunity(attribute: str):
    return lambda row: getattr(row.opportunity, attribute)


def _step(name: str):
    def cell(row):
        day = getattr(row.opportunity, name)
        return day.isoformat() if day else ""

    return cell


def _count(channel: str, direction: str):
    return lambda row: row.figures.counts[channel][0 if direction == Direction.OUT else 1]


def _two_decimals(value) -> float | None:
    return None if value is None else round(float(value), 2)


OPPORTUNITY_COLUMNS = Columns(
    ID_COLUMN,
    api_only("cycle", "cycle_id"),
    Column("salesperson", lambda r: r.opportunity.salesperson.username, sql="salesperson_id", required=True),
    Column("salesperson_role", _opportunity("salesperson_role")),
    Column("offering", lambda r: r.opportunity.offering.name, sql="offering_id", required=True),
    Column("lead_source", _opportunity("lead_source"), sql="lead_source", required=True),
    Column("account", lambda r: r.opportunity.account.name, sql="account_id", required=True),
    Column("zip_code", lambda r: r.opportunity.account.zip_code),
    Column("contact", lambda r: r.opportunity.contact.name if r.opportunity.contact else ""),
    Column("contact_role", lambda r: r.opportunity.contact.decision_role if r.opportunity.contact else ""),
    Column("status", _opportunity("status"), sql="status"),
    Column("status_reason", _opportunity("status_reason")),
    Column("status_reason_text", _opportunity("status_reason_text")),
    # One comment per line; on import a line that is not a comment yet is added (five per account).
    Column("comments", lambda r: "\n".join(" ".join(c.text.split()) for c in r.opportunity.comments.all())),
    *(Column(name, _step(name)) for name, _ in ENGAGEMENT_STEPS),
    # Imported as touch events: a count higher than the log's becomes that many touches "imported".
    *(Column(label, _count(channel, direction)) for channel, direction, label in COUNT_COLUMNS),
    Column("touches_out", lambda r: r.figures.touches_out, imported=False),
    Column("responses", lambda r: r.figures.responses, imported=False),
    Column("sales_efficiency_pct", lambda r: _two_decimals(r.figures.efficiency), imported=False),
    Column("progress_points", lambda r: r.figures.points, imported=False),
    Column("progress_toward_purchase_pct", lambda r: _two_decimals(r.figures.progress), imported=False),
    UPDATED_AT_COLUMN,
)


# The touch log: the REST API's streamed CSV only (the spreadsheet carries the counts).
PROPOSAL_COLUMNS = Columns(ID_COLUMN, api_only("opportunity", "opportunity_id"), api_only("sent_on"),
                           api_only("offering", "offering_id"), *map(api_only, ("value", "outcome", "note")),
                           UPDATED_AT_COLUMN)

TOUCH_COLUMNS = Columns(ID_COLUMN, api_only("opportunity", "opportunity_id"),
                        *map(api_only, ("occurred_on", "channel", "direction", "origin")), api_only("by", "by_id"),
                        UPDATED_AT_COLUMN)
