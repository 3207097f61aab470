"""Spreadsheet import of the prioritization matrix (its columns: `exports.matrix_columns`; the
computed score columns are ignored)."""

from django.core.exceptions import ValidationError

from oe21.choices import AgeGroup
from oe21.lib.spreadsheets import RowError, choice_value, find_record
from oe21.models import Account, Offering
from oe21.validators import validate_naics_code, validate_zip_code

from .exports import matrix_columns
from .models import RATING_MAX, RATING_MIN, Assessment
from .services import AssessmentInput, assessments_save


class MatrixImporter:
    """Creates or updates the assessments of a cycle, matched by account and offering."""

    def __init__(self, *, cycle, criteria, user=None):
        self.cycle, self.criteria, self.user = cycle, criteria, user
        columns = matrix_columns(criteria)
        self.columns, self.required_columns = columns.sheet, columns.required
        self.accounts = {a.name.lower(): a for a in Account.objects.all()}
        self.offerings = {o.name.lower(): o for o in Offering.objects.all()}
        self.existing = {(a.account_id, a.offering_id): a for a in
                         Assessment.objects.filter(cycle=cycle).prefetch_related("ratings")}
        self.seen: dict[tuple[int, int], int] = {}

    def clean_row(self, line, row):
        errors = []
        account = find_record(errors, line, row, "account", self.accounts, "account", required=True)
        offering = find_record(errors, line, row, "offering", self.offerings, "offering", required=True)
        if account and offering:
            key = (account.pk, offering.pk)
            if key in self.seen:
                errors.append(RowError(line, f"“{account.name}” is rated for “{offering.name}” "
                                       f"on line {self.seen[key]} already.", "account"))
            self.seen.setdefault(key, line)
        errors += self._check_codes(line, row, account)
        name = row.get("respondent_name", "").strip()
        if not name:
            errors.append(RowError(line, "The respondent's name is required.", "respondent_name"))
        age_text = row.get("respondent_age_group", "").strip()
        age_group = choice_value(AgeGroup.choices, age_text) if age_text else ""
        if age_group is None:
            errors.append(RowError(line, f"“{age_text}” is not an age group.", "respondent_age_group"))
        ratings = {}
        for criterion in self.criteria:
            text = row.get(criterion.name.lower(), "").strip()
            if not text:
                ratings[criterion.pk] = None
            elif text.isdigit() and RATING_MIN <= int(text) <= RATING_MAX:
                ratings[criterion.pk] = int(text)
            else:
                errors.append(RowError(line, f"“{text}” is not a rating from {RATING_MIN} to "
                                       f"{RATING_MAX}.", criterion.name))
        if errors:
            return None, errors
        return (offering, AssessmentInput(
            account=account, respondent_name=name, respondent_role=row.get("respondent_role", "").strip(),
            respondent_age_group=age_group, ratings=ratings,
            assessment=self.existing.get((account.pk, offering.pk)))), []

    def _check_codes(self, line, row, account) -> list[RowError]:
        """NAICS and ZIP come from the account; the file's copy must be valid and agree."""
        errors = []
        for column, validate, stored in (("naics_code", validate_naics_code, "naics_code"),
                                         ("zip_code", validate_zip_code, "zip_code")):
            text = row.get(column, "").strip()
            if not text:
                continue
            try:
                validate(text)
            except ValidationError as exc:
                errors.append(RowError(line, " ".join(exc.messages), column))
                continue
            if account and text != getattr(account, stored):
                errors.append(RowError(
                    line, f"{text} differs from the account's {column.replace('_', ' ')} "
                          f"{getattr(account, stored)}; change it on the account page.", column))
        return errors

    def save(self, cleaned):
        counts = {"created": 0, "updated": 0}
        for offering, row in cleaned:
            result = assessments_save(cycle=self.cycle, offering=offering, rows=[row], user=self.user)
            for key in counts:
                counts[key] += result[key]
        return counts
