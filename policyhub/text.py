"""The characters that text typed into the site may hold.

Control characters (other than tab, line feed and carriage return) are never typed on
purpose: they arrive pasted from another program or a badly decoded file, are invisible on
the page, and PostgreSQL refuses NUL in text outright. So every text field refuses them
(policyhub.forms), and anything kept before validation is stored without them.

Refused: C0 controls U+0000-U+0008, U+000B, U+000C, U+000E-U+001F, DELETE (U+007F) and the
C1 controls U+0080-U+009F (Windows-1252 punctuation decoded as Latin-1 lands there).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# The error code a field's `error_messages` can name to word the message for that field.
CODE = "control_characters"


def has_control_characters(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def without_control_characters(text: str) -> str:
    """`text` less the characters it may not hold: what the site keeps and shows of it."""
    return CONTROL_CHARACTERS.sub("", text)


def control_characters_message(subject: str, *, shown_again: bool = True) -> str:
    """The error next to a field that held control characters, naming it by `subject`
    ("Answer to question 3"). The page shows the text again without them
    (`shown_again`), so the person only has to check it; a password is never shown again,
    so it has to be typed again."""
    if shown_again:
        return format_lazy(
            gettext_lazy(
                "{subject} must not contain invisible control characters. "
                "We have removed them: check the text and try again"
            ),
            subject=subject,
        )
    return format_lazy(
        gettext_lazy(
            "{subject} must not contain invisible control characters. Type it again without them"
        ),
        subject=subject,
    )


def refuse_control_characters(value: str) -> None:
    """Validator for every text field (added by policyhub.forms.RefusesControlCharacters,
    which words the message for the field)."""
    if has_control_characters(value):
        raise ValidationError(control_characters_message(gettext_lazy("This field")), code=CODE)
