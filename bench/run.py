"""Benchmarks at an organisation's size, run on demand (not in CI): `scripts/bench [scale] [requests]`.

In one run, on a scratch PostgreSQL database (oe21_bench, dropped at the end) filled by
`load_scale_data --scale S`, with gunicorn (2 sync workers, DEBUG off) on 127.0.0.1:
- every page of the portal's menu and every API list: p50/p95 over N requests (≥ 200 by default),
  its SQL queries and HTML size, beside a bare view (/healthz/live) and Django admin's changelist of the
  same model and page size, measured in the same run; ratios to both;
- the streamed CSV export of accounts, opportunities and touch events against `psql \\copy` of the
  same rows (rows per second) with the gunicorn worker's peak memory;
- a 10,000-row XLSX account import through a real Celery worker;
- recomputing 36 months of computed measures.
Output: a markdown table on stdout and bench/results.json.
"""

import io
import json
import os
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
BENCH_DB = "oe21_bench"
PORT = 8765
PYTHON = sys.executable

# page → the admin changelist of the same model (None: compared with the bare view only)
PAGES = {
    "/": None, "/accounts/": "/admin/oe21/account/", "/contacts/": "/admin/oe21/contact/",
    "/offerings/": "/admin/oe21/offering/", "/prioritization/": "/admin/prioritization/assessment/",
    "/prioritization/statistics/": None,
    "/prioritization/grid/?offering={offering}": "/admin/prioritization/assessment/",
    "/opportunities/": "/admin/opportunities/opportunity/", "/opportunities/pipeline/": None,
    "/opportunities/rollups/": None, "/opportunities/campaigns/": "/admin/opportunities/campaign/",
    "/metrics/": None, "/metrics/complaints/": "/admin/metrics/complaint/",
    "/metrics/ratings/": "/admin/metrics/customerrating/", "/metrics/surveys/": None,
    "/requirements/": None, "/requirements/portfolio/": None, "/requirements/action-plan/": None,
    "/audit/": None, "/search/?q=account": "/admin/oe21/account/?q=account",
    "/metrics/at-risk/": None, "/metrics/business-case/": None, "/prioritization/calibration/": None,
    "/prioritization/weights/": None,
}
API = {name: admin for name, admin in [
    ("accounts", "/admin/oe21/account/"), ("opportunities", "/admin/opportunities/opportunity/"),
    ("touches", "/admin/opportunities/touch/"), ("prioritization-scores", "/admin/prioritization/assessment/"),
    ("complaints", "/admin/metrics/complaint/"), ("ratings", "/admin/metrics/customerrating/"),
    ("measure-entries", "/admin/metrics/measureentry/"), ("offerings", "/admin/oe21/offering/")]}
EXPORTS = {"accounts": "oe21_account", "opportunities": "opportunities_opportunity",
           "touches": "opportunities_touch"}


def _psql(*args, database="postgres", capture=True):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
                           *args], check=True, capture_output=capture, text=True)


def _env(**extra):
    return {**os.environ, "DATABASE_URL": f"{BASE_URL}/{BENCH_DB}", "DJANGO_DEBUG": "0",
            "SECRET_KEY": "bench-" + "x" * 60, "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"), **extra}


def _manage(*args):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=_env(), check=True, capture_output=True,
                          text=True).stdout


class Server:
    """gunicorn with 2 (or `workers`) sync workers on 127.0.0.1."""

    def __init__(self, workers: int = 2):
        self.worker_count = workers

    def __enter__(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "oe21.wsgi", "--workers", str(self.worker_count), "--bind", f"127.0.0.1:{PORT}",
             "--timeout", "120", "--log-level", "warning"], cwd=ROOT, env=_env())
        for _ in range(100):
            try:
                self.get("/healthz/live")
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    @staticmethod
    def get(path, headers=None, stream=False):
        connection = HTTPConnection("127.0.0.1", PORT, timeout=300)
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = connection.getresponse()
        size = 0
        while chunk := response.read(256 * 1024):
            size += len(chunk)
        connection.close()
        return response.status, size


def _peak_memory_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _timed(server, path, headers, n):
    times, status, size = [], 0, 0
    server.get(path, headers)  # warm
    for _ in range(n):
        started = time.perf_counter()
        status, size = server.get(path, headers)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "status": status,
            "bytes": size}


CONCURRENT = 8  # connections at once, for the pages people open together on a Monday morning
CONCURRENT_PAGES = ["/opportunities/", "/metrics/"]


