"""Comparing versions: the right lines and words are marked, and the work done stays
bounded however awkward the texts (policyhub.diff). Work is counted, not timed: every
SequenceMatcher the comparison builds is recorded with the sizes it was given."""

from __future__ import annotations

import math
import random
from difflib import SequenceMatcher

import pytest

from documents import services
from policyhub import diff
from policyhub.diff import Segment, compare_lines
from tests.documents.factories import DocumentFactory


@pytest.fixture
def matchers(monkeypatch) -> list[tuple[int, int]]:
    """The sizes (before, after) of every SequenceMatcher the comparison builds; the
    matchers themselves in `matchers.built`."""
    sizes = _Sizes()

    class CountingMatcher(SequenceMatcher):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            super().__init__(isjunk, a, b, autojunk)
            sizes.append((len(a), len(b)))
            sizes.built.append(self)

    monkeypatch.setattr(diff, "SequenceMatcher", CountingMatcher)
    return sizes


class _Sizes(list):
    def __init__(self) -> None:
        super().__init__()
        self.built: list[SequenceMatcher] = []


def _rebuilt(lines: list[diff.DiffLine]) -> tuple[list[str], list[str]]:
    before = [line.text for line in lines if line.change in ("same", "removed")]
    after = [line.text for line in lines if line.change in ("same", "added")]
    return before, after


