"""Running a piece of work in several threads at the same moment (PostgreSQL tests)."""

import threading

from django.db import connection


def in_threads(count, work):
    """Run ``work(index)`` in ``count`` threads released together; return their errors.

    Each thread has its own database connection, closed when it ends.
    """
    errors = []
    barrier = threading.Barrier(count)

    def run(index):
        try:
            barrier.wait(timeout=30)
            work(index)
        except Exception as error:  # noqa: BLE001 - reported to the caller
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors
