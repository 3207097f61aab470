"""The columns of the costs, cycle times and revenue table (Task 3.2.6), declared once for its
spreadsheet import (and export) — see `oe21.lib.spreadsheets.Columns`."""

from oe21.lib.spreadsheets import Column, Columns, related_name

# The figures after offering and month, each a number; units 0 and cycle times empty by default.
FIGURE_FIELDS = ["revenue", "cost_of_goods_sold", "units", "design_days", "produce_days", "deliver_days",
                 "support_days"]
REQUIRED_FIGURES = {"revenue", "cost_of_goods_sold"}


def _figure(name: str):
    return lambda cost: getattr(cost, name)


COST_COLUMNS = Columns(
    Column("offering", related_name("offering.name"), required=True),
    Column("month", lambda cost: f"{cost.period:%Y-%m}", required=True),
    *(Column(name, _figure(name), required=name in REQUIRED_FIGURES) for name in FIGURE_FIELDS),
)
