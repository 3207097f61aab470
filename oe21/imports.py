"""Spreadsheet import of the account and contact lists (their columns: `oe21.exports.ACCOUNT_COLUMNS`,
`CONTACT_COLUMNS`)."""

from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .choices import AccountKind, AgeGroup, DecisionRole, LifecycleStage
from .exports import ACCOUNT_COLUMNS, CONTACT_COLUMNS
from .lib.spreadsheets import BULK_BATCH, RowError, choice_value
from .models import Account, Contact, MarketSegment


def save_in_bulk(model, cleaned, user) -> dict:
    """Write an import's new and changed records in bulk, each with its history entry naming who
    imported it."""
    new = [record for record in cleaned if not record.pk]
    changed = [record for record in cleaned if record.pk]
    now = timezone.now()
    for record in cleaned:
        record.updated_at = now
    bulk_create_with_history(new, model, batch_size=BULK_BATCH, default_user=user)
    bulk_update_with_history(changed, model, [f.name for f in model._meta.concrete_fields
                                              if not f.primary_key and f.name != "created_at"],
                             batch_size=500, default_user=user)
    return {"created": len(new), "updated": len(changed)}


class AccountImporter:
    """Creates new accounts and updates existing ones, matched by name (ignoring case)."""

    columns = ACCOUNT_COLUMNS.sheet
    required_columns = ACCOUNT_COLUMNS.required

    def __init__(self, user=None):
        self.user = user
        self.existing = {a.name.lower(): a for a in Account.objects.all()}
        self.segments = {str(s).lower(): s for s in MarketSegment.objects.select_related("parent")}
        self.users = {u.username.lower(): u for u in get_user_model().objects.all()}
        self.seen: dict[str, int] = {}

    def clean_row(self, line, row):
        errors = []
        name = row.get("name", "").strip()
        if not name:
            return None, [RowError(line, "The account name is required.", "name")]
        if name.lower() in self.seen:
            errors.append(RowError(line, f"“{name}” appears already on line {self.seen[name.lower()]}.",
                                   "name"))
        self.seen.setdefault(name.lower(), line)

        data = {"name": name, "naics_code": row.get("naics_code", "").strip(),
                "zip_code": row.get("zip_code", "").strip()}
        for column, choices, default in (("kind", AccountKind.choices, AccountKind.PROSPECT),
                                         ("lifecycle_stage", LifecycleStage.choices,
                                          LifecycleStage.INITIATION)):
            text = row.get(column, "").strip()
            value = choice_value(choices, text) if text else default
            if value is None:
                allowed = ", ".join(v for v, _ in choices)
                errors.append(RowError(line, f"“{text}” is not one of: {allowed}.", column))
            data[column] = value
        segment_text = row.get("segment", "").strip()
        data["segment"] = self.segments.get(segment_text.lower()) if segment_text else None
        if segment_text and data["segment"] is None:
            errors.append(RowError(line, f"There is no market segment “{segment_text}”.", "segment"))
        elif data["segment"] is not None and not data["segment"].is_active:
            stored = self.existing.get(name.lower())
            if stored is None or stored.segment_id != data["segment"].pk:  # an account already in it keeps it
                errors.append(RowError(line, f"The market segment “{segment_text}” is retired: choose an active "
                                             "one.", "segment"))
        owner_text = row.get("owner", "").strip()
        data["owner"] = self.users.get(owner_text.lower()) if owner_text else None
        if owner_text and data["owner"] is None:
            errors.append(RowError(line, f"There is no user “{owner_text}”.", "owner"))

        if "annual_spend" in row:  # a file without the column leaves the spend as it is
            text = str(row["annual_spend"] or "").strip().replace(",", "")
            try:
                data["annual_spend"] = Decimal(text) if text else None
                if data["annual_spend"] is not None and not data["annual_spend"].is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                errors.append(RowError(line, f"“{row['annual_spend']}” is not an amount.", "annual_spend"))

        account = self.existing.get(name.lower()) or Account()
        already_wrong = {e.column for e in errors}
        for field, value in data.items():
            if field not in already_wrong:
                setattr(account, field, value)
        try:
            # Names are matched above, so the per-row unique check is not needed.
            account.full_clean(exclude=already_wrong, validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(line, message, "" if field == "__all__" else field))
        return account, errors

    def save(self, cleaned):
        return save_in_bulk(Account, cleaned, self.user)


class ContactImporter:
    """Creates new contacts and updates existing ones, matched by account and name (ignoring case)."""

    columns = CONTACT_COLUMNS.sheet
    required_columns = CONTACT_COLUMNS.required

    def __init__(self, user=None):
        self.user = user
        self.accounts = {name.lower(): pk for pk, name in Account.objects.values_list("pk", "name")}
        self.existing = {(c.account_id, c.name.lower()): c for c in Contact.objects.all()}
        self.seen: dict[tuple[int, str], int] = {}

    def clean_row(self, line, row):
        errors = []
        account_name, name = row.get("account", "").strip(), row.get("name", "").strip()
        account_id = self.accounts.get(account_name.lower())
        if not account_name:
            errors.append(RowError(line, "The account is required.", "account"))
        elif account_id is None:
            errors.append(RowError(line, f"There is no account “{account_name}”.", "account"))
        if not name:
            errors.append(RowError(line, "The contact's name is required.", "name"))
        if errors:
            return None, errors
        key = (account_id, name.lower())
        if key in self.seen:
            errors.append(RowError(line, f"“{name}” of {account_name} appears already on line {self.seen[key]}.",
                                   "name"))
        self.seen.setdefault(key, line)
        contact = self.existing.get(key) or Contact(account_id=account_id)
        contact.name = name
        for column in ("title", "email", "phone"):
            setattr(contact, column, row.get(column, "").strip())
        for column, choices, default in (("age_group", AgeGroup.choices, ""),
                                         ("decision_role", DecisionRole.choices, DecisionRole.OTHER)):
            text = row.get(column, "").strip()
            value = choice_value(choices, text) if text else default
            if value is None:
                errors.append(RowError(line, f"“{text}” is not one of: {', '.join(v for v, _ in choices)}.", column))
                value = default
            setattr(contact, column, value)
        try:
            contact.full_clean(exclude=["account"] + [e.column for e in errors], validate_constraints=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                for message in messages:
                    errors.append(RowError(line, message, "" if field == "__all__" else field))
        return contact, errors

    def save(self, cleaned):
        return save_in_bulk(Contact, cleaned, self.user)
