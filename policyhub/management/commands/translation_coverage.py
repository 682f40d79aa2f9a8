"""`python manage.py translation_coverage`: how much of each language's catalogue is
translated (translated / total messages), and which messages are not, so a translator knows
what is left (docs/welsh-glossary.md)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from policyhub import catalogue


class Command(BaseCommand):
    help = "Report each language catalogue's coverage: translated / total messages."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing", action="store_true", help="also list the messages not yet translated"
        )

    def handle(self, *args, missing: bool, **options) -> None:
        for code, name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue  # the source language: its messages are the code's own words
            source, _compiled = catalogue.catalogue_paths(code)
            entries = catalogue.read_po(source)
            done = sum(entry.translated for entry in entries)
            share = done / len(entries) if entries else 1
            self.stdout.write(f"{name} ({code}): {done} / {len(entries)} messages ({share:.0%})")
            if missing:
                for entry in entries:
                    if not entry.translated:
                        self.stdout.write(f"  {entry.msgid}")
