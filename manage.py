#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as exc:
        # A bad environment variable stops the start with one line naming it.
        if type(exc).__name__ == "SettingError":
            sys.exit(f"Configuration error: {exc}")
        raise


if __name__ == "__main__":
    main()
