"""Calendar months as the first day of the month: the periods of measures, costs and reviews."""

import datetime


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_back(last: datetime.date, count: int) -> list[datetime.date]:
    """The `count` months ending with the month of `last`, oldest first."""
    last = month_start(last)
    return [add_months(last, -i) for i in range(count - 1, -1, -1)]


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)
