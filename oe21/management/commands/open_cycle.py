"""Open an engagement cycle from the command line (the same service as the portal's page):

    manage.py open_cycle FY2028 --starts 2027-07-01 --ends 2028-06-30 [--no-carry open_opportunities] [--by chair]

It gets its seven milestones, becomes the current cycle, closes the previous one and carries
forward what the apps registered (everything unless --no-carry names it).
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from oe21.registry import carry_forward_steps
from oe21.services import cycle_open


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"“{value}” is not a date in the form YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = "Open an engagement cycle: its seven milestones, made current, work carried forward."

    def add_arguments(self, parser):
        keys = [step.key for step in carry_forward_steps()]
        parser.add_argument("name")
        parser.add_argument("--starts", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--ends", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--no-carry", action="append", default=[], choices=keys,
                            help="Do not carry this forward (repeatable).")
        parser.add_argument("--by", help="Username recorded in the audit history (must be allowed to open cycles).")
        parser.add_argument("--confirm", action="store_true",
                            help="Open it although a milestone of the current cycle waits for approval.")

    def handle(self, *args, name, starts, ends, no_carry, by, confirm, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"There is no user “{by}”.")
        carry = [step.key for step in carry_forward_steps() if step.key not in no_carry]
        try:
            opened = cycle_open(name=name, starts_on=_date(starts), ends_on=_date(ends), user=user, carry=carry,
                                confirmed=confirm)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        cycle, closed = opened.cycle, f"; {opened.previous} is closed." if opened.previous else "."
        self.stdout.write(self.style.SUCCESS(f"Opened {cycle} ({cycle.starts_on} – {cycle.ends_on}){closed}"))
        for key, count in opened.carried.items():
            self.stdout.write(f"  {key.replace('_', ' ')} carried forward: {count}")
