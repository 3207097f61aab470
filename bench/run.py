"""Benchmarks, run on demand (not in CI): `scripts/bench`.

Builds a scratch PostgreSQL database (oe21_bench, dropped at the end), fills it, and times
the operations whose speed matters. Results go to stdout as a table; README.md reports them.
"""

import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oe21.settings")
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres")
BENCH_DB = "oe21_bench"


def _admin_connection():
    import psycopg

    url = BASE_URL.rsplit("/", 1)[0] + "/postgres"
    return psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True)


def main(accounts: int = 200_000, opportunities: int = 2_000, touches: int = 20_000, measures: int = 50):
    with _admin_connection() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        conn.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["DATABASE_URL"] = BASE_URL.rsplit("/", 1)[0] + f"/{BENCH_DB}"
    try:
        run(accounts, opportunities, touches, measures)
    finally:
        from django.db import connections

        connections.close_all()
        with _admin_connection() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def timed(label, fn, repeat=3):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    print(f"| {label} | {statistics.median(times) * 1000:.0f} ms |")
    return result


def run(n_accounts, n_opportunities, n_touches, n_measures):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User

    from metrics.computations import add_months, months_back
    from metrics.models import Measure, MeasureEntry
    from oe21.api.base import csv_chunks_from_copy, csv_chunks_from_cursor, export_sql
    from oe21.api.tokens import api_token_create
    from oe21.models import Account, Offering
    from oe21.services import cycle_create
    from opportunities.models import Opportunity, Touch

    rng = random.Random(1)
    print(f"Filling: {n_accounts} accounts, {n_opportunities} opportunities, {n_touches} touches, "
          f"{n_measures} measures × 36 months …", flush=True)
    Account.objects.bulk_create([Account(name=f"Account {i:07d}", kind="prospect", naics_code="541511",
                                         zip_code="77429") for i in range(n_accounts)], batch_size=5000)
    offering = Offering.objects.create(name="Bench offering")
    user = User.objects.create_user("bench", password="x")
    user.groups.add(Group.objects.get(name="LFT chair"))
    pms = User.objects.create_user("pms-bench", password="x")
    pms.groups.add(Group.objects.get(name="PMS client"))
    today = datetime.date.today()
    cycle = cycle_create(name="Bench", starts_on=today.replace(month=1, day=1), ends_on=today.replace(month=12, day=31))
    account_ids = list(Account.objects.values_list("pk", flat=True)[:n_opportunities])
    Opportunity.objects.bulk_create([Opportunity(cycle=cycle, salesperson=user, offering=offering, lead_source="email",
                                                 account_id=a) for a in account_ids])
    opportunity_ids = list(Opportunity.objects.values_list("pk", flat=True))
    Touch.objects.bulk_create([Touch(opportunity_id=rng.choice(opportunity_ids), channel="email",
                                     direction=rng.choice(["out", "in"]), occurred_on=today) for _ in range(n_touches)],
                              batch_size=5000)
    period = months_back(add_months(today.replace(day=1), -1), 36)
    for m in range(n_measures):
        measure = Measure.objects.create(name=f"Bench measure {m}", kind="KRI" if m % 2 else "KRD", unit="x",
                                         target=10)
        MeasureEntry.objects.bulk_create([MeasureEntry(measure=measure, period=p, value=rng.random() * 20)
                                          for p in period])

    columns = [("id", "id"), ("name", "name"), ("kind", "kind"), ("naics_code", "naics_code"),
               ("zip_code", "zip_code"), ("segment", "segment_id"), ("updated_at", "updated_at")]
    sql = export_sql("oe21_account", columns)
    headers = [h for h, _ in columns]
    print("\n| operation | median of 3 |\n|---|---|")
    copy_bytes = timed(f"CSV export of {n_accounts} accounts: COPY, 256 KB chunks",
                       lambda: sum(len(c) for c in csv_chunks_from_copy(sql, headers)))
    cursor_bytes = timed(f"CSV export of {n_accounts} accounts: Python cursor + csv",
                         lambda: sum(len(c) for c in csv_chunks_from_cursor(sql, headers)))
    assert copy_bytes == cursor_bytes, "the two export paths differ"
    connection.close()

    client = Client()
    _, key = api_token_create(user=pms, name="bench")
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    timed("API: first page of 1000 accounts", lambda: client.get("/api/v1/accounts/?page_size=1000", **auth))
    timed(f"API: first page of 1000 opportunities ({n_touches} touches)",
          lambda: client.get("/api/v1/opportunities/?page_size=1000", **auth))
    client.force_login(user)
    timed(f"Opportunity Manager table ({n_opportunities} rows)", lambda: client.get("/opportunities/"))
    timed(f"Monthly review: {n_measures + 7} measures × 36 months",
          lambda: client.get("/metrics/?months=36"))
    timed("Main page (seven milestone checks)", lambda: client.get("/"))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
