"""manage.py risk_backtest --from YYYY-MM --to YYYY-MM: how well the early-warning rule (metrics.risk)
foresaw trouble. For each month, the rule is applied as of the month's end to the records of that day;
of the accounts it ranks in the top 10 % (and of those at or over the threshold), how many complained,
rated lower or stopped responding in the next three months — beside the base rate of all accounts."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from metrics.risk import OUTCOME_MONTHS, TOP_SHARE, backtest
from metrics.services import risk_threshold


def _month(text: str, option: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"{option} must be a month as YYYY-MM (for example 2027-01), not “{text}”.") from None


def _percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", required=True, help="The first month replayed, YYYY-MM.")
        parser.add_argument("--to", dest="last", required=True, help="The last month replayed, YYYY-MM.")
        parser.add_argument("--threshold", type=int, default=None,
                            help="The score counted as flagged (default: the organisation's, 0–100).")

    def handle(self, *args, first, last, threshold, **options):
        first, last = _month(first, "--from"), _month(last, "--to")
        if first > last:
            raise CommandError(f"--from ({first:%Y-%m}) is after --to ({last:%Y-%m}).")
        if threshold is None:
            threshold = risk_threshold()
        elif not 0 <= threshold <= 100:
            raise CommandError(f"--threshold must be a score from 0 to 100, not {threshold}.")
        months = backtest(first, last, threshold=threshold)
        if not any(m.accounts for m in months):
            raise CommandError(f"No data from {first:%Y-%m} to {last:%Y-%m}: no rating, complaint, survey answer "
                               "or touch of any account by then.")
        top = f"top {TOP_SHARE:.0%}"
        self.stdout.write(f"Risk back-test, threshold {threshold}; outcome: a complaint, a lower rating or no more "
                          f"responses in the {OUTCOME_MONTHS} months after.\n")
        self.stdout.write(f"| month | accounts | {top} | with outcome | precision, {top} | flagged | precision, "
                          "flagged | base rate | lift |\n|---|---|---|---|---|---|---|---|---|")
        for m in months:
            lift = (f"{m.precision_at_top / m.base_rate:.2f}×" if m.precision_at_top is not None and m.base_rate
                    else "—")
            note = "" if m.window_over else " (outcome months not over)"
            self.stdout.write(f"| {m.month:%Y-%m}{note} | {m.accounts} | {m.top} | {m.top_with_outcome} | "
                              f"{_percent(m.precision_at_top)} | {m.flagged} | {_percent(m.flagged_precision)} | "
                              f"{_percent(m.base_rate)} | {lift} |")
        top_n, top_hit = sum(m.top for m in months), sum(m.top_with_outcome for m in months)
        n, hit = sum(m.accounts for m in months), sum(m.with_outcome for m in months)
        self.stdout.write(f"\nAll months: precision at the {top} {_percent(top_hit / top_n if top_n else None)}, "
                          f"base rate {_percent(hit / n if n else None)}.")
