"""The ceiling: a bare WSGI app answering the same bytes as the site, from memory.

``make bench-pages`` runs it under the same gunicorn settings as the site; what it serves
is read once from ``BENCH_CEILING_DIR/pages.json`` (path -> file and content type).
"""

import json
import os
from pathlib import Path

_root = Path(os.environ.get("BENCH_CEILING_DIR", "."))
_pages = {}
if (_root / "pages.json").exists():
    index = json.loads((_root / "pages.json").read_text())
    for path, (filename, content_type, encoding) in index.items():
        body = (_root / filename).read_bytes()
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        if encoding:
            headers.append(("Content-Encoding", encoding))
        _pages[path] = (body, headers)
_missing = (b"not found", [("Content-Type", "text/plain"), ("Content-Length", "9")])


def app(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    query = environ.get("QUERY_STRING", "")
    body, headers = _pages.get(f"{path}?{query}" if query else path, _missing)
    start_response("200 OK" if body is not _missing[0] else "404 Not Found", headers)
    return [body]
