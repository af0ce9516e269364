"""``make bench-pages``: the public pages, the writes and the faults, measured against the
machine's ceiling in one run.

- The site runs production-like: gunicorn (4 sync workers), PostgreSQL, Redis, DEBUG off,
  the demo content plus 200 generated victories, the mail queue in the database.
- The ceiling is a bare WSGI app (``core/bench/ceiling.py``) answering the same bytes under
  the same gunicorn settings. wrk measures each page on the site, then the same bytes on
  the ceiling, page after page; a static file served by WhiteNoise is measured too.
- Writes: signature POSTs (a distinct email and ``X-Forwarded-For`` each, with
  ``TRUSTED_PROXIES=1``), then confirmation POSTs; a 429 is a failure; the database is
  reconciled afterwards (rows equal successes, no duplicate, the counter exact).
- Faults: the pages' status codes with the site's Redis refused (a closed port) and hung
  (a socket that accepts and never answers). The shared Redis is never stopped.

It prints the figures; docs/performance.md records them with the machine.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from core.bench.site import gunicorn, manage

BENCH_DIR = Path(__file__).resolve().parents[2] / "bench"
ROOT = Path(settings.BASE_DIR)
GENERATED_CASES = 200
# Pages are asked for as a browser asks: compressed when the server can (the ceiling then
# serves the same compressed bytes).
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "TRUSTED_PROXIES": "1",
    "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    "LOG_LEVEL": "ERROR",  # not a line per 404 of the idle tail of the write runs
    "SEPA_CREDITOR_NAME": "Victoires (banc d'essai)",
    "SEPA_CREDITOR_ADDRESS": "1 rue de Paris, 75001 Paris",
    "SEPA_CREDITOR_ID": "FR72ZZZ123456",
    "SEPA_CREDITOR_IBAN": "FR1420041010050500013M02606",
    "SEPA_CREDITOR_BIC": "PSSTFRPPPAR",
    "ORGANISATION_ADDRESS": "1 rue de Paris, 75001 Paris",
    "ORGANISATION_PHONE": "01 23 45 67 89",
    "ORGANISATION_OBJECT": "Défendre les droits humains",
    "ORGANISATION_STATUS": "Association loi 1901",
    "ORGANISATION_REGISTRATION": "RNA W751000000",
    "ORGANISATION_SIGNER_NAME": "Camille Martin",
    "ORGANISATION_SIGNER_ROLE": "Trésorière",
    "ORGANISATION_PUBLICATION_DIRECTOR": "Camille Martin",
    "HOST_NAME": "Hébergeur SAS",
    "HOST_ADDRESS": "2 rue de Lille, 59000 Lille",
    "HOST_PHONE": "03 20 00 00 00",
}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse_wrk(output: str) -> dict:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    percentiles = dict(
        (p, _ms(v, u)) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", output, re.M)
    )
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rate": float(rate[1]) if rate else 0.0,
        "p50": percentiles.get("50", 0.0),
        "p99": percentiles.get("99", 0.0),
        "non_2xx": int(errors[1]) if errors else 0,
    }


class Command(BaseCommand):
    help = "Mesure les pages, les écritures et les pannes contre le plafond de la machine."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 21400)))
        parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
        parser.add_argument("--connections", type=int, default=20)
        parser.add_argument("--workers", type=int, default=4)
        parser.add_argument("--skip-pages", action="store_true")
        parser.add_argument("--skip-writes", action="store_true")
        parser.add_argument("--skip-faults", action="store_true")

    def handle(self, *args, **options):
        if connection.vendor == "postgresql":
            _create_database()
        if connection.vendor != "postgresql":
            raise CommandError("make bench-pages needs PostgreSQL (BENCH_DATABASE_URL)")
        if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
            raise CommandError("make bench-pages needs Redis (BENCH_CACHE_URL)")
        if shutil.which("wrk") is None:
            raise CommandError("wrk is missing: apt-get install wrk")
        self.options = options
        self.port = options["port"]
        self.work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
        self.env = self._environment()
        try:
            self._prepare()
            with self._gunicorn("config.wsgi", self.port, self.env):
                urls = self._urls()
                results = {}
                if not options["skip_pages"]:
                    results["pages"] = self._pages(urls)
                if not options["skip_writes"]:
                    results["writes"] = self._writes(urls)
            if not options["skip_faults"]:
                results["faults"] = self._faults(urls)
            self._report(results)
        finally:
            shutil.rmtree(self.work, ignore_errors=True)

    # --- Setting up ---------------------------------------------------------------

    def _environment(self) -> dict:
        env = {**os.environ, **PRODUCTION_ENV}
        secret = settings.SECRET_KEY
        if len(secret) < 50:
            secret = "bench-" + secrets.token_urlsafe(48)
        env.update(
            {
                "DJANGO_SECRET_KEY": secret,
                "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
                "DATABASE_URL": os.environ["DATABASE_URL"],
                "CACHE_URL": os.environ["CACHE_URL"],
                "SITE_URL": f"http://127.0.0.1:{self.port}",
                "STATIC_ROOT": str(self.work / "static"),
            }
        )
        self.secret = secret
        return env

    def _manage(self, *args):
        manage(self.env, *args)

    def _prepare(self):
        self.stdout.write("Préparation : migrations, démo, 200 victoires, fichiers statiques…")
        self._manage("migrate", "--noinput", "-v", "0")
        self._manage("load_demo", "--allow-production")
        self._manage("collectstatic", "--noinput", "-v", "0")
        from cases.cache import cases_cache_clear
        from cases.models import Case

        now = timezone.now()
        existing = set(Case.objects.filter(slug__startswith="banc-").values_list("slug", flat=True))
        Case.objects.bulk_create(
            Case(
                name=f"Personne {n}",
                slug=f"banc-{n}",
                country=["TR", "RU", "EG", "PE", "MM"][n % 5],
                headline_fr="Libérée après la mobilisation",
                headline_en="Freed after the mobilisation",
                story_fr="Une histoire.\n\nDeux paragraphes.",
                story_en="A story.\n\nTwo paragraphs.",
                is_published=True,
                published_at=now - timedelta(days=1 + n),
            )
            for n in range(GENERATED_CASES)
            if f"banc-{n}" not in existing
        )
        cache.clear()
        cases_cache_clear()

    @contextmanager
    def _gunicorn(self, app, port, env):
        workers = self.options["workers"]
        with gunicorn(app, port=port, env=env, workers=workers, warm=2 * workers) as process:
            yield process

    def _urls(self) -> dict:
        from cases.models import Case
        from petitions.models import Petition

        case = Case.objects.visible().exclude(slug__startswith="banc-").order_by("pk").first()
        petition = Petition.objects.open().order_by("pk").first()
        manifest = json.loads((self.work / "static" / "staticfiles.json").read_text())
        return {
            "home": "/",
            "victories": "/victoires/",
            "case": case.get_absolute_url(),
            "petition": petition.get_absolute_url(),
            "gift": "/don/",
            "static (WhiteNoise)": "/static/" + manifest["paths"]["css/site.css"],
            "_petition": petition,
        }

    def _get(self, path, port=None, method="GET", data=None, headers=None):
        url = f"http://127.0.0.1:{port or self.port}{path}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read(), dict(error.headers)

    def _wrk(self, url, script=None, args=(), duration=None, browser=False):
        duration = duration or self.options["duration"]
        command = [
            "wrk",
            "-t2",
            f"-c{self.options['connections']}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "10s",
        ]
        for name, value in BROWSER_HEADERS.items() if browser else ():
            command += ["-H", f"{name}: {value}"]
        if script:
            command += ["-s", str(BENCH_DIR / script), url, "--", *args]
        else:
            command.append(url)
        result = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
        return result.stdout

    # --- Pages against the ceiling ----------------------------------------------------

    def _pages(self, urls):
        pages = {name: path for name, path in urls.items() if not name.startswith("_")}
        ceiling_dir = self.work / "ceiling"
        ceiling_dir.mkdir()
        index = {}
        for n, path in enumerate(pages.values()):
            for _ in range(3):  # warm the caches
                status, body, headers = self._get(path, headers=BROWSER_HEADERS)
            if status != 200:
                raise CommandError(f"{path} answers {status}")
            (ceiling_dir / f"{n}.bin").write_bytes(body)
            index[path] = (
                f"{n}.bin",
                headers.get("Content-Type", "text/html"),
                headers.get("Content-Encoding", ""),
            )
        (ceiling_dir / "pages.json").write_text(json.dumps(index))
        rows = []
        ceiling_env = {**self.env, "BENCH_CEILING_DIR": str(ceiling_dir)}
        with self._gunicorn("core.bench.ceiling:app", self.port + 1, ceiling_env):
            for name, path in pages.items():
                site = parse_wrk(self._wrk(f"http://127.0.0.1:{self.port}{path}", browser=True))
                ceiling = parse_wrk(
                    self._wrk(f"http://127.0.0.1:{self.port + 1}{path}", browser=True)
                )
                rows.append((name, path, site, ceiling))
                self.stdout.write(
                    f"  {name:20} {site['rate']:8.0f} req/s  p50 {site['p50']:6.2f} ms  "
                    f"p99 {site['p99']:6.2f} ms  ceiling {ceiling['rate']:8.0f}  "
                    f"{100 * site['rate'] / ceiling['rate']:5.1f} %"
                )
        return rows

    # --- Writes -----------------------------------------------------------------------

    def _writes(self, urls):
        from django.core import signing

        from petitions.forms import STARTED_SALT
        from petitions.models import Signature

        petition = urls["_petition"]
        seconds = self.options["duration"]
        run_id = secrets.token_hex(3)
        with self.settings_secret():
            stamp = signing.dumps(
                (timezone.now() - timedelta(minutes=1)).timestamp(), salt=STARTED_SALT
            )
        sign_path = petition.get_absolute_url() + "signer/"
        before = set(Signature.objects.filter(petition=petition).values_list("pk", flat=True))
        output = self._wrk(
            f"http://127.0.0.1:{self.port}{sign_path}",
            "sign.lua",
            [sign_path, urllib.parse.quote(stamp, safe=""), str(seconds), run_id],
            duration=seconds + 3,
        )
        sign = self._lua_counts(output)
        created = Signature.objects.filter(petition=petition, email__startswith=f"b{run_id}-")
        rows = created.count()
        span = self._span(created, "created_at")
        sign.update(
            rows=rows,
            distinct=created.values("email").distinct().count(),
            rate=rows / span if span else 0.0,
            reconciled=rows == sign["ok"]
            and not set(created.values_list("pk", flat=True)) & before,
        )
        self.stdout.write(f"  signatures: {sign}")

        # Confirmations: each success confirms one pending signature, counted once.
        confirm = self._confirmations(petition, created)
        return {"sign": sign, "confirm": confirm}

    @contextmanager
    def settings_secret(self):
        from django.test import override_settings

        with override_settings(SECRET_KEY=self.secret):
            yield

    def _confirmations(self, petition, pending):
        from django.urls import reverse

        from core.tokens import token_issue
        from petitions.models import Petition
        from petitions.tasks import SIGNATURE_PURPOSE

        # The links the confirmation emails would carry (a new token each, as a resend).
        paths = [
            reverse(
                "petitions:confirm",
                kwargs={"token": token_issue(purpose=SIGNATURE_PURPOSE, target=signature, days=1)},
            )
            for signature in pending.filter(confirmed_at__isnull=True).only("pk")
        ]
        if not paths:
            return {"ok": 0, "failed": 0, "rows": 0, "rate": 0.0, "reconciled": False}
        paths_file = self.work / "confirm.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        status, body, headers = self._get(paths[-1])
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))[1]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1].decode()
        counter_before = Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total
        seconds = self.options["duration"]
        output = self._wrk(
            f"http://127.0.0.1:{self.port}{paths[0]}",
            "confirm.lua",
            [str(paths_file), cookie, token, str(seconds), "2"],
            duration=seconds + 3,
        )
        confirm = self._lua_counts(output)
        confirmed = pending.filter(confirmed_at__isnull=False)
        rows = confirmed.count()
        span = self._span(confirmed, "confirmed_at")
        counter_after = Petition.objects.with_confirmed_total().get(pk=petition.pk).confirmed_total
        confirm.update(
            rows=rows,
            rate=rows / span if span else 0.0,
            counter_delta=counter_after - counter_before,
            reconciled=rows == confirm["ok"] == counter_after - counter_before,
        )
        self.stdout.write(f"  confirmations: {confirm}")
        return confirm

    @staticmethod
    def _span(queryset, field):
        from django.db.models import Max, Min

        bounds = queryset.aggregate(first=Min(field), last=Max(field))
        if not bounds["first"]:
            return 0.0
        return max((bounds["last"] - bounds["first"]).total_seconds(), 0.001)

    @staticmethod
    def _lua_counts(output):
        counts = re.search(r"BENCH ok=(\d+) failed=(\d+)", output)
        statuses = dict(re.findall(r"BENCH status (\d+)=(\d+)", output))
        return {"ok": int(counts[1]), "failed": int(counts[2]), "statuses": statuses}

    # --- Faults -----------------------------------------------------------------------

    def _faults(self, urls):
        pages = {name: path for name, path in urls.items() if not name.startswith("_")}
        results = {}
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            closed_port = closed.getsockname()[1]
        silent, stop = socket.socket(), threading.Event()
        silent.bind(("127.0.0.1", 0))
        silent.listen(128)
        held = []

        def hold():
            silent.settimeout(0.1)
            while not stop.is_set():
                try:
                    held.append(silent.accept()[0])
                except OSError:
                    continue

        thread = threading.Thread(target=hold, daemon=True)
        thread.start()
        try:
            for label, port in (
                ("Redis refused", closed_port),
                ("Redis hung", silent.getsockname()[1]),
            ):
                env = {**self.env, "CACHE_URL": f"redis://127.0.0.1:{port}/0"}
                with self._gunicorn("config.wsgi", self.port, env):
                    statuses = {}
                    for name, path in pages.items():
                        started = time.monotonic()
                        status, _body, _headers = self._get(path)
                        statuses[name] = (status, (time.monotonic() - started) * 1000)
                    results[label] = statuses
                self.stdout.write(f"  {label}: {statuses}")
        finally:
            stop.set()
            thread.join()
            for conn in held:
                conn.close()
            silent.close()
        return results

    # --- Report -----------------------------------------------------------------------

    def _report(self, results):
        write = self.stdout.write
        write("")
        write(
            f"Machine: {os.cpu_count()} CPU, {_cpu_model()}; wrk -t2 -c{self.options['connections']} "
            f"-d{self.options['duration']}s; gunicorn {self.options['workers']} sync workers"
        )
        if "pages" in results:
            write("")
            write("| page | req/s | p50 | p99 | ceiling req/s | ratio |")
            write("| --- | ---: | ---: | ---: | ---: | ---: |")
            for name, path, site, ceiling in results["pages"]:
                write(
                    f"| {name} `{path}` | {site['rate']:.0f} | {site['p50']:.1f} ms | "
                    f"{site['p99']:.1f} ms | {ceiling['rate']:.0f} | "
                    f"{100 * site['rate'] / ceiling['rate']:.1f} % |"
                )
        if "writes" in results:
            write("")
            for name, figures in results["writes"].items():
                write(
                    f"{name}: {figures['rate']:.0f}/s, {figures['ok']} successes, "
                    f"{figures['failed']} failures {figures.get('statuses') or ''}, "
                    f"{figures['rows']} rows; reconciled: {figures['reconciled']}"
                )
        if "faults" in results:
            write("")
            for label, statuses in results["faults"].items():
                write(
                    f"{label}: "
                    + ", ".join(
                        f"{name} {status} ({ms:.0f} ms)" for name, (status, ms) in statuses.items()
                    )
                )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def _create_database():
    """Create the bench's database when it does not exist yet."""
    import psycopg
    from psycopg import sql

    params = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        user=params.get("USER") or None,
        password=params.get("PASSWORD") or None,
        host=params.get("HOST") or None,
        port=params.get("PORT") or None,
        autocommit=True,
    ) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]]
        ).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"])))
