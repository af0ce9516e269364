"""What `make audit` and the test suite check on every public page.

Every public page means every URL of the sitemap, plus the pages a visitor reaches by
acting: the form-result, confirmation and error pages, in French and in English. The
sitemap comes from the site; the others from each app's ``audit.py`` (``pages()``, found by
convention like ``demo.py``), which may create the rows its pages need (a pending signature
and its token, say) and so runs on a test or audit database only.

The HTML is checked by the W3C Nu HTML checker (npm ``vnu-jar``, run with Java): the HTML
is given to it as files, never as a URL (it refuses local addresses).
"""

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# What a form POST sends so that a cached page's form is judged (core/csrf.py).
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


@dataclass(frozen=True)
class AuditPage:
    """A page to check: a GET of ``path``, or a POST of ``data`` to it (a form's result)."""

    path: str
    data: dict | None = field(default=None, compare=False, hash=False)

    @property
    def label(self) -> str:
        return f"POST {self.path}" if self.data is not None else self.path


def in_both_languages(name: str, *, data: dict | None = None, **kwargs) -> list[AuditPage]:
    """The page named ``name`` in French and in English."""
    pages = []
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            pages.append(AuditPage(reverse(name, kwargs=kwargs or None), data))
    return pages


def sitemap_paths(xml: bytes | str) -> list[str]:
    """The paths of the sitemap's ``<loc>`` addresses, in order."""
    text = xml.decode() if isinstance(xml, bytes) else xml
    return [
        urlsplit(loc).path + (f"?{urlsplit(loc).query}" if urlsplit(loc).query else "")
        for loc in re.findall(r"<loc>([^<]+)</loc>", text)
    ]


def public_pages(sitemap_xml: bytes | str) -> list[AuditPage]:
    """Every public page: the sitemap's, then each app's own (core's: the error page)."""
    pages = [AuditPage(path) for path in sitemap_paths(sitemap_xml)]
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.audit"
        if find_spec(module_name) is not None:
            pages += import_module(module_name).pages()
    seen, unique = set(), []
    for page in pages:
        if page.label not in seen:
            seen.add(page.label)
            unique.append(page)
    return unique


def pages() -> list[AuditPage]:
    """core's own pages beyond the sitemap: the error page (a 404), and the personal
    space's pages a visitor meets before it opens (asking for the link, a wrong address,
    the link sent, a dead link) and the newsletter's dead unsubscribe link, in both
    languages."""
    return [
        AuditPage("/nulle-part/"),
        AuditPage("/en/nowhere/"),
        *in_both_languages("core:space"),
        *in_both_languages("core:space", data={"email": "pas-une-adresse"}),
        *in_both_languages("core:space-sent"),
        *in_both_languages("core:space-open", token="jeton-inconnu"),  # noqa: S106
        *in_both_languages("core:unsubscribe", token="jeton-inconnu"),  # noqa: S106
    ]


def vnu_missing() -> str:
    """Why the checker cannot run here, or an empty string."""
    if shutil.which("java") is None:
        return "Java not found: apt-get install default-jre-headless"
    if not VNU_JAR.exists():
        return "vnu-jar not installed: run `make node` (npm ci)"
    return ""


def vnu_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Check each HTML document (label -> HTML) in one run of the checker.

    Returns the errors per label (warnings and info are left out), for labels with any.
    """
    problem = vnu_missing()
    if problem:
        raise RuntimeError(problem)
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        names = {}
        for index, (label, html) in enumerate(documents.items()):
            path = Path(folder) / f"page-{index:03d}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = label
        result = subprocess.run(  # noqa: S603 (our own files, a fixed command)
            [
                shutil.which("java"),
                "-Xss1024k",
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--errors-only",
                "--exit-zero-always",
                *sorted(str(Path(folder) / name) for name in names),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        )
    errors: dict[str, list[str]] = {}
    for message in json.loads(result.stderr or result.stdout)["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        label = names.get(Path(urlsplit(message.get("url", "")).path).name, "?")
        extract = (message.get("extract") or "").strip().replace("\n", " ")[:120]
        errors.setdefault(label, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']} [{extract}]"
        )
    return errors
