"""The one way two texts are compared: which lines were added or removed, and, inside a
changed passage, which words.

Anyone may ask for the comparison of any two versions of a public document, so its cost
must stay small however awkward the texts are (up to the longest a form accepts).
`difflib.ndiff` compared every removed line with every added one to pair near matches, a
cost that grows with the square of a changed passage: seconds for a text of many repeated
lines. Instead:

1. Lines that open or close both texts unchanged are set aside at once.
2. Lines that occur exactly once in each text (in Markdown, nearly every paragraph) anchor
   the comparison, taken in the order both texts agree on. `SequenceMatcher` then compares
   only the short stretches between anchors, within a budget; a stretch beyond it (long
   runs of repeated lines) is shown as removed and added.
3. Inside a changed passage, words are compared once the words it begins and ends with
   unchanged are set aside, again within a budget; a passage too long for what is left of
   it is shown as whole lines removed and added.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Sequence
from difflib import SequenceMatcher
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

# What one comparison may hand to SequenceMatcher, counted in pairs (removed × added) since
# its work grows with both sides: lines between anchors, and words inside changed passages
# once the unchanged words at a passage's start and end are set aside.
LINE_PAIRS_BUDGET = 100_000
WORD_PAIRS_BUDGET = 100_000
# A line or word found more often than this in the newer text never starts a match.
REPEATS = 8

_WORD = re.compile(r"\w+|\s+|[^\w\s]")
_LINE_BREAK = "\n"  # never inside a line of `str.splitlines()`, so it cannot be a word

Opcode = tuple[str, int, int, int, int]
first = itemgetter(0)


class Segment(NamedTuple):
    change: str  # "same", "added" or "removed"
    text: str


class DiffLine(NamedTuple):
    """One line of a comparison. `segments` splits a changed line into the words kept
    ("same") and those added or removed, when its passage was compared word by word;
    otherwise it is empty and the whole line is what changed. (A tuple, not a dataclass:
    a long comparison makes one per line, and a tuple is made several times faster.)"""

    change: str  # "same", "added" or "removed"
    text: str
    segments: tuple[Segment, ...] = ()


class _Budget:
    """What is left of the work one comparison may do. A piece of work that does not fit
    is not done (the passage is shown as whole lines) and costs nothing, so later, smaller
    passages may still be compared."""

    def __init__(self) -> None:
        self.line_pairs = LINE_PAIRS_BUDGET
        self.word_pairs = WORD_PAIRS_BUDGET

    def spend_line_pairs(self, pairs: int) -> bool:
        if pairs > self.line_pairs:
            return False
        self.line_pairs -= pairs
        return True

    def could_spend_word_pairs(self, pairs: int) -> bool:
        return pairs <= self.word_pairs

    def spend_word_pairs(self, pairs: int) -> bool:
        if pairs > self.word_pairs:
            return False
        self.word_pairs -= pairs
        return True


def compare_lines(before: Sequence[str], after: Sequence[str]) -> list[DiffLine]:
    """Every line of both texts in reading order, marked "same", "removed" or "added";
    within a changed passage the removed lines come first, then the added ones."""
    budget = _Budget()
    result: list[DiffLine] = []
    for tag, i1, i2, j1, j2 in _line_opcodes(before, after, budget):
        if tag == "equal":
            result += [DiffLine("same", line) for line in before[i1:i2]]
        else:
            result += _changed_passage(before[i1:i2], after[j1:j2], budget)
    return result


def _line_opcodes(before: Sequence[str], after: Sequence[str], budget: _Budget) -> list[Opcode]:
    """`SequenceMatcher.get_opcodes()` for two lists of lines, with neighbouring changes
    merged into one, found in bounded time (see the module's docstring)."""
    n, m = len(before), len(after)
    head, tail = _common_ends(before, after)
    opcodes: list[Opcode] = [("equal", 0, head, 0, head)]
    i, j = head, head
    for ai, bj in _anchors(before, after, head, n - tail, head, m - tail):
        opcodes += _stretch(before, after, i, ai, j, bj, budget)
        opcodes.append(("equal", ai, ai + 1, bj, bj + 1))
        i, j = ai + 1, bj + 1
    opcodes += _stretch(before, after, i, n - tail, j, m - tail, budget)
    opcodes.append(("equal", n - tail, n, m - tail, m))
    return _merged(opcodes)


def _common_ends(before: Sequence[str], after: Sequence[str]) -> tuple[int, int]:
    """How many items both open with, and how many of the rest both close with."""
    shorter = min(len(before), len(after))
    head = 0
    while head < shorter and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < shorter - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return head, tail


def _anchors(
    before: Sequence[str], after: Sequence[str], alo: int, ahi: int, blo: int, bhi: int
) -> list[tuple[int, int]]:
    """Positions (i, j) of lines found once in each range, the longest run of them in the
    same order in both (patience sorting: n log n)."""
    in_before = Counter(before[alo:ahi])
    in_after = Counter(after[blo:bhi])
    where_after = {line: j for j, line in enumerate(after[blo:bhi], blo) if in_after[line] == 1}
    pairs = [
        (i, where_after[line])
        for i, line in enumerate(before[alo:ahi], alo)
        if in_before[line] == 1 and line in where_after
    ]
    # tops[k]: the smallest j ending an increasing run of length k + 1 so far.
    tops: list[int] = []
    top_pair: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tops, j)
        previous.append(top_pair[k - 1] if k else -1)
        if k == len(tops):
            tops.append(j)
            top_pair.append(index)
        else:
            tops[k] = j
            top_pair[k] = index
    chain: list[tuple[int, int]] = []
    index = top_pair[-1] if top_pair else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]


def _stretch(
    before: Sequence[str],
    after: Sequence[str],
    alo: int,
    ahi: int,
    blo: int,
    bhi: int,
    budget: _Budget,
) -> list[Opcode]:
    """The opcodes of the lines between two anchors: SequenceMatcher's, if the budget
    allows, else the whole stretch as one change."""
    if alo == ahi and blo == bhi:
        return []
    if before[alo:ahi] == after[blo:bhi]:
        return [("equal", alo, ahi, blo, bhi)]
    if alo == ahi or blo == bhi or (ahi - alo == 1 and bhi - blo == 1):
        return [("replace", alo, ahi, blo, bhi)]
    if not budget.spend_line_pairs((ahi - alo) * (bhi - blo)):
        return [("replace", alo, ahi, blo, bhi)]
    matcher = _matcher(before[alo:ahi], after[blo:bhi])
    return [
        (tag, alo + i1, alo + i2, blo + j1, blo + j2)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]


def _matcher(
    before: Sequence[str], after: Sequence[str], is_space: Callable[[str], bool] | None = None
) -> SequenceMatcher:
    """A SequenceMatcher that looks for matches only from items found at most `REPEATS`
    times in `after` (and not spaces); the rest join a match only beside one. Its work then
    grows with the pairs of items compared, not with how often each repeats."""
    frequent = {item for item, count in Counter(after).items() if count > REPEATS}

    def is_junk(item: str) -> bool:
        return item in frequent or (is_space is not None and is_space(item))

    return SequenceMatcher(is_junk, before, after)


def _merged(opcodes: list[Opcode]) -> list[Opcode]:
    """Empty opcodes dropped; touching equal ones joined, and touching changes joined
    into one "replace", so each changed passage is compared word by word as a whole."""
    merged: list[Opcode] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if i1 == i2 and j1 == j2:
            continue
        tag = "equal" if tag == "equal" else "replace"
        if merged and (merged[-1][0] == "equal") == (tag == "equal"):
            last = merged.pop()
            merged.append((tag, last[1], i2, last[3], j2))
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def _changed_passage(
    removed: Sequence[str], added: Sequence[str], budget: _Budget
) -> list[DiffLine]:
    whole_lines = [DiffLine("removed", line) for line in removed] + [
        DiffLine("added", line) for line in added
    ]
    if not (removed and added) or not budget.could_spend_word_pairs(_lines_between(removed, added)):
        return whole_lines
    (old, old_counts), (new, new_counts) = _words(removed), _words(added)
    head, tail = _common_ends(old, new)
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    if not budget.spend_word_pairs(len(old_middle) * len(new_middle)):
        return whole_lines
    old_marks = ["same"] * len(old)
    new_marks = ["same"] * len(new)
    matcher = _matcher(old_middle, new_middle, is_space=str.isspace)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old_marks[head + i1 : head + i2] = ["removed"] * (i2 - i1)
            new_marks[head + j1 : head + j2] = ["added"] * (j2 - j1)
    return _lines_of(removed, "removed", old, old_marks, old_counts) + _lines_of(
        added, "added", new, new_marks, new_counts
    )


def _lines_between(removed: Sequence[str], added: Sequence[str]) -> int:
    """At least how many pairs of words a passage's comparison will take, found without
    splitting it into words: each line but the last ends in a line break, and only the
    lines both sides open or close with are certain to be set aside."""
    head, tail = _common_ends(removed, added)
    return max(len(removed) - head - tail - 1, 0) * max(len(added) - head - tail - 1, 0)


def _words(lines: Sequence[str]) -> tuple[list[str], list[int]]:
    """The passage's words, spaces and punctuation, its lines joined by a line break,
    and how many of them each line holds."""
    words: list[str] = []
    counts: list[int] = []
    for number, line in enumerate(lines):
        if number:
            words.append(_LINE_BREAK)
        found = _WORD.findall(line)
        words += found
        counts.append(len(found))
    return words, counts


def _lines_of(
    lines: Sequence[str], change: str, words: list[str], marks: list[str], counts: list[int]
) -> list[DiffLine]:
    """The passage's lines again, each with its words grouped into runs of one change."""
    result: list[DiffLine] = []
    start = 0
    for line, count in zip(lines, counts, strict=True):
        end = start + count
        runs = groupby(zip(words[start:end], marks[start:end], strict=True), key=itemgetter(1))
        segments = tuple(Segment(mark, "".join(map(first, run))) for mark, run in runs)
        result.append(DiffLine(change, line, segments))
        start = end + 1  # past the line break
    return result
