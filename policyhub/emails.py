"""What every email the site sends has in common."""

from __future__ import annotations


def subject_line(text: str) -> str:
    """A subject is one line of plain text. Titles and names people type can hold line
    breaks, which a mail header cannot (Django refuses to send the message at all), so every
    run of whitespace becomes one space."""
    return " ".join(text.split())
