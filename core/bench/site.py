"""The site run production-like for `make bench-pages` and `make audit`: gunicorn with
DEBUG off, and manage.py commands in the same environment."""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def manage(env: dict, *args: str) -> None:
    """Run ``manage.py`` with ``args`` in ``env`` (its output silenced, failures raised)."""
    subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


@contextmanager
def gunicorn(app: str, *, port: int, env: dict, workers: int, warm: int = 1, log=None):
    """gunicorn serving ``app`` on 127.0.0.1:``port`` until the block ends.

    Ready once ``warm`` requests to / were answered (every worker has imported the site
    when ``warm`` is twice the workers); ``log`` takes its output when given.
    """
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        app,
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                for _ in range(warm):
                    with suppress(urllib.error.HTTPError):  # an answer all the same
                        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).close()  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