def _paragraphs(count: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    words = [
        "policy",
        "evidence",
        "group",
        "data",
        "sharing",
        "public",
        "trust",
        "consent",
        "research",
    ]
    return [f"{n}. " + " ".join(rng.choice(words) for _ in range(12)) for n in range(count)]


def test_changed_words_are_marked_inside_a_changed_line():
    lines = compare_lines(
        ["The group agreed the scope.", "Next meeting in May."],
        ["The group agreed the timetable.", "Next meeting in May."],
    )
    removed, added, same = lines
    assert removed.change == "removed"
    assert removed.segments == (
        Segment("same", "The group agreed the "),
        Segment("removed", "scope"),
        Segment("same", "."),
    )
    assert added.change == "added"
    assert added.segments == (
        Segment("same", "The group agreed the "),
        Segment("added", "timetable"),
        Segment("same", "."),
    )
    assert (same.change, same.text, same.segments) == ("same", "Next meeting in May.", ())


def test_words_moved_between_the_lines_of_a_changed_passage_are_marked_on_each_line():
    removed_1, removed_2, added_1, added_2 = compare_lines(
        ["Item one and two", "Item three"], ["Item one", "and two, item three"]
    )
    assert [line.change for line in (removed_1, removed_2, added_1, added_2)] == [
        "removed",
        "removed",
        "added",
        "added",
    ]
    for line in (removed_1, removed_2, added_1, added_2):
        assert "".join(segment.text for segment in line.segments) == line.text
    assert Segment("removed", "Item") in removed_2.segments
    assert Segment("same", " three") in removed_2.segments
    assert [s.text for s in added_2.segments if s.change == "added"] == [", item"]


def test_a_line_only_added_or_only_removed_is_marked_whole():
    lines = compare_lines(["Kept.", "Dropped."], ["Kept.", "New."])
    assert [(line.change, line.text) for line in lines] == [
        ("same", "Kept."),
        ("removed", "Dropped."),
        ("added", "New."),
    ]
    assert compare_lines(["Kept."], ["Kept.", "New."])[1].segments == ()


def test_comparison_page_marks_the_words_that_changed(client, secretariat):
    document = DocumentFactory(body="The group agreed the scope.\n\nA second paragraph.")
    services.update_document(
        document,
        by=secretariat,
        body="The group agreed the timetable.\n\nA second paragraph.",
        change_note="Timetable, not scope.",
    )
    html = client.get(f"/documents/{document.slug}/compare/1...2/").content.decode()
    assert "The group agreed the <del>scope</del>." in html
    assert "The group agreed the <ins>timetable</ins>." in html
    assert "A second paragraph." in html


def test_a_long_changed_passage_is_shown_as_whole_lines_without_comparing_words(matchers):
    # Each side is 2 × words - 1 words and spaces, all of them changed: beyond the budget.
    words = math.isqrt(diff.WORD_PAIRS_BUDGET) // 2 + 2
    before = [" ".join(f"old{n}" for n in range(words))]
    after = [" ".join(f"new{n}" for n in range(words))]
    lines = compare_lines(["Kept.", *before], ["Kept.", *after])
    assert [(line.change, line.segments) for line in lines] == [
        ("same", ()),
        ("removed", ()),
        ("added", ()),
    ]
    assert matchers == []  # one line each side: nothing to compare line by line either


def test_a_giant_line_with_one_word_changed_is_still_compared_word_by_word(matchers):
    words = [f"word{n}" for n in range(20_000)]
    changed = [*words[:10_000], "revised", *words[10_001:]]
    removed, added = compare_lines([" ".join(words)], [" ".join(changed)])
    assert Segment("removed", "word10000") in removed.segments
    assert Segment("added", "revised") in added.segments
    # The unchanged words around the change were set aside before any comparison.
    assert matchers == [(1, 1)]


def test_words_are_compared_only_until_the_comparison_has_spent_its_budget(matchers):
    # Each changed line is 36 words and spaces, 33 of them between the unchanged ends:
    # 33 × 33 pairs. Twenty passages more than the budget allows are left uncompared.
    passages = diff.WORD_PAIRS_BUDGET // (33 * 33) + 20
    kept = _paragraphs(passages, seed=1)
    before = [line for n, kept_line in enumerate(kept) for line in (kept_line, f"Old {n} " * 9)]
    after = [line for n, kept_line in enumerate(kept) for line in (kept_line, f"New {n} " * 9)]
    lines = compare_lines(before, after)
    changed = [line for line in lines if line.change != "same"]
    assert len(changed) == 2 * passages
    assert changed[0].segments and changed[1].segments
    assert not changed[-1].segments and not changed[-2].segments
    assert sum(a * b for a, b in matchers) <= diff.WORD_PAIRS_BUDGET


def test_a_long_run_of_repeated_lines_is_not_compared_line_by_line(matchers):
    before = ["- Same line."] * 5000
    after = list(before)
    for n in range(10):
        after[250 + n * 450] = f"- Changed line {n}."
    lines = compare_lines(["Start.", *before, "End."], ["Start.", *after, "End."])
    assert _rebuilt(lines) == (["Start.", *before, "End."], ["Start.", *after, "End."])
    assert matchers == []  # 4,051 × 4,051 lines between the first and last change


def test_lines_found_once_in_each_version_anchor_the_comparison(matchers):
    before = _paragraphs(3000)
    after = [line for n, kept in enumerate(before) for line in (kept, f"New {n}.")]
    lines = compare_lines(before, after)
    assert [line.text for line in lines if line.change == "added"] == [
        f"New {n}." for n in range(3000)
    ]
    assert not [line for line in lines if line.change == "removed"]
    assert all(a * b <= 1 for a, b in matchers)  # nothing left to compare between anchors


def test_a_line_repeated_often_never_starts_a_match(matchers):
    """Its many places would each be tried against every other; it joins a match only
    beside a line that is rarer (here "| Total |", twice in each version)."""
    rows = ["| Row |"] * 20
    before = ["Opening.", "| Total |", *rows, *rows, "| Total |", "Close."]
    after = ["Opening, revised.", "| Total |", *rows, "| New |", *rows, "| Total |", "Closed."]
    lines = compare_lines(before, after)
    assert _rebuilt(lines) == (before, after)
    assert [line.text for line in lines if line.change == "added"] == [
        "Opening, revised.",
        "| New |",
        "Closed.",
    ]
    assert matchers.built
    for matcher in matchers.built:
        assert all(len(places) <= diff.REPEATS for places in matcher.b2j.values())


@pytest.mark.parametrize("seed", range(30))
def test_every_line_of_both_versions_is_shown_once_in_order(seed):
    rng = random.Random(seed)
    pool = ["", "", "- item", "Same.", *_paragraphs(12, seed)]
    before = [rng.choice(pool) for _ in range(rng.randint(0, 60))]
    after = [rng.choice(pool) if rng.random() < 0.3 else line for line in before]
    after += [rng.choice(pool) for _ in range(rng.randint(0, 5))]
    lines = compare_lines(before, after)
    assert _rebuilt(lines) == (before, after)
    for line in lines:
        assert not line.segments or "".join(s.text for s in line.segments) == line.text
    if before == after:
        assert all(line.change == "same" for line in lines)
