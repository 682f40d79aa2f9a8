"""`python manage.py load_demo`: the seed's real process as demo data, idempotently.

Each app contributes its part in a `demo.py` module with a `load()` function, called in
dependency order. Every loader uses update_or_create on natural keys, so running the
command twice changes nothing.
"""

from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_APPS = ["process", "workinggroups", "meetings", "documents", "consultation"]


class Command(BaseCommand):
    help = "Load the demo open policy process from the seed (safe to run repeatedly)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            for app in DEMO_APPS:
                if find_spec(f"{app}.demo") is None:
                    continue
                import_module(f"{app}.demo").load()
                if options["verbosity"] > 1:
                    self.stdout.write(f"Loaded demo data: {app}")
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("Demo process loaded."))
