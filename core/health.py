"""``/healthz``: is this process able to serve? For a load balancer and for monitoring.

It reports the database (one query), the cache (a write and a read) and the age of the
oldest task waiting in the queue (the mail), as JSON with no personal data: 200 when the
database and the cache answer, 503 otherwise. The queue's age is reported, not judged: a
monitor alerts when it grows (``db_worker`` stopped, the mail server away).
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

DB_BACKEND = "django_tasks_db.DatabaseBackend"


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.warning("Health: the database does not answer", exc_info=True)
        return False


def _cache() -> bool:
    key, value = "healthz:probe", uuid.uuid4().hex
    try:
        cache.set(key, value, timeout=10)
        return cache.get(key) == value
    except Exception:
        logger.warning("Health: the cache does not answer", exc_info=True)
        return False


def _queue_age() -> float | None:
    """Seconds the oldest task ready to run has waited (0 when none); None without a queue."""
    if settings.TASKS["default"]["BACKEND"] != DB_BACKEND:
        return None
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    return round((timezone.now() - oldest).total_seconds(), 1) if oldest else 0.0


@require_safe
@never_cache
def healthz(request):
    started = time.monotonic()
    database, cache_ok = _database(), _cache()
    try:
        queue_age = _queue_age() if database else None
    except Exception:
        logger.warning("Health: the task queue cannot be read", exc_info=True)
        queue_age = None
    report = {
        "status": "ok" if database and cache_ok else "unavailable",
        "database": "ok" if database else "unavailable",
        "cache": "ok" if cache_ok else "unavailable",
        "task_queue_oldest_seconds": queue_age,
        "checked_in_ms": round((time.monotonic() - started) * 1000, 1),
    }
    response = JsonResponse(report, status=200 if database and cache_ok else 503)
    response["X-Robots-Tag"] = "noindex"
    return response
