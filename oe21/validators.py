"""Field validators of the shared model; the model runs them on every save path."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from . import reference


def validate_naics_code(value: str) -> None:
    if not reference.NAICS_PATTERN.match(value or ""):
        raise ValidationError("A NAICS code has 2 to 6 digits.", code="naics_format")
    if reference.naics_title(value) is None:
        raise ValidationError(
            "%(value)s is not a code on the 2022 NAICS list.", code="naics_unknown",
            params={"value": value},
        )


def validate_zip_code(value: str) -> None:
    if not reference.ZIP_PATTERN.match(value or ""):
        raise ValidationError(
            "Enter a US ZIP code as 5 digits or ZIP+4 (12345 or 12345-6789).", code="zip_format"
        )
    if reference.zip_place(value) is None:
        raise ValidationError(
            "%(value)s is not a real US ZIP code.", code="zip_unknown", params={"value": value}
        )


FUTURE_DATE = "This date is in the future."


def validate_not_future(value) -> None:
    """A date of something that happened (a touch, a rating, a step done) is not after today."""
    if isinstance(value, datetime.date) and value > timezone.localdate():
        raise ValidationError(FUTURE_DATE, code="future_date")


def check_not_future(dates: dict) -> None:
    """`validate_not_future` on several named dates at once; the error names each field."""
    errors = {}
    for name, value in dates.items():
        try:
            validate_not_future(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
