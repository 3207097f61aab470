"""Spreadsheet import of the Opportunity Manager (its columns: `exports.OPPORTUNITY_COLUMNS`;
the derived count and formula columns are ignored)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from oe21.lib.spreadsheets import RowError, choice_value, find_record
from oe21.models import Account, Contact, Offering
from oe21.validators import check_not_future

from .access import check_can_change, check_owner
from .choices import ENGAGEMENT_STEPS, LeadSource, Status, StatusReason
from .exports import OPPORTUNITY_COLUMNS
from .models import Opportunity
from .services import (
    check_status_reason,
    opportunity_change_status,
    opportunity_create,
    opportunity_update,
)


class OpportunityImporter:
    """Creates or updates the opportunities of a cycle, matched by account and offering."""

    columns = [c.lower() for c in OPPORTUNITY_COLUMNS.sheet]
    required_columns = OPPORTUNITY_COLUMNS.required

    def __init__(self, *, cycle, user):
        self.cycle, self.user = cycle, user
        self.users = {u.username.lower(): u for u in get_user_model().objects.all()}
        self.offerings = {o.name.lower(): o for o in Offering.objects.all()}
        self.accounts = {a.name.lower(): a for a in Account.objects.all()}
        self.contacts = {(c.account_id, c.name.lower()): c for c in Contact.objects.all()}
        self.existing = {(o.account_id, o.offering_id): o for o in Opportunity.objects.filter(cycle=cycle)}
        self.seen: dict[tuple, int] = {}

    def clean_row(self, line, row):
        errors = []
        salesperson = find_record(errors, line, row, "salesperson", self.users, "user", required=True)
        offering = find_record(errors, line, row, "offering", self.offerings, "offering", required=True)
        account = find_record(errors, line, row, "account", self.accounts, "account", required=True)
        data = {"salesperson": salesperson, "offering": offering, "account": account,
                "salesperson_role": row.get("salesperson_role", "").strip(), "cycle": self.cycle}
        for column, choices, required in (("lead_source", LeadSource.choices, True),
                                          ("status", Status.choices, False),
                                          ("status_reason", StatusReason.choices, False)):
            text = row.get(column, "").strip()
            value = choice_value(choices, text) if text else ("" if not required else None)
            if value is None:
                allowed = ", ".join(v for v, _ in choices)
                errors.append(RowError(line, f"“{text}” is not one of: {allowed}." if text
                                       else f"The {column.replace('_', ' ')} is required.", column))
            data[column] = value
        data["status"] = data["status"] or Status.NO_PROGRESS
        data["status_reason_text"] = row.get("status_reason_text", "").strip()
        contact_name = row.get("contact", "").strip()
        data["contact"] = None
        if contact_name and account:
            data["contact"] = self.contacts.get((account.pk, contact_name.lower()))
            if data["contact"] is None:
                errors.append(RowError(line, f"{account.name} has no contact “{contact_name}”.", "contact"))
        zip_code = row.get("zip_code", "").strip()
        if zip_code and account and zip_code != account.zip_code:
            errors.append(RowError(line, f"{zip_code} differs from the account's ZIP code "
                                   f"{account.zip_code}.", "zip_code"))
        for name, _ in ENGAGEMENT_STEPS:
            text = row.get(name, "").strip()
            data[name] = None
            if text:
                try:
                    data[name] = datetime.date.fromisoformat(text[:10])
                except ValueError:
                    errors.append(RowError(line, f"“{text}” is not a date (YYYY-MM-DD).", name))
        if account and offering:
            key = (account.pk, offering.pk)
            if key in self.seen:
                errors.append(RowError(line, f"{account.name} / {offering.name} is on line "
                                       f"{self.seen[key]} already.", "account"))
            self.seen.setdefault(key, line)
        if errors:
            return None, errors
        existing = self.existing.get((account.pk, offering.pk))
        if existing is not None and _unchanged(existing, data):
            return (existing, None), []  # a row exported and imported back as it was
        try:
            self._check(data, existing)
        except ValidationError as exc:
            return None, [RowError(line, m, "" if f == "__all__" else f)
                          for f, ms in exc.message_dict.items() for m in ms]
        except PermissionDenied as exc:
            return None, [RowError(line, str(exc), "salesperson")]
        return (existing, data), []

    def _check(self, data, existing):
        # The same access rule as the pages: only the owner (or the LFT chair) changes a row.
        if existing is not None:
            check_can_change(self.user, existing)
        if existing is None or existing.salesperson_id != data["salesperson"].pk:
            check_owner(salesperson=data["salesperson"], user=self.user)
        check_not_future({name: data[name] for name, _ in ENGAGEMENT_STEPS})
        if existing is None and data["status"] == Status.NO_PROGRESS:
            return  # a new opportunity starts at No progress without a reason
        if existing is None or existing.status != data["status"]:
            check_status_reason(data["status"], data["status_reason"], data["status_reason_text"],
                                 leaving=existing.status if existing else "")

    def save(self, cleaned):
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for existing, data in cleaned:
            if data is None:
                counts["unchanged"] += 1
                continue
            if existing is None:
                opportunity_create(data=data, user=self.user)
                counts["created"] += 1
                continue
            status = data.pop("status")
            reason, reason_text = data.pop("status_reason"), data.pop("status_reason_text")
            data.pop("cycle")
            opportunity_update(opportunity=existing, data=data, user=self.user)
            if status != existing.status:
                opportunity_change_status(opportunity=existing, status=status, user=self.user,
                                          reason=reason, reason_text=reason_text)
            counts["updated"] += 1
        return counts


def _unchanged(existing: Opportunity, data: dict) -> bool:
    """Whether a row says what the opportunity says already (every imported field)."""
    for name, value in data.items():
        if name == "cycle":
            continue
        field = Opportunity._meta.get_field(name)
        current = getattr(existing, field.attname)
        if field.is_relation:
            value = value.pk if value is not None else None
        if (current or None) != (value or None):
            return False
    return True
