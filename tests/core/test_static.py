"""In production, {% static %} goes through the manifest: a file that does not exist is a
server error on every page that names it. Each one must be found."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
STATIC = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")


def static_references():
    for template in TEMPLATES.rglob("*.html"):
        for path in STATIC.findall(template.read_text()):
            yield template.relative_to(TEMPLATES), path


def test_every_static_file_a_template_names_exists():
    references = list(static_references())
    assert len(references) >= 6
    missing = [(str(template), path) for template, path in references if not finders.find(path)]
    assert missing == []


def test_the_error_pages_name_the_site_stylesheet():
    html = (TEMPLATES / "errors" / "base.html").read_text()
    assert "{% static 'css/site.css' %}" in html
    assert finders.find("css/site.css")
