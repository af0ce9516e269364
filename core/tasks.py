"""Helpers to queue background tasks (django-tasks) safely, and to retry failed mail.

A mail task that fails because the mail server is away (an SMTP error, a refused or
timed-out connection) is queued again, later and later (:data:`RETRY_DELAYS`), by the
worker that ran it: the email waits in the database queue until the server is back.
Each failed attempt stays in the queue's table with its error (without any address),
so the backlog is visible in the admin ("Résultats de tâches", status "Ready").
"""

import logging
import smtplib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Seconds before attempt 2, 3, ...: about a day and a half in all, then the task stays failed.
RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60)


def enqueue_on_commit(task, *args) -> None:
    """Queue ``task`` with ``args`` so that it runs only if the current transaction commits.

    With the database queue (production), the task's row is written inside the
    transaction: the object and its email are stored together or not at all (a crash
    between the two cannot leave a signature without its email), in one commit. Other
    backends (immediate, in development) are called once the transaction has committed.

    Arguments must be ids only: a queue stores them in clear, so never an email
    address, a token or an IBAN.
    """
    for arg in args:
        if not isinstance(arg, int | str) or (isinstance(arg, str) and "@" in arg):
            raise TypeError("Task arguments are ids only")
    if _queue_is_the_database(task) and transaction.get_connection().in_atomic_block:
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


def _queue_is_the_database(task) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


def is_mail_failure(exception_class_path: str) -> bool:
    """An error that says the mail server could not be reached or refused for now."""
    try:
        exception_class = import_string(exception_class_path)
    except ImportError:
        return False
    if not isinstance(exception_class, type):
        return False
    return issubclass(exception_class, smtplib.SMTPException | OSError) or (
        exception_class.__name__ == "MailNotSent"  # the apps' wrapper that hides the address
    )


def mail_retry(sender, task_result, **kwargs) -> None:
    """``task_finished`` receiver: queue a failed mail task again, after a delay."""
    from django_tasks.base import TaskResultStatus

    if task_result.status != TaskResultStatus.FAILED or not task_result.errors:
        return
    if not getattr(sender, "supports_defer", False):  # the immediate backend: no queue
        return
    if not is_mail_failure(task_result.errors[-1].exception_class_path):
        return
    from django_tasks_db.models import DBTaskResult

    failures = DBTaskResult.objects.filter(
        task_path=task_result.task.module_path,
        args_kwargs={"args": list(task_result.args), "kwargs": dict(task_result.kwargs)},
        status=TaskResultStatus.FAILED,
    ).count()
    if failures > len(RETRY_DELAYS):
        logger.error("Mail task %s gave up after %d attempts", task_result.id, failures)
        return
    run_after = timezone.now() + timedelta(seconds=RETRY_DELAYS[max(failures, 1) - 1])
    task_result.task.using(run_after=run_after).enqueue(*task_result.args, **task_result.kwargs)
    logger.warning("Mail task %s failed (attempt %d): retried later", task_result.id, failures)
