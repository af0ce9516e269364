"""Helpers to queue background tasks (django-tasks) safely."""

from django.db import transaction


def enqueue_on_commit(task, *args) -> None:
    """Queue ``task`` with ``args`` once the current transaction commits.

    Arguments must be ids only: a queue stores them in clear, so never an email
    address, a token or an IBAN.
    """
    for arg in args:
        if not isinstance(arg, int | str) or (isinstance(arg, str) and "@" in arg):
            raise TypeError("Task arguments are ids only")
    transaction.on_commit(lambda: task.enqueue(*args))
