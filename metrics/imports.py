"""Spreadsheet imports of measure entries and customer ratings (all-or-nothing)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from oe21.lib.records import model_update
from oe21.lib.spreadsheets import RowError, find_record, parse_month
from oe21.models import Account, MarketSegment, Offering
from oe21.validators import validate_not_future

from .choices import EntryOrigin
from .exports import ENTRY_COLUMNS, RATING_COLUMNS
from .models import CustomerRating, Measure
from .services import check_period, entry_save


class _Lookups:
    def __init__(self):
        self.offerings = {o.name.lower(): o for o in Offering.objects.all()}
        self.segments = {str(s).lower(): s for s in MarketSegment.objects.select_related("parent")}


def _number(errors, line, text, column) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        errors.append(RowError(line, f"“{text}” is not a number.", column))
        return None
    if not value.is_finite():
        errors.append(RowError(line, f"“{text}” is not a number.", column))
        return None
    return value


class EntryImporter(_Lookups):
    columns = ENTRY_COLUMNS.sheet
    required_columns = ENTRY_COLUMNS.required

    def __init__(self, *, user):
        super().__init__()
        self.user = user
        self.measures = {m.name.lower(): m for m in Measure.objects.all()}
        self.seen: dict[tuple, int] = {}

    def clean_row(self, line, row):
        errors = []
        measure = find_record(errors, line, row, "measure", self.measures, "measure", required=True)
        month = parse_month(row.get("month", "").strip())
        if month is None:
            errors.append(RowError(line, f"“{row.get('month', '')}” is not a month (YYYY-MM).", "month"))
        offering = find_record(errors, line, row, "offering", self.offerings, "offering")
        segment = find_record(errors, line, row, "segment", self.segments, "market segment")
        value = _number(errors, line, row.get("value", ""), "value")
        if measure and measure.is_computed:
            errors.append(RowError(line, f"{measure.name} is computed; it is not imported.", "measure"))
        if measure and month and not errors:
            try:
                check_period(measure, month)
            except ValidationError as exc:
                errors.append(RowError(line, " ".join(exc.messages), "month"))
            key = (measure.pk, month, offering and offering.pk, segment and segment.pk)
            if key in self.seen:
                errors.append(RowError(line, f"The same value is on line {self.seen[key]} already.", "month"))
            self.seen.setdefault(key, line)
        if errors:
            return None, errors
        return {"measure": measure, "period": month, "offering": offering, "segment": segment, "value": value,
                "comment": row.get("comment", "").strip()}, []

    def save(self, cleaned):
        for data in cleaned:
            entry_save(user=self.user, origin=EntryOrigin.IMPORTED, **data)
        return {"saved": len(cleaned)}


class RatingImporter(_Lookups):
    """Customer ratings, matched by (rated on, account, offering): importing a file again updates
    the ratings it names (or leaves them as they are), it never adds them twice."""

    columns = RATING_COLUMNS.sheet
    required_columns = RATING_COLUMNS.required

    def __init__(self, *, user):
        super().__init__()
        self.user = user
        self.accounts = {a.name.lower(): a for a in Account.objects.all()}
        self.seen: dict[tuple, int] = {}

    def clean_row(self, line, row):
        errors = []
        account = find_record(errors, line, row, "account", self.accounts, "account", required=True)
        offering = find_record(errors, line, row, "offering", self.offerings, "offering", required=True)
        text = row.get("rated_on", "").strip()
        try:
            rated_on = datetime.date.fromisoformat(text[:10])
        except ValueError:
            rated_on = None
            errors.append(RowError(line, f"“{text}” is not a date (YYYY-MM-DD).", "rated_on"))
        try:
            validate_not_future(rated_on)
        except ValidationError as exc:
            errors.append(RowError(line, " ".join(exc.messages), "rated_on"))
        value = row.get("value", "").strip()
        if not (value.isdigit() and 1 <= int(value) <= 5):
            errors.append(RowError(line, f"“{value}” is not a rating from 1 to 5.", "value"))
        if not errors:
            key = (rated_on, account.pk, offering.pk)
            if key in self.seen:
                errors.append(RowError(line, f"{account.name} rated {offering.name} on {rated_on} on line "
                                             f"{self.seen[key]} already.", "rated_on"))
            self.seen.setdefault(key, line)
        if errors:
            return None, errors
        return CustomerRating(rated_on=rated_on, account=account, offering=offering, value=int(value),
                              comment=row.get("comment", "").strip(), entered_by=self.user), []

    def save(self, cleaned):
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        existing = {}
        for rating in CustomerRating.objects.filter(rated_on__in={r.rated_on for r in cleaned}).order_by("pk"):
            existing.setdefault((rating.rated_on, rating.account_id, rating.offering_id), rating)
        for rating in cleaned:
            stored = existing.get((rating.rated_on, rating.account_id, rating.offering_id))
            if stored is None:
                rating._history_user = self.user
                rating.save()
                counts["created"] += 1
                continue
            stored._history_user = self.user
            _, changed = model_update(stored, data={"value": rating.value, "comment": rating.comment})
            counts["updated" if changed else "unchanged"] += 1
        return counts
