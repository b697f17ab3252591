#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # A command is the system acting (the task worker, the feed, cron jobs): behind the database
    # wall its connections read every row (porch.core.rls.rest). The development server is a web
    # process, whose connections read nothing until a request says who is asking.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("PORCH_RESTS_AS", "system")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