def _concurrent(server, path, headers, n):
    """p50/p95 of n requests sent by CONCURRENT clients at once (gunicorn queues what its workers
    cannot take, as in production)."""
    from concurrent.futures import ThreadPoolExecutor

    def one(_):
        started = time.perf_counter()
        server.get(path, headers)
        return (time.perf_counter() - started) * 1000

    with ThreadPoolExecutor(CONCURRENT) as pool:
        times = sorted(pool.map(one, range(n)))
    return {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}


def _setup_users_and_queries(offering_path_hint):
    """Users, a session, an API key; and each page's query count (measured in-process)."""
    script = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oe21.api.tokens import api_token_create
from prioritization.models import Assessment
User = get_user_model()
admin = User.objects.create_superuser("bench-admin", "bench@example.org", None)
pms = User.objects.create_user("bench-pms")
pms.groups.add(pms.groups.model.objects.get(name="PMS client"))
key = api_token_create(user=pms, name="bench")[1]
offering = Assessment.objects.values_list("offering_id").annotate(n=Count("pk")).order_by("-n")[0][0]
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
client.force_login(admin)
queries = {{}}
for page in {list(PAGES)!r}:
    url = page.format(offering=offering)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries[page] = len(captured)
for name in {list(API)!r}:
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/api/v1/{{name}}/?page_size=100", HTTP_AUTHORIZATION=f"Token {{key}}")
    queries["api:" + name] = len(captured)
session = SessionStore()
session["_auth_user_id"] = str(admin.pk)
session["_auth_user_backend"] = "oe21.auth.PortalModelBackend"
session["_auth_user_hash"] = admin.get_session_auth_hash()
session.create()
print(json.dumps({{"session": session.session_key, "key": key, "offering": offering, "queries": queries}}))
"""
    done = subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=_env(), capture_output=True,
                          text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _import_through_worker(rows: int) -> float:
    script = f"""
import io, time, openpyxl
from django.contrib.auth import get_user_model
from oe21.jobs import job_start
from oe21.models import BackgroundJob
from oe21.tasks import import_accounts
book = openpyxl.Workbook(); sheet = book.active
sheet.append(["name", "kind", "naics_code", "zip_code"])
for i in range({rows}):
    sheet.append([f"Bench import {{i:06d}}", "prospect", "541511", "10001"])
data = io.BytesIO(); book.save(data)
user = get_user_model().objects.get(username="bench-admin")
started = time.perf_counter()
job = job_start(kind="account_import", description="bench", user=user, task=import_accounts,
                input_name="bench.xlsx", input_data=data.getvalue())
while not BackgroundJob.objects.get(pk=job.pk).is_finished:
    time.sleep(0.2)
