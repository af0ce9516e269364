"""gunicorn's own settings: its error and access logs go through the site's masking.

``gunicorn -c gunicorn.conf.py config.wsgi`` (the file is read by default from the working
directory). Access lines carry request URLs, which can hold an email address or the token of
an emailed link: ``core.logfilters.RedactingFormatter`` masks them as it does Django's logs.
Bind address, workers and timeouts stay on the command line (``-b``, ``-w``) or in
``GUNICORN_CMD_ARGS``.
"""

accesslog = "-"
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "redacted": {
            "()": "core.logfilters.RedactingFormatter",
            "format": "%(asctime)s [%(process)d] [%(levelname)s] %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "redacted",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
