"""Load test, run on demand (not in CI): `scripts/load [scale] [users] [seconds]` (defaults 1, 50, 60).

On a scratch PostgreSQL database (oe21_load, dropped at the end) filled by `load_scale_data`,
gunicorn (4 sync workers, DEBUG off) on 127.0.0.1 serves USERS simulated CFT members at once for
SECONDS. Each signs in with their own session and, with a think time of 0.5–1.5 s, reads (main
page, Opportunity Manager, an opportunity, accounts, the matrix, the review) and writes (logs a touch
on one of their own opportunities: a real form post with its CSRF and one-off tokens). Counted as
errors: any 5xx, any connection failure, and any answer other than the expected one (200, or the
redirect after a saved form). Output: a markdown table and bench/load-results.json.
"""

import json
import random
import re
import statistics
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # noqa: E402 - the benchmark's database and server helpers

bench.BENCH_DB = "oe21_load"
bench.PORT = 8766
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ONCE = re.compile(r'name="_once" value="([0-9a-f]{32})"')

READS = ["/", "/opportunities/", "/opportunities/{opportunity}/", "/accounts/", "/prioritization/", "/metrics/"]


def _sessions(users: int) -> list[dict]:
    """A session per simulated user (the scale data's CFT members), with their own opportunities."""
    script = f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from opportunities.models import Opportunity
out = []
members = list(get_user_model().objects.filter(username__startswith="scale", groups__name="CFT member")
               .order_by("username"))
for i in range({users}):
    user = members[i % len(members)]
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "oe21.auth.PortalModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    mine = list(Opportunity.objects.filter(salesperson=user, cycle__is_current=True)
                .values_list("pk", flat=True)[:20])
    out.append({{"session": session.session_key, "opportunities": mine}})
print(json.dumps(out))
"""
    done = bench.subprocess.run([bench.PYTHON, "manage.py", "shell", "-c", script], cwd=bench.ROOT,
                                env=bench._env(), capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


class SimulatedUser(threading.Thread):
    def __init__(self, session: dict, until: float, results: list, seed: int):
        super().__init__(daemon=True)
        self.session, self.until, self.results = session, until, results
        self.rng = random.Random(seed)
        self.cookies = {"sessionid": session["session"]}

    def request(self, method, path, body=None):
        connection = HTTPConnection("127.0.0.1", bench.PORT, timeout=60)
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": "https://127.0.0.1/",
                            "Origin": "https://127.0.0.1"})
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, text

    def timed(self, kind, method, path, expected, body=None):
        started = time.perf_counter()
        try:
            status, text = self.request(method, path, body)
        except OSError as error:
            status, text = f"connection: {error}", ""
        elapsed = (time.perf_counter() - started) * 1000
        self.results.append({"kind": kind, "ms": elapsed, "ok": status in expected, "status": status})
        return text

    def run(self):
        opportunities = self.session["opportunities"]
        while time.monotonic() < self.until:
            if opportunities and self.rng.random() < 0.3:
                pk = self.rng.choice(opportunities)
                page = self.timed("write: open the opportunity", "GET", f"/opportunities/{pk}/", {200})
                csrf, once = CSRF.search(page), ONCE.search(page)
                if csrf and once:
                    body = urlencode({"csrfmiddlewaretoken": csrf.group(1), "_once": once.group(1),
                                      "occurred_on": time.strftime("%Y-%m-%d"), "channel": "email",
                                      "direction": "out", "note": "load test"})
                    self.timed("write: log a touch", "POST", f"/opportunities/{pk}/touches/", {302}, body)
            else:
                path = self.rng.choice(READS)
                if "{opportunity}" in path:
                    if not opportunities:
                        continue
                    path = path.format(opportunity=self.rng.choice(opportunities))
                self.timed(f"read: {path.split('/')[1] or 'home'}", "GET", path, {200})
            time.sleep(self.rng.uniform(0.5, 1.5))


def main(scale: float = 1.0, users: int = 50, seconds: int = 60):
    bench._psql("-c", f"DROP DATABASE IF EXISTS {bench.BENCH_DB}")
    bench._psql("-c", f"CREATE DATABASE {bench.BENCH_DB}")
    try:
        bench._manage("migrate", "--noinput")
        bench._manage("collectstatic", "--noinput")
        bench._manage("load_scale_data", "--scale", str(scale))
        sessions = _sessions(users)
        results: list[dict] = []
        with bench.Server(workers=4):
            until = time.monotonic() + seconds
            threads = [SimulatedUser(s, until, results, seed) for seed, s in enumerate(sessions)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(seconds + 120)
        saved = int(bench._manage("shell", "-c", "from opportunities.models import Touch; "
                                                 "print(Touch.objects.filter(note='load test').count())").split()[-1])
        report = summarise(results, scale=scale, users=users, seconds=seconds)
        posted = report["kinds"].get("write: log a touch", {}).get("requests", 0)
        report["touches_saved"], report["touch_posts"] = saved, posted
        if saved != posted:  # a lost or a doubled write is an error too
            report["errors"] += abs(posted - saved)
        (bench.ROOT / "bench" / "load-results.json").write_text(json.dumps(report, indent=1))
        print(markdown(report))
        return 0 if report["errors"] == 0 else 1
    finally:
        bench._psql("-c", f"DROP DATABASE IF EXISTS {bench.BENCH_DB} WITH (FORCE)")


def summarise(results, **run) -> dict:
    kinds = {}
    for kind in sorted({r["kind"] for r in results}):
        rows = [r for r in results if r["kind"] == kind]
        times = sorted(r["ms"] for r in rows)
        kinds[kind] = {"requests": len(rows), "errors": sum(not r["ok"] for r in rows),
                       "p50": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)],
                       "max": times[-1], "statuses": sorted({str(r["status"]) for r in rows})}
    return {**run, "requests": len(results), "errors": sum(not r["ok"] for r in results),
            "per_second": len(results) / run["seconds"], "kinds": kinds}


def markdown(report) -> str:
    lines = [f"{report['users']} users for {report['seconds']} s at scale {report['scale']}: "
             f"{report['requests']} requests ({report['per_second']:.1f}/s), {report['errors']} errors; "
             f"{report['touch_posts']} touches posted, {report['touches_saved']} saved", "",
             "| request | n | errors | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for kind, row in report["kinds"].items():
        lines.append(f"| {kind} | {row['requests']} | {row['errors']} | {row['p50']:.0f} | {row['p95']:.0f} | "
                     f"{row['max']:.0f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(main(float(args[0]) if args else 1.0, int(args[1]) if len(args) > 1 else 50,
                  int(args[2]) if len(args) > 2 else 60))
