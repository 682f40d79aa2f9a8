"""The translation catalogues in locale/: read without GNU gettext, for the checks that the
compiled catalogue matches its source and for the coverage report
(`manage.py translation_coverage`).

Django reads only the compiled `.mo` files, which are committed beside their `.po` source so
that the site runs from a clean checkout with nothing but Python. Translators edit the `.po`
file and compile it (`make messages`); tests/policyhub/test_translation.py fails when the two
disagree.
"""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings


@dataclass(frozen=True)
class Entry:
    """One message of a `.po` file: its source text and its translations (one per plural
    form, or one)."""

    msgid: str
    context: str = ""
    plural: str = ""
    translations: tuple[str, ...] = ()
    fuzzy: bool = False

    @property
    def translated(self) -> bool:
        """Used by Django: not fuzzy, and every form filled in (gettext skips the rest)."""
        return not self.fuzzy and bool(self.translations) and all(self.translations)


def read_po(path: Path) -> list[Entry]:
    """The messages of a `.po` file, without its header and obsolete (#~) entries."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    current = ""

    def finish() -> None:
        if "msgid" in fields and fields["msgid"]:
            forms = sorted(k for k in fields if k.startswith("msgstr"))
            entries.append(
                Entry(
                    msgid=fields["msgid"],
                    context=fields.get("msgctxt", ""),
                    plural=fields.get("msgid_plural", ""),
                    translations=tuple(fields[k] for k in forms),
                    fuzzy="fuzzy" in flags,
                )
            )
        fields.clear()
        flags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        else:
            keyword, _, text = line.partition(" ")
            current = keyword
            fields[current] = ast.literal_eval(text)
    finish()
    return entries


def compiled(entries: list[Entry]) -> dict[object, str]:
    """What a `.mo` file made from these entries holds, keyed as Python's gettext keys it:
    "context\\x04msgid", and (msgid, n) for each plural form. Untranslated entries are left
    out, as msgfmt leaves them out."""
    catalog: dict[object, str] = {}
    for entry in entries:
        if not entry.translated:
            continue
        key = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.plural:
            for n, text in enumerate(entry.translations):
                catalog[(key, n)] = text
        else:
            catalog[key] = entry.translations[0]
    return catalog


def read_mo(path: Path) -> dict[object, str]:
    """The messages of a compiled `.mo` file, without its header."""
    with path.open("rb") as file:
        catalog = dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]
    catalog.pop("", None)
    return catalog


def catalogue_paths(language: str) -> tuple[Path, Path]:
    """The `.po` source and compiled `.mo` of the site's own messages in `language`."""
    folder = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES"
    return folder / "django.po", folder / "django.mo"
