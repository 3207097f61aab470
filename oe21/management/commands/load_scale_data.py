"""Fill the configured database with a large, believable organisation (benchmarks, scale tests).

    manage.py load_scale_data --scale 1      # 10,000 accounts, 100,000 opportunities, 1,000,000 touches …
    manage.py load_scale_data --scale 0.01   # a hundredth of that, in seconds

The shared model and every task app register their steps (`oe21.registry.scale_step`). The
command refuses a database that holds records it did not make, and writes nothing then.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from oe21.registry import scale_steps
from oe21.scale import ScaleContext, already_loaded, foreign_records


class Command(BaseCommand):
    help = "Fill an empty database with a large organisation (--scale 1: 10,000 accounts, 1,000,000 touches)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0,
                            help="1 = 10,000 accounts, 100,000 opportunities, 1,000,000 touch events; "
                                 "0.01 = a hundredth (between 0.001 and 5).")

    def handle(self, *args, scale: float, **options):
        if not 0.001 <= scale <= 5:
            raise CommandError("--scale must be between 0.001 and 5.")
        foreign = foreign_records()
        if foreign:
            raise CommandError(f"This database holds records the scale loader did not make ({', '.join(foreign)}); "
                               "nothing was written. Load the scale data into an empty database.")
        if already_loaded():
            raise CommandError("This database holds the scale data already; nothing was written. "
                               "Load it into an empty database.")
        context = ScaleContext(scale=scale)
        started = time.monotonic()
        with transaction.atomic():
            for step in scale_steps():
                step_started = time.monotonic()
                step.run(context)
                self.stdout.write(f"  {step.name}: {time.monotonic() - step_started:.1f} s")
        if connection.vendor == "postgresql":
            # Fresh planner statistics and visibility map, as autovacuum would leave them later.
            # (VACUUM cannot run inside a transaction, as under a test; ANALYZE can.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Scale data loaded (scale {scale:g}) in {time.monotonic() - started:.0f} s: "
            f"{len(context.account_ids)} accounts, {len(context.offering_ids)} offerings."))
