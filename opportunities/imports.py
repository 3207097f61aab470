"""Spreadsheet import of the Opportunity Manager (its columns: `exports.OPPORTUNITY_COLUMNS`;
the derived count and formula columns are ignored)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from simple_history.utils import bulk_create_with_history

from oe21.lib.spreadsheets import RowError, choice_value, find_record
from oe21.models import Account, Contact, Offering
from oe21.validators import check_not_future

from .access import check_can_change, check_owner
from .choices import ENGAGEMENT_STEPS, MAX_COMMENTS, LeadSource, Status, StatusReason, TouchOrigin
from .exports import OPPORTUNITY_COLUMNS
from .models import Comment, Opportunity, Touch
from .selectors import COUNT_COLUMNS
from .services import (
    check_status_reason,
    comment_add,
    opportunity_change_status,
    opportunity_create,
    opportunity_update,
    recount_touches,
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
        self.existing = {(o.account_id, o.offering_id): o
                         for o in Opportunity.objects.filter(cycle=cycle).prefetch_related("comments")}
        # Comments per account in the cycle: the standard's five are per customer or prospect.
        self.account_comments = dict(Comment.objects.filter(opportunity__cycle=cycle).values("opportunity__account")
                                     .annotate(n=Count("pk")).values_list("opportunity__account", "n"))
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
        counts = self._counts(line, row, errors)
        if account and offering:
            key = (account.pk, offering.pk)
            if key in self.seen:
                errors.append(RowError(line, f"{account.name} / {offering.name} is on line "
                                       f"{self.seen[key]} already.", "account"))
            self.seen.setdefault(key, line)
        if errors:
            return None, errors
        existing = self.existing.get((account.pk, offering.pk))
        touches, count_errors = _new_touches(line, existing, counts)
        comments, comment_errors = self._new_comments(line, row, account, existing)
        if count_errors or comment_errors:
            return None, count_errors + comment_errors
        if existing is not None and not touches and not comments and _unchanged(existing, data):
            return (existing, None, [], []), []  # a row exported and imported back as it was
        try:
            self._check(data, existing)
        except ValidationError as exc:
            return None, [RowError(line, m, "" if f == "__all__" else f)
                          for f, ms in exc.message_dict.items() for m in ms]
        except PermissionDenied as exc:
            return None, [RowError(line, str(exc), "salesperson")]
        return (existing, data, touches, comments), []

    def _new_comments(self, line, row, account, existing) -> tuple[list[str], list[RowError]]:
        """The lines of the comments cell that are not comments of the opportunity yet, within the
        account's five."""
        have = {" ".join(c.text.split()) for c in existing.comments.all()} if existing is not None else set()
        new = []
        for text in str(row.get("comments", "") or "").splitlines():
            text = " ".join(text.split())
            if text and text not in have and text not in new:
                new.append(text)
        if not new:
            return [], []
        total = self.account_comments.get(account.pk, 0) + len(new)
        if total > MAX_COMMENTS:
            return [], [RowError(line, f"{account.name} would have {total} comments: a customer or prospect keeps at "
                                       f"most {MAX_COMMENTS} in a cycle.", "comments")]
        self.account_comments[account.pk] = total
        return new, []

    @staticmethod
    def _counts(line, row, errors) -> dict[tuple[str, str], int]:
        """The count columns of a row as whole numbers ≥ 0 (an empty cell: not given)."""
        counts = {}
        for channel, direction, label in COUNT_COLUMNS:
            text = str(row.get(label.lower(), "") or "").strip()
            if not text:
                continue
            try:
                number = float(text)
            except ValueError:
                number = None
            if number is None or number < 0 or number != int(number):
                errors.append(RowError(line, f"“{text}” is not a whole number of 0 or more.", label.lower()))
                continue
            counts[(channel, direction)] = int(number)
        return counts

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
        touches, touched = [], set()
        for existing, data, new_touches, new_comments in cleaned:
            if data is None:
                counts["unchanged"] += 1
                continue
            if existing is None:
                existing = opportunity_create(data=data, user=self.user)
                counts["created"] += 1
            else:
                self._update(existing, data)
                counts["updated"] += 1
            touches += [(existing, channel, direction) for channel, direction in new_touches]
            for text in new_comments:
                comment_add(opportunity=existing, text=text, user=self.user)
                counts["comments added"] = counts.get("comments added", 0) + 1
        today = datetime.date.today()
        events = []
        for opportunity, channel, direction in touches:
            touched.add(opportunity.pk)
            events.append(Touch(opportunity=opportunity, occurred_on=today, channel=channel, direction=direction,
                                by=self.user, origin=TouchOrigin.IMPORTED,
                                note="Imported from the Opportunity Manager spreadsheet"))
        if events:
            bulk_create_with_history(events, Touch, batch_size=1000, default_user=self.user)
            recount_touches(touched)
            counts["touches imported"] = len(events)
        return counts


    def _update(self, existing, data):
        status = data.pop("status")
        reason, reason_text = data.pop("status_reason"), data.pop("status_reason_text")
        data.pop("cycle")
        opportunity_update(opportunity=existing, data=data, user=self.user)
        if status != existing.status:
            opportunity_change_status(opportunity=existing, status=status, user=self.user,
                                      reason=reason, reason_text=reason_text)


def _new_touches(line, existing, counts) -> tuple[list[tuple[str, str]], list[RowError]]:
    """(channel, direction) of each touch a row's counts add to the log; a count below the log's is
    refused (the log only grows: remove a touch on the opportunity's page)."""
    touches, errors = [], []
    for (channel, direction), wanted in counts.items():
        logged = getattr(existing, f"n_{channel}_{direction}") if existing is not None else 0
        if wanted < logged:
            label = next(label for c, d, label in COUNT_COLUMNS if (c, d) == (channel, direction))
            errors.append(RowError(line, f"{wanted} is below the {logged} touches logged already: counts only grow "
                                         "(a touch is removed on the opportunity's page).", label.lower()))
        touches += [(channel, direction)] * (wanted - logged)
    return touches, errors


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
