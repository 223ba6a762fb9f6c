#!/usr/bin/env python
"""Kenes' administration command: ``python manage.py help`` lists what it can do."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kenes.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
