"""Texts stay inside the translation framework: in the templates already converted, no text a
person reads (a text node, or an aria-label, alt, title or placeholder) is written outside
{% translate %} / {% blocktranslate %}; and every text marked for translation there, or in
the Python of the consultation journey, is in the Welsh catalogue, translated.

The converted templates are listed below. The list grows as pages are converted (see
docs/decisions/0009-english-and-welsh.md); a page not on it may still hold English.
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

from policyhub import catalogue

TEMPLATES = Path(settings.BASE_DIR) / "templates"

CONVERTED = [
    "base.html",
    "form_page.html",
    "includes/character_count_i18n.html",
    "includes/error_summary.html",
    "includes/error_summary_items.html",
    "includes/field.html",
    "includes/form_fields.html",
    "includes/language_select.html",
    "includes/last_updated.html",
    "includes/pagination.html",
    "process/home.html",
    "process/process_detail.html",
    "meetings/includes/_process_meeting_stats_panel.html",
    "consultation/includes/process_consultations.html",
    "workinggroups/workinggroup_list.html",
    "consultation/consultation_list.html",
    "consultation/consultation_detail.html",
    "consultation/respond_about_you.html",
    "consultation/respond_check.html",
    "consultation/respond_closed.html",
    "consultation/respond_confirmation.html",
    "consultation/respond_new_link.html",
    "consultation/respond_page.html",
    "consultation/respond_save.html",
    "consultation/respond_section.html",
    "consultation/respond_too_many.html",
    "consultation/resume_invalid.html",
    "consultation/includes/consultation_status.html",
    "consultation/includes/contact.html",
    "consultation/includes/respond_header.html",
    "consultation/includes/save_later_button.html",
    "consultation/email/receipt.txt",
    "consultation/email/resume_link.txt",
]

# Python modules whose texts respondents read, converted with the templates above.
CONVERTED_MODULES = [
    "consultation/forms.py",
    "consultation/models.py",
    "consultation/views.py",
    "consultation/services/responses.py",
    "consultation/services/limits.py",
    "consultation/templatetags/consultation_tags.py",
    "policyhub/markup.py",
    "policyhub/models.py",
    "policyhub/text.py",
    "workinggroups/models.py",
    "meetings/templatetags/meetings.py",
]

OPEN = {"blocktranslate", "blocktrans", "comment"}
CLOSE = {"endblocktranslate", "endblocktrans", "endcomment"}
# Templates that are part of a tag (its attributes), read inside one.
FRAGMENTS = {"includes/character_count_i18n.html"}
READ_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder"}
WORD = re.compile(r"[^\W\d_]{2,}")
PLACEHOLDER = "·"  # stands for a tag or a value: never read as words


class TextFinder(HTMLParser):
    """Collects what a person reads: text nodes (outside script and style) and the
    attributes read aloud or shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        self.found += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.found.append(data)


def untranslated(source: str) -> list[str]:
    """The words of `source` (a template) a person would read that no translation tag
    wraps: template tags, values and translated passages become placeholders first."""
    parts: list[str] = []
    inside = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            inside += (name in OPEN) - (name in CLOSE)
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.VAR:
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT and not inside:
            parts.append(token.contents)
    finder = TextFinder()
    finder.feed("".join(parts))
    finder.close()
    return [text.strip() for text in finder.found if WORD.search(text)]


@pytest.mark.parametrize("name", CONVERTED)
def test_converted_templates_hold_no_text_outside_the_translation_framework(name):
    source = (TEMPLATES / name).read_text()
    if name in FRAGMENTS:
        source = f"<div {source}>"
    assert untranslated(source) == []


def test_the_check_finds_text_outside_translation_tags():
    """Guards against a check that passes everything."""
    source = (
        '{% load i18n %}<h1>{% translate "Fine" %}</h1><p>Forgotten words</p>'
        '<a aria-label="Close">{{ x }}</a>{% blocktranslate %}Also fine{% endblocktranslate %}'
        "{% comment %}Notes for developers{% endcomment %}<script>let a = 1;</script>"
    )
    assert untranslated(source) == ["Forgotten words", "Close"]


LITERAL = r"u?'(?:[^'\\]|\\.)*'" + "|" + r'u?"(?:[^"\\]|\\.)*"'
MARKED = re.compile(rf"\bpgettext\((?:{LITERAL}), ({LITERAL})|\bn?gettext\(({LITERAL})")


def marked_in_templates() -> set[str]:
    """The texts the converted templates mark for translation, as makemessages reads them
    (Django's templatize turns a template into gettext calls)."""
    found: set[str] = set()
    for name in CONVERTED:
        code = templatize((TEMPLATES / name).read_text(), origin=name)
        found |= {ast.literal_eval(a or b) for a, b in MARKED.findall(code)}
    return found


def marked_in_modules() -> set[str]:
    """The texts passed to gettext and its forms in the converted modules."""
    found: set[str] = set()
    names = {"_", "gettext", "gettext_lazy", "ngettext", "pgettext"}
    for path in CONVERTED_MODULES:
        tree = ast.parse((Path(settings.BASE_DIR) / path).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in names:
                texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if getattr(node.func, "id", None) == "pgettext":
                    texts = texts[1:2]
                elif getattr(node.func, "id", None) == "ngettext":
                    texts = texts[:1]
                found |= {t for t in texts[:1] if isinstance(t, str)}
    return found


def test_every_marked_text_is_translated_into_welsh():
    """A text marked but never added to the catalogue (make messages) shows in English on a
    Welsh page."""
    translated = {
        entry.msgid
        for entry in catalogue.read_po(catalogue.catalogue_paths("cy")[0])
        if entry.translated
    }
    missing = sorted((marked_in_templates() | marked_in_modules()) - translated)
    assert missing == []
