"""`python manage.py bench_chatham`: time the Chatham House checker over a realistic set
of notes (5,000 words by default) and print one line of JSON:
`{"words": N, "p50_ms": ..., "p95_ms": ..., "max_ms": ..., "runs": R}`.

The notes mix Chatham-compatible sentences with attributions of every kind, as bullets and
paragraphs, checked against an attendance record and the organisations a database would
hold. One call is made before timing: the bundled lists are compiled once per process,
and the figures are for a checker already in use. Nothing touches the database.
"""

from __future__ import annotations

import json
import random
import statistics
import time

from django.core.management.base import BaseCommand

from meetings.chatham import find_attributions

ATTENDEES = [
    ("Dr Anita Patel", "Office for National Statistics"),
    ("Tom Reyes", "HM Revenue and Customs"),
    ("Siobhán O'Connell", "Open Rights Group"),
    ("Marcus Webb", "Department for Work and Pensions"),
    ("Priya Nair", "Citizens Advice"),
    ("Will Hughes", "Local Government Association"),
    ("Grace Adeyemi", "University of Leeds"),
    ("Laura Bennett", "Involve"),
    ("Owen Hughes", "University of Manchester"),
    ("Nadia Rahman", "Royal Statistical Society"),
    ("Martin Achebe", "Cabinet Office"),
    ("José Álvarez", "Which?"),
]
PEOPLE = ["Jane Smith", "Raj", "Dr Helen Price", "Fatima Begum", "Anita", "Greg", "Okafor"]
BODIES = ["HMRC", "the DWP", "the Cabinet Office", "the ICO", "Which?", "the LGA", "Ofgem"]

COMPATIBLE = (
    "Participants from government, civil society and academia discussed the strand.",
    "One participant argued that trusted third parties could reduce the risk of re-identification.",
    "Some members felt that public views on research uses were not well understood.",
    "It was noted that remote participation should be possible for every meeting.",
    "A view was expressed that a code of practice should be statutory.",
    "Questions were asked about how {body} data would be protected.",
    "Members noted the ICO's published code and the Digital Economy Act 2017.",
    "The meeting was held at the Cabinet Office, 70 Whitehall.",
    "Several participants stressed that documents should be open by default.",
    "The group discussed whether {body} should have access to energy data.",
    "A participant from civil society asked who would audit the gateway.",
    "Members discussed the Caldicott review and the Better Use of Data consultation.",
    "The group agreed to draft options for the interim policy paper by October.",
    "Participants described long delays in agreeing access to administrative data.",
    "Some members warned against function creep; others disagreed.",
    "Debt owed to HMRC and the DWP was discussed at length.",
)
ATTRIBUTED = (
    "{person} said the proposal was flawed.",
    "According to {person}, the data is already shared informally.",
    "{body_title} said the timetable would slip.",
    "The {acronym} representative insisted on a new gateway.",
    "The Minister said the Bill would follow in the autumn.",
    "{person}'s concern was that consent was missing.",
    "One participant, {person}, argued for a public register.",
    "It was {person} who proposed the register.",
    "Action: {person} to draft the terms of reference.",
    "{body_title} will circulate the paper.",
    "Greg from {body} argued for local flexibility.",
)


def build_notes(words: int, seed: int = 2015) -> str:
    """Notes of at least `words` words: about one sentence in six attributes, the rest are
    what a convenor would write; every fifth paragraph is a bullet list."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            attributed = rng.random() < 1 / 6
            template = rng.choice(ATTRIBUTED if attributed else COMPATIBLE)
            body = rng.choice(BODIES)
            sentence = template.format(
                person=rng.choice(PEOPLE),
                body=body,
                body_title=body[:1].upper() + body[1:],
                acronym=rng.choice(["DWP", "HMRC", "ONS", "ICO"]),
            )
            sentences.append(sentence)
            count += len(sentence.split())
        bullets = len(paragraphs) % 5 == 4
        paragraphs.append(
            "\n".join(f"- {s}" for s in sentences) if bullets else " ".join(sentences)
        )
    return "\n\n".join(paragraphs)


def database_organisations(count: int = 300) -> list[str]:
    """Stand-ins for the organisations a database holds: names no bundled list knows."""
    places = ["Northshire", "Eastbrook", "Westmere", "Southdale", "Highfield", "Lowmoor"]
    kinds = ["Community Trust", "Advice Centre", "Data Lab", "Council", "Housing Association"]
    return [f"{places[i % len(places)]} {kinds[i % len(kinds)]} {i}" for i in range(count)]


class Command(BaseCommand):
    help = "Time the Chatham House checker over a realistic set of notes (default 5,000 words)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--words", type=int, default=5_000)
        parser.add_argument("--runs", type=int, default=50)

    def handle(self, *args, words: int, runs: int, **options) -> None:
        notes = build_notes(words)
        organisations = database_organisations()
        find_attributions(notes, ATTENDEES, organisations)
        timings = []
        for _ in range(runs):
            start = time.perf_counter()
            find_attributions(notes, ATTENDEES, organisations)
            timings.append((time.perf_counter() - start) * 1000)
        p95 = (
            statistics.quantiles(timings, n=100, method="inclusive")[94] if runs > 1 else timings[0]
        )
        result = {
            "words": len(notes.split()),
            "p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(p95, 2),
            "max_ms": round(max(timings), 2),
            "runs": runs,
        }
        self.stdout.write(json.dumps(result))
