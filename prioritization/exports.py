"""The columns of the prioritization matrix (Task 3.2.1), declared once for its spreadsheet export
and import and the REST API's streamed CSV (see `oe21.lib.spreadsheets.Columns`).

One column per active criterion (its name) follows the respondent; score, score_100 and
estimated success are computed: exported, and ignored on import. Spreadsheet cells read a
`selectors.MatrixRow`.
"""

from oe21.lib.spreadsheets import ID_COLUMN, UPDATED_AT_COLUMN, Column, Columns, api_only


def _assessment(attribute: str):
    return lambda row: getattr(row.assessment, attribute)


def _rating(index: int):
    return lambda row: row.cells[index]


def _rounded(value, places: int):
    return None if value is None else round(float(value), places)


def matrix_columns(criteria) -> Columns:
    return Columns(
        ID_COLUMN,
        api_only("cycle", "cycle_id"),
        Column("account", lambda r: r.assessment.account.name, sql="account_id", required=True),
        Column("naics_code", lambda r: r.assessment.account.naics_code),
        Column("zip_code", lambda r: r.assessment.account.zip_code),
        Column("segment", lambda r: r.assessment.account.market_segment_name),
        Column("offering", lambda r: r.assessment.offering.name, sql="offering_id", required=True),
        Column("respondent_name", _assessment("respondent_name"), sql="respondent_name", required=True),
        Column("respondent_role", _assessment("respondent_role")),
        Column("respondent_age_group", _assessment("respondent_age_group")),
        *(Column(criterion.name, _rating(index)) for index, criterion in enumerate(criteria)),
        Column("score", lambda r: _rounded(r.score.value, 2), imported=False),
        Column("score_100", lambda r: _rounded(r.score.percent, 1), imported=False),
        Column("estimated_success", lambda r: r.estimated_success, imported=False),
        api_only("success_override"),
        UPDATED_AT_COLUMN,
    )
