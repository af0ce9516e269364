"""Fixtures shared by every test: the cache, the mail outbox, the real browser.

- Tests marked ``postgres`` or ``redis`` are skipped, with a message, when the quick-start
  defaults (SQLite, local memory) are in use.
- Browser tests use Debian's Chromium (``/usr/bin/chromium`` or ``CHROMIUM_PATH``) and
  axe-core from ``node_modules``; when missing they are skipped with a message saying how
  to install them, unless ``REQUIRE_BROWSER=1``, where they fail.
- With ``CI_STRICT=1`` any skipped test fails the run.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from hypothesis import settings as hypothesis_settings

from tests.clients import SecondFactorClient, totp_now, verified_device_for

# Playwright's sync API runs an event loop in the test thread; the live server's
# database access from this thread is safe (pytest-django's transactional tests).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Generated inputs (tests/core/test_fuzzing.py): the same inputs every run, no example
# database, no per-example deadline (a loaded CI machine is slow, not wrong).
hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_skipped = []


def pytest_runtest_logreport(report):
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI_STRICT") == "1" and _skipped and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if os.environ.get("CI_STRICT") == "1" and _skipped:
        terminalreporter.write_line(
            f"CI_STRICT=1: {len(_skipped)} skipped test(s) fail the run: " + ", ".join(_skipped),
            red=True,
        )


def _require(condition: bool, message: str):
    if condition:
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (REQUIRE_BROWSER=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/victoires"
        )
    if (
        request.node.get_closest_marker("redis")
        and "redis" not in settings.CACHES["default"]["BACKEND"].lower()
    ):
        pytest.skip("needs Redis as the cache: set CACHE_URL=redis://127.0.0.1:6379/1")


@pytest.fixture(autouse=True)
def _french_by_default():
    # A request to /en/ leaves English active in the thread: each test starts in French.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clean_cache():
    from core.pagecache import local_pages

    cache.clear()
    local_pages.forget()  # the pages this process keeps in memory, by the cleared version
    yield
    cache.clear()
    local_pages.forget()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- The real browser -------------------------------------------------------------


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if path and os.path.exists(path) else None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    _require(
        path is not None,
        "Chromium not found: install Debian's chromium (apt-get install chromium) "
        "or set CHROMIUM_PATH",
    )
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # bypass_csp lets the axe-core audit script in, whatever CSP the site sends.
    return {**browser_context_args, "bypass_csp": True, "locale": "fr-FR"}


@pytest.fixture
def axe(request):
    """Audit the open page with axe-core; fail on any violation, whatever its impact."""
    _require(
        AXE_PATH.exists(),
        "axe-core not installed: install Node.js and npm (apt-get install nodejs npm), "
        "then run `npm ci`",
    )

    def audit(page):
        page.add_script_tag(path=str(AXE_PATH))
        result = page.evaluate("async () => await axe.run(document)")
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(node["target"][0] for node in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert not violations, f"axe violations on {page.url}:\n" + "\n".join(violations)

    return audit


@pytest.fixture
def vnu():
    """The W3C Nu HTML checker (core.audit.vnu_errors): Java and npm's vnu-jar."""
    from core.audit import vnu_errors, vnu_missing

    problem = vnu_missing()
    _require(not problem, problem)
    return vnu_errors


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the database open to it."""
    return live_server.url


# --- A Redis that is not there ------------------------------------------------------


@pytest.fixture
def closed_port():
    """A local port nothing listens on: connecting is refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port():
    """A local port that accepts connections and never answers (a hung Redis)."""
    import socket
    import threading

    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.05)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # kept open, never read, never written
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture
def redis_at(settings):
    """Point the site's cache at ``redis://127.0.0.1:<port>/0``."""

    def point(port):
        settings.CACHES = {
            "default": {
                "BACKEND": "core.redis_cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }

    return point


@pytest.fixture
def pdf_text():
    """The text a reader extracts from a PDF (pypdf), lines joined, no-break spaces plain:
    what a person copying from the document would get."""
    import io
    import re

    from pypdf import PdfReader

    def extract(content: bytes) -> str:
        reader = PdfReader(io.BytesIO(content))
        text = " ".join(page.extract_text() for page in reader.pages)
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
        return re.sub(r"\s+", " ", text)

    return extract


# --- Staff logins: the second factor ---------------------------------------------


@pytest.fixture
def client():
    """Every test's client: logging a staff member in gives the second factor too."""
    return SecondFactorClient()


@pytest.fixture
def unverified_client():
    """A client whose staff logins stop at the password (to test the second step)."""
    return Client()


@pytest.fixture
def admin_client(db, admin_user):
    client = SecondFactorClient()
    client.force_login(admin_user)
    return client


@pytest.fixture
def verified_device(db):
    """``verified_device(user)``: a confirmed TOTP device for a staff member."""
    return verified_device_for


@pytest.fixture
def admin_login(page, site):
    """Log a staff member in through both steps in the browser:
    ``admin_login(user, password, next_url="/admin/")`` types the password, then the code
    computed from a confirmed device's secret."""

    def login(user, password, next_url="/admin/"):
        device = verified_device_for(user)
        page.goto(f"{site}/admin/login/?next={next_url}")
        page.fill("#id_username", user.get_username())
        page.fill("#id_password", password)
        page.get_by_role("button", name="Connexion").click()
        page.wait_for_url("**/admin/second-factor/**")
        page.fill("#id_code", totp_now(device))
        page.get_by_role("button", name="Valider").click()
        page.wait_for_url(f"**{next_url}")

    return login


@pytest.fixture
def space_open(client):
    """Open the personal space (``/don/mon-don/``) for an address, as its emailed link does."""
    from core.tokens import token_issue

    def open_(email: str):
        raw = token_issue(purpose="space", target=email.strip().lower(), hours=1)
        response = client.post(f"/don/mon-don/ouvrir/{raw}/")
        assert response.status_code == 302, response.status_code
        return client

    return open_


@pytest.fixture
def staff_member(transactional_db, django_user_model):
    """``staff_member(group, username, password)``: a staff account in one of the teams'
    groups, with exactly the rights the data migrations give it. A transactional test's
    database is flushed (groups included), so the migrations that make groups run again,
    on the project's final migration state."""
    import inspect

    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection)
    plan = []
    for leaf in loader.graph.leaf_nodes():
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    state_apps = loader.project_state().apps
    for key in plan:
        for operation in loader.graph.nodes[key].operations:
            if isinstance(operation, RunPython) and '"auth", "Group"' in inspect.getsource(
                operation.code
            ):
                operation.code(state_apps, None)

    def make(group, username, password):
        user = django_user_model.objects.create_user(username, password=password, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    return make