job.refresh_from_db()
assert job.state == "succeeded", (job.state, job.error, job.result)
print(time.perf_counter() - started)
"""
    worker = subprocess.Popen([PYTHON, "-m", "celery", "-A", "oe21", "worker", "--concurrency", "1",
                               "--loglevel", "WARNING", "--pool", "solo"], cwd=ROOT, env=_env())
    try:
        time.sleep(4)
        out = subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=_env(), check=True,
                             capture_output=True, text=True).stdout
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return float(out.strip().splitlines()[-1])


def main(scale: float = 1.0, requests: int = 200):
    _psql("-c", f"DROP DATABASE IF EXISTS {BENCH_DB}")
    _psql("-c", f"CREATE DATABASE {BENCH_DB}")
    results = {"scale": scale, "requests": requests, "machine": f"{os.cpu_count()} cores", "pages": {}, "api": {},
               "exports": {}}
    try:
        _manage("migrate", "--noinput")
        _manage("collectstatic", "--noinput")  # production settings serve the hashed files
        started = time.perf_counter()
        _manage("load_scale_data", "--scale", str(scale))
        results["load_scale_data_s"] = time.perf_counter() - started
        setup = _setup_users_and_queries(None)
        cookie = {"Cookie": f"sessionid={setup['session']}"}
        token = {"Authorization": f"Token {setup['key']}"}
        with Server() as server:
            bare = _timed(server, "/healthz/live", {}, requests)
            results["bare"] = bare
            admins = {}
            for page, admin in PAGES.items():
                url = page.format(offering=setup["offering"])
                measured = _timed(server, url, cookie, requests)
                if admin and admin not in admins:
                    admins[admin] = _timed(server, admin, cookie, requests)
                results["pages"][page] = {**measured, "queries": setup["queries"][page], "admin": admin}
                print(f"  {page}: p95 {measured['p95']:.0f} ms", file=sys.stderr)
            for name, admin in API.items():
                measured = _timed(server, f"/api/v1/{name}/?page_size=100", token, requests)
                if admin not in admins:
                    admins[admin] = _timed(server, admin, cookie, requests)
                results["api"][name] = {**measured, "queries": setup["queries"]["api:" + name], "admin": admin}
            results["admins"] = admins
            results["concurrent"] = {page: _concurrent(server, page, cookie, max(requests // 2, CONCURRENT * 4))
                                     for page in CONCURRENT_PAGES}
            for name, table in EXPORTS.items():
                columns = _export_columns(name)
                started = time.perf_counter()
                copied = _psql("-d", BENCH_DB, "-c", f"\\copy (SELECT {columns} FROM {table} ORDER BY id) TO STDOUT "
                                                     "WITH (FORMAT csv)", database=BENCH_DB).stdout
                copy_s = time.perf_counter() - started
                rows = copied.count("\n")
                before = {pid: _peak_memory_kb(pid) for pid in server.workers()}
                started = time.perf_counter()
                status, size = server.get(f"/api/v1/{name}/export/", token)
                export_s = time.perf_counter() - started
                after = {pid: _peak_memory_kb(pid) for pid in server.workers()}
                results["exports"][name] = {
                    "rows": rows, "copy_rows_per_s": rows / copy_s, "export_rows_per_s": rows / export_s,
                    "ratio_to_copy": copy_s / export_s, "bytes": size, "status": status,
                    "worker_peak_mb": max(after.values()) / 1024,
                    "worker_peak_growth_mb": max(after[p] - before.get(p, 0) for p in after) / 1024}
        results["import_10000_rows_s"] = _import_through_worker(10_000)
        started = time.perf_counter()
        _manage("shell", "-c", "from metrics.services import recompute_measures; recompute_measures(months=36)")
        results["recompute_36_months_s"] = time.perf_counter() - started
    finally:
        _psql("-c", f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(markdown(results))


def _export_columns(name: str) -> str:
    script = (f"from oe21.api.urls import router\n"
              f"view = dict((p, v) for p, v, _ in router.registry)[{name!r}]\n"
              "print(', '.join(f'COALESCE(CAST({e} AS TEXT), \\'\\') AS {h}' for h, e in view.export_columns))")
    return subprocess.run([PYTHON, "manage.py", "shell", "-c", script], cwd=ROOT, env=_env(), check=True,
                          capture_output=True, text=True).stdout.strip().splitlines()[-1]


def markdown(results: dict) -> str:
    bare = results["bare"]["p95"]
    out = io.StringIO()
    out.write(f"Scale {results['scale']:g} ({results['requests']} requests per row, {results['machine']}); "
              f"bare view p50 {results['bare']['p50']:.1f} ms, p95 {bare:.1f} ms.\n\n")
    out.write("| page | queries | KB | p50 ms | p95 ms | × bare view | × admin changelist |\n")
    out.write("|---|---|---|---|---|---|---|\n")
    for section, rows in (("", results["pages"]), ("API ", results["api"])):
        for name, row in rows.items():
            admin = results["admins"].get(row["admin"]) if row["admin"] else None
            ratio = f"{row['p95'] / admin['p95']:.2f}" if admin else "—"
            out.write(f"| {section}{name} | {row['queries']} | {row['bytes'] / 1024:.0f} | {row['p50']:.0f} | "
                      f"{row['p95']:.0f} | {row['p95'] / bare:.0f} | {ratio} |\n")
    if results.get("concurrent"):
        out.write(f"\nAt {CONCURRENT} connections at once: " + "; ".join(
            f"{page} p50 {row['p50']:.0f} ms, p95 {row['p95']:.0f} ms" for page, row in results["concurrent"].items())
            + "\n")
    out.write("\n| export | rows | COPY rows/s | export rows/s | × COPY | worker peak MB (growth) |\n")
    out.write("|---|---|---|---|---|---|\n")
    for name, row in results["exports"].items():
        out.write(f"| {name} | {row['rows']:,} | {row['copy_rows_per_s']:,.0f} | {row['export_rows_per_s']:,.0f} | "
                  f"{row['ratio_to_copy']:.2f} | {row['worker_peak_mb']:.0f} (+{row['worker_peak_growth_mb']:.1f}) |\n")
    out.write(f"\nload_scale_data: {results['load_scale_data_s']:.0f} s; 10,000-row XLSX import through the "
              f"worker: {results['import_10000_rows_s']:.1f} s; recompute of 36 months: "
              f"{results['recompute_36_months_s']:.1f} s\n")
    return out.getvalue()


if __name__ == "__main__":
    main(*(float(a) if i == 0 else int(a) for i, a in enumerate(sys.argv[1:3])))
