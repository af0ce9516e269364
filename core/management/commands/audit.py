"""``make audit``: every public page checked as a visitor's browser gets it.

- The site runs production-like: gunicorn, DEBUG off, a fresh database with the demo content
  (its illustrations are the photographs), static files collected (WhiteNoise). A small
  front server stands where the production web server does: it serves ``/media/`` with a
  year's cache and passes everything else to gunicorn untouched.
- Every public page (core/audit.py: the sitemap's, the form-result, confirmation and error
  pages, French and English): 0 errors from the W3C Nu HTML checker (HTML given as files),
  0 axe violations (Playwright, Debian's Chromium, phone and desktop).
- Lighthouse (npm, 12.x), mobile, three runs on ``/victoires/``; the median of each score
  and of the layout shift, and the first view's weight with and without images.

It prints the figures and fails when a bar is missed; docs/design.md records them.
"""

import http.server
import json
import mimetypes
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from core.audit import SAME_ORIGIN, public_pages, vnu_errors, vnu_missing
from core.bench.site import gunicorn, manage
from core.management.commands.bench_pages import PRODUCTION_ENV

ROOT = Path(settings.BASE_DIR)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
BARS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
WEIGHT_WITHOUT_IMAGES = 60_000  # bytes over the wire, fonts included
WEIGHT_WITH_IMAGES = 300_000
MEASURES = (*BARS, "cls", "lcp", "bytes", "bytes_without_images", "font_bytes")
LOCMEM_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def front_server(port: int, backend: int, media_root: Path):
    """What the production web server does in front of gunicorn: /media/ from disk."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_HEAD(self):
            self.do_GET(body=False)

        def do_GET(self, body=True):
            if self.path.startswith("/media/"):
                return self._media(body)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
            request = urllib.request.Request(  # noqa: S310 (our own gunicorn)
                f"http://127.0.0.1:{backend}{self.path}", headers=headers, method=self.command
            )
            opener = urllib.request.build_opener(NoRedirect)
            try:
                response = opener.open(request, timeout=30)
            except urllib.error.HTTPError as error:
                response = error
            content = response.read()
            self.send_response(response.status)
            for key, value in response.headers.items():
                if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            if body:
                self.wfile.write(content)

        def _media(self, body):
            relative = self.path.split("?")[0][len("/media/") :]
            path = (media_root / urllib.request.url2pathname(relative)).resolve()
            if not path.is_file() or media_root.resolve() not in path.parents:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            content = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "")
            self.send_header("Content-Length", str(len(content)))
            self.send_header("Cache-Control", "public, max-age=31536000, immutable")
            self.end_headers()
            if body:
                self.wfile.write(content)

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            if not isinstance(sys.exc_info()[1], ConnectionError):  # a browser gave up: fine
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Command(BaseCommand):
    help = "Audite chaque page publique : HTML (vnu), accessibilité (axe), Lighthouse, poids."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs (median)")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--skip-lighthouse", action="store_true")

    def handle(self, *args, **options):
        problem = vnu_missing()
        if problem:
            raise CommandError(problem)
        if not AXE.exists() or not LIGHTHOUSE.exists():
            raise CommandError("axe-core or lighthouse missing: run `make node` (npm ci)")
        self.options = options
        self.work = Path(tempfile.mkdtemp(prefix="audit-"))
        self.port, self.front_port = free_port(), free_port()
        self.env = self._environment()
        failures = []
        try:
            self._prepare()
            with self._gunicorn():
                front = front_server(self.front_port, self.port, Path(settings.MEDIA_ROOT))
                try:
                    with override_settings(EMAIL_BACKEND=LOCMEM_EMAIL):  # nothing printed
                        pages = public_pages(self._get("/sitemap.xml")[1])
                    failures += self._validate(pages)
                    failures += self._axe(pages)
                    if not options["skip_lighthouse"]:
                        failures += self._lighthouse("/victoires/")
                finally:
                    front.shutdown()
        finally:
            shutil.rmtree(self.work, ignore_errors=True)
        if failures:
            raise CommandError("Audit failed:\n- " + "\n- ".join(failures))
        self.stdout.write(self.style.SUCCESS("Audit passed."))

    # --- Setting up ---------------------------------------------------------------

    def _environment(self) -> dict:
        env = {**os.environ, **PRODUCTION_ENV, "LOG_LEVEL": "ERROR"}
        env.update(
            {
                "DJANGO_SECRET_KEY": "audit-" + secrets.token_urlsafe(48),
                "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY,
                "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
                "SITE_URL": f"http://127.0.0.1:{self.front_port}",
                "STATIC_ROOT": str(self.work / "static"),
                "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            }
        )
        if not env["DATABASE_URL"]:
            raise CommandError("make audit needs DATABASE_URL (a fresh database)")
        return env

    def _prepare(self):
        self.stdout.write("Préparation : migrations, démo, fichiers statiques…")
        manage(self.env, "migrate", "--noinput", "-v", "0")
        manage(self.env, "load_demo", "--allow-production")
        # The photographs' renditions (and the demo's emails) are tasks: a worker makes them.
        manage(self.env, "db_worker", "--batch", "--no-startup-delay")
        manage(self.env, "collectstatic", "--noinput", "-v", "0")
        cache.clear()

    @contextmanager
    def _gunicorn(self):
        log_path = self.work / "gunicorn.log"
        workers = self.options["workers"]
        # Its access lines go to a file, kept out of the figures.
        with (
            log_path.open("wb") as log,
            gunicorn(
                "config.wsgi", port=self.port, env=self.env, workers=workers, log=log
            ) as process,
        ):
            yield process
        errors = [
            line
            for line in log_path.read_text(errors="replace").splitlines()
            if "[ERROR]" in line or "Traceback" in line
        ]
        for line in errors[:20]:
            self.stdout.write(f"gunicorn: {line}")

    def _get(self, path, data=None):
        body = None
        headers = {}
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers = {**SAME_ORIGIN, "Content-Type": "application/x-www-form-urlencoded"}
        request = urllib.request.Request(  # noqa: S310 (our own gunicorn)
            f"http://127.0.0.1:{self.port}{path}", data=body, headers=headers
        )
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    # --- The checks ---------------------------------------------------------------

    def _validate(self, pages) -> list[str]:
        documents, failures = {}, []
        for page in pages:
            status, content = self._get(page.path, page.data)
            if status >= 500 or (page.data is None and status not in (200, 404)):
                failures.append(f"{page.label}: HTTP {status}")
            documents[page.label] = content.decode()
        self.documents = documents
        errors = vnu_errors(documents)
        count = sum(len(messages) for messages in errors.values())
        self.stdout.write(f"W3C Nu HTML checker: {len(documents)} pages, {count} errors")
        for label, messages in errors.items():
            self.stdout.write(f"  {label}")
            for message in messages:
                self.stdout.write(f"    {message}")
        if count:
            failures.append(f"vnu: {count} errors on {len(errors)} pages")
        return failures

    def _axe(self, pages) -> list[str]:
        from playwright.sync_api import sync_playwright

        failures = []
        base = f"http://127.0.0.1:{self.front_port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu"],
            )
            try:
                for viewport in (PHONE, DESKTOP):
                    context = browser.new_context(viewport=viewport, bypass_csp=True)
                    tab = context.new_page()
                    for page in pages:
                        if page.data is None:
                            tab.goto(base + page.path)
                        else:  # the form's result, as the POST answered, on the site's origin
                            tab.goto(base + "/")
                            tab.evaluate(
                                "html => { document.open(); document.write(html); "
                                "document.close(); }",
                                self.documents[page.label],
                            )
                            tab.wait_for_load_state()
                        tab.add_script_tag(path=str(AXE))
                        result = tab.evaluate("async () => await axe.run(document)")
                        for violation in result["violations"]:
                            targets = "; ".join(n["target"][0] for n in violation["nodes"][:3])
                            failures.append(
                                f"axe {viewport['width']}px {page.label}: {violation['id']} "
                                f"({violation['impact']}) {targets}"
                            )
                    context.close()
            finally:
                browser.close()
        self.stdout.write(f"axe: {len(pages)} pages at 390 and 1366 px, {len(failures)} violations")
        for failure in failures:
            self.stdout.write(f"  {failure}")
        return failures

    def _lighthouse(self, path) -> list[str]:
        url = f"http://127.0.0.1:{self.front_port}{path}"
        runs = []
        env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or "/usr/bin/chromium"}
        for index in range(self.options["runs"]):
            output = self.work / f"lighthouse-{index}.json"
            subprocess.run(  # noqa: S603 (npm's lighthouse, our own URL)
                [
                    str(LIGHTHOUSE),
                    url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={output}",
                    "--only-categories=performance,accessibility,best-practices,seo",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ],
                cwd=ROOT,
                env=env,
                check=True,
            )
            runs.append(lighthouse_figures(json.loads(output.read_text())))
        figures = {key: statistics.median(run[key] for run in runs) for key in MEASURES}
        self.stdout.write(
            f"Lighthouse {runs[0]['version']} on {path}, mobile, median of {len(runs)}:"
        )
        failures = []
        for category, bar in BARS.items():
            score = figures[category]
            each = ", ".join(str(run[category]) for run in runs)
            self.stdout.write(f"  {category}: {score:g} (runs: {each}; bar {bar})")
            if score < bar:
                failures.append(f"Lighthouse {category} {score:g} < {bar}")
        self.stdout.write(f"  CLS: {figures['cls']:g}; LCP: {figures['lcp']:.0f} ms")
        if figures["cls"] > 0:
            failures.append(f"CLS {figures['cls']:g} > 0")
        self.stdout.write(
            f"  first view: {figures['bytes'] / 1000:.1f} KB with images, "
            f"{figures['bytes_without_images'] / 1000:.1f} KB without "
            f"(fonts {figures['font_bytes'] / 1000:.1f} KB)"
        )
        if figures["bytes_without_images"] > WEIGHT_WITHOUT_IMAGES:
            failures.append(
                f"first view without images {figures['bytes_without_images']} B > 60 KB"
            )
        if figures["bytes"] > WEIGHT_WITH_IMAGES:
            failures.append(f"first view with images {figures['bytes']} B > 300 KB")
        for audit in sorted({audit for run in runs for audit in run["failed_audits"]}):
            self.stdout.write(f"  not passed (in a run at least): {audit}")
        return failures


def lighthouse_figures(report: dict) -> dict:
    """Scores (0-100), layout shift, and the bytes the first view transferred."""
    categories = report["categories"]
    requests = report["audits"]["network-requests"]["details"]["items"]
    images = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") == "Image")
    fonts = sum(r.get("transferSize", 0) for r in requests if r.get("resourceType") == "Font")
    total = sum(r.get("transferSize", 0) for r in requests)
    failed = sorted(
        key
        for key, audit in report["audits"].items()
        if audit.get("score") is not None
        and audit.get("score") < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    )
    return {
        "version": report.get("lighthouseVersion", "?"),
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "best-practices": round(categories["best-practices"]["score"] * 100),
        "seo": round(categories["seo"]["score"] * 100),
        "cls": report["audits"]["cumulative-layout-shift"]["numericValue"],
        "lcp": report["audits"]["largest-contentful-paint"]["numericValue"],
        "bytes": total,
        "bytes_without_images": total - images,
        "font_bytes": fonts,
        "failed_audits": failed,
    }
