"""The database away: the French 503 page (« réessayez dans quelques minutes »), never a 500.

A form sent while PostgreSQL is down or restarting gets the 503 page (``core.errors``,
rendered without the database) and stores nothing: each service writes in one
transaction, which the lost connection rolls back. Pages the full-page cache holds are
still served (``core.pagecache`` runs before anything that asks the database).
"""

import logging

from django.db import InterfaceError, OperationalError

from core.errors import service_unavailable

logger = logging.getLogger(__name__)

RETRY_AFTER = 120  # seconds
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 instead of 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("Database unavailable: %s", type(exception).__name__)
            return service_unavailable(request, retry_after=RETRY_AFTER)
        return None
