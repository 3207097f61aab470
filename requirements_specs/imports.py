"""Spreadsheet import of costs, cycle times and revenue (all-or-nothing)."""

from decimal import Decimal, InvalidOperation

from oe21.lib.spreadsheets import RowError, find_record, parse_month
from oe21.models import Offering

from .exports import COST_COLUMNS, FIGURE_FIELDS
from .services import cost_save


class CostImporter:
    columns = COST_COLUMNS.sheet
    required_columns = COST_COLUMNS.required

    def __init__(self, *, user):
        self.user = user
        self.offerings = {o.name.lower(): o for o in Offering.objects.all()}
        self.seen: dict[tuple, int] = {}

    def clean_row(self, line, row):
        errors = []
        offering = find_record(errors, line, row, "offering", self.offerings, "offering", required=True)
        month = parse_month(row.get("month", "").strip())
        if month is None:
            errors.append(RowError(line, f"“{row.get('month', '')}” is not a month (YYYY-MM).", "month"))
        data = {"offering": offering, "period": month}
        for column in FIGURE_FIELDS:
            text = row.get(column, "").strip().replace(",", "")
            required = column in self.required_columns
            if not text:
                if required:
                    errors.append(RowError(line, f"The {column.replace('_', ' ')} is required.", column))
                data[column] = 0 if column == "units" else None
                continue
            try:
                value = Decimal(text)
            except InvalidOperation:
                errors.append(RowError(line, f"“{text}” is not a number.", column))
                continue
            if not value.is_finite() or value < 0:
                errors.append(RowError(line, f"“{text}” cannot be negative." if value.is_finite() and value < 0
                                       else f"“{text}” is not a number.", column))
                continue
            if column == "units" and value != int(value):
                errors.append(RowError(line, "Units are a whole number.", column))
                continue
            data[column] = int(value) if column == "units" else value
        if offering and month:
            key = (offering.pk, month)
            if key in self.seen:
                errors.append(RowError(line, f"{offering.name} {month:%Y-%m} is on line {self.seen[key]} already.",
                                       "month"))
            self.seen.setdefault(key, line)
        return (None, errors) if errors else (data, [])

    def save(self, cleaned):
        for data in cleaned:
            cost_save(data=data, user=self.user)
        return {"saved": len(cleaned)}
