"""Human words for values on screen: people by name, money with the organisation's currency,
numbers with thousands separators, dates in the locale's one format (SPEC §12; #16)."""

import datetime
import decimal
import re

from django.core.cache import cache
from django.utils import formats

SETTINGS_CACHE_KEY = "oe21:organisation-settings"
# The organisation profile's settings pages read on every request, and their defaults (before a
# profile exists).
ORGANISATION_DEFAULTS = {"currency": "USD"}


def person(user) -> str:
    """A user as people know them: the full name, else the username; "—" for nobody."""
    if user is None or user == "":
        return "—"
    return user.get_full_name() or user.username


def organisation_setting(name: str):
    """One of the organisation profile's `ORGANISATION_DEFAULTS` settings, read once and cached
    (cleared when the profile is saved)."""
    def read():
        from .models import OrganisationProfile

        return OrganisationProfile.objects.values(*ORGANISATION_DEFAULTS).first() or ORGANISATION_DEFAULTS
    return cache.get_or_set(SETTINGS_CACHE_KEY, read, 300)[name]


def forget_organisation_settings(**kwargs) -> None:
    cache.delete(SETTINGS_CACHE_KEY)


def organisation_currency() -> str:
    """The organisation profile's currency code (ISO 4217)."""
    return organisation_setting("currency")


def number(value, places: int = 2) -> str:
    """1234567.5 → "1,234,567.50" (the locale's separators); "—" for no value."""
    if value is None or value == "":
        return "—"
    try:
        value = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return str(value)
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def money(value, places: int = 2) -> str:
    """176000 → "USD 176,000.00" in the organisation's currency; "—" for no value."""
    if value is None or value == "":
        return "—"
    return f"{organisation_currency()} {number(value, places)}"


def quantity(value, unit: str = "") -> str:
    """A measure's value with its unit in words: 4 on a "1–5" scale → "4.0 of 5", 12.5 "%" →
    "12.5 %", 36 "points" → "36 points"; "—" for no value."""
    if value is None or value == "":
        return "—"
    unit = (unit or "").strip()
    scale = re.fullmatch(r"(\d+)\s*[–-]\s*(\d+)", unit)
    if scale:
        return f"{number(value, 1)} of {scale.group(2)}"
    value = decimal.Decimal(str(value))
    places = 0 if value == value.to_integral_value() else (1 if unit == "%" else 2)
    if unit == "%":
        return f"{number(value, places)} %"
    return f"{number(value, places)} {unit}".strip()


def when(value) -> str:
    """A date or a date and time in the locale's format."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime.datetime):
        return formats.date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)
