"""The Chatham House checker: finds sentences in meeting notes that tie a comment, view,
proposal or action to an identifiable person or organisation, so notes are not published
while any stand.

A sentence attributes when an *agent* stands where a speaker stands. Agents are people
(attendees, and any capitalised name, with or without a title), organisations (attendees'
and the caller's, the bundled list of public bodies and civil society, and any capitalised
run that ends like an organisation, an acronym or an odd name such as medConfidential) and
identifying roles ("the Minister", "the chair"). Speaker positions are: the subject of a
reporting, stance or action verb ("HMRC said", "Jane to draft"), the object of "according
to", "in the view of", "raised by"; a possessive before a view ("Sarah Jones's concern");
a cleft ("It was Fatima who proposed"); an apposition or bracket on the way to the verb
("One participant, Sarah Jones, argued"; "Mark (HMRC) said"); and an affiliation of
someone who speaks ("a participant from the ICO argued"). An attendee named anywhere is
a finding too: the attendance record is public, so even a thank-you identifies them.

Organisations and people that are discussed rather than speaking ("how HMRC data would be
protected", "the ICO's published code"), and laws, reports, programmes and places ("the
Digital Economy Act 2017", "the Caldicott review", "70 Whitehall") are not findings.

Each finding quotes its sentence and the exact words that attribute ("Jane Smith said",
"According to Raj"), so the convenor can reword them. A convenor clears a finding that is
not an attribution only by recording why (see services.override_finding).

Matching ignores accents and treats curly and straight apostrophes alike (O’Brien,
O'Brien, OBrien) and hyphens as optional (Smith-Jones, Smith Jones). Words that are also
ordinary English ("Will", "Involve") only match when written with a capital letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from . import gazetteer as names
from . import speech


@dataclass(frozen=True)
class Finding:
    """One attribution: who was matched (an attendee's name or organisation as given on
    the record, a body's name, a name as written, or a role such as "the minister"), of
    what kind, the sentence quoted in full so the convenor can find it, and the words in
    it that attribute, so they know what to reword."""

    matched: str
    kind: str  # "person", "organisation" or "role"
    sentence: str
    words: str


def fold(text: str) -> str:
    """Accent-free form, with one kind of apostrophe and dash."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return text


_ABBREVIATIONS = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|St|Rev|Revd|Cllr|Hon|No|e\.g|i\.e|etc|vs|[A-Z])\.", re.I
)
# A sentence ends at . ! or ? followed by a space and something that is not lower case, so
# "Which? said" and "e.g. the ICO" stay whole.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?![a-z])")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences and list items, one per entry. Title abbreviations and initials do not
    end a sentence."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    parts: list[str] = []
    for line in protected.splitlines():
        line = _BULLET.sub("", line)
        for sentence in _SENTENCE_END.split(line):
            sentence = sentence.replace("\x00", ".").strip()
            if sentence:
                parts.append(sentence)
    return parts


# --- Tokens -----------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|\S")


@dataclass(slots=True)
class _Tokens:
    """A sentence as words and punctuation. `low` is lower case without apostrophes
    ("obrien"), `raw` keeps the case; a possessive is its own token "'s". A hyphen inside
    a word is dropped ("Smith-Jones" is two tokens) and remembered in `glued`, so that
    "HMRC-led" is not read as "HMRC led". `capital` marks name-like words: Capitalised,
    or odd names such as medConfidential."""

    low: list[str]
    raw: list[str]
    start: list[int]
    end: list[int]
    glued: list[bool]
    capital: list[bool]


def _tokenise(folded: str) -> _Tokens:
    raw: list[str] = []
    start: list[int] = []
    end: list[int] = []
    glued: list[bool] = []
    hyphen = False
    for match in _TOKEN.finditer(folded):
        text = match.group()
        begin, finish = match.span()
        if len(text) == 1 and not text.isalnum():
            after_word = bool(raw) and end[-1] == begin and raw[-1][-1:].isalnum()
            if text == "-" and after_word and folded[finish : finish + 1].isalnum():
                hyphen = True
                continue
            if text == "'" and after_word and raw[-1][-1] in "sS":
                text = "'s"  # Jones' view
        elif "'" in text:
            if len(text) > 2 and text[-2:] in ("'s", "'S"):
                raw.append(text[:-2].replace("'", ""))
                start.append(begin)
                end.append(finish - 2)
                glued.append(hyphen)
                hyphen = False
                text, begin = "'s", finish - 2
            else:
                text = text.replace("'", "")
        raw.append(text)
        start.append(begin)
        end.append(finish)
        glued.append(hyphen)
        hyphen = False
    low = [word.lower() for word in raw]
    capital = [
        word[:1].isupper() or (word[:1].islower() and word != lower and word.isalnum())
        for word, lower in zip(raw, low, strict=True)
    ]
    return _Tokens(low, raw, start, end, glued, capital)


@cache
def _fold_char(char: str) -> str:
    return fold(char)


def _fold_with_offsets(sentence: str) -> tuple[str, list[int] | None]:
    """The folded sentence, and for each of its characters the index it came from in the
    original (None when nothing moved), so quoted words are the convenor's own text."""
    if sentence.isascii():
        return sentence.replace("`", "'"), None
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(sentence):
        folded = char if char.isascii() else _fold_char(char)
        out.append(folded)
        origin.extend([index] * len(folded))
    return "".join(out), origin


# --- Lexicons of names ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    """A name to look for, as tokens. `exact` names match only as written (acronyms,
    ordinary words); `initial` names need a capital first letter. `source` breaks ties
    between lists naming the same body: the attendance record (0) over the caller's
    organisations (1) over the bundled gazetteer (2)."""

    keys: tuple[str, ...]
    exact: tuple[str, ...] | None
    initial: bool
    label: str
    kind: str  # "person", "organisation", or "thing" (a programme or law: never an agent)
    source: int


_Lexicon = dict[str, list[_Entry]]


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(_tokenise(fold(phrase)).low)


def _add(lexicon: _Lexicon, phrase: str, label: str, kind: str, mode: str, source: int) -> None:
    """Add a name, and its "&" form for "and" (and the other way round)."""
    tokens = _tokenise(fold(phrase.strip()))
    keys, raw = tokens.low, tokens.raw
    if keys[:1] == ["the"] and len(keys) > 1:
        keys, raw = keys[1:], raw[1:]
    if not keys:
        return
    variants = {tuple(keys)}
    swap = {"and": "&", "&": "and"}
    if "and" in keys or "&" in keys:
        variants.add(tuple(swap.get(k, k) for k in keys))
    for variant in variants:
        exact = tuple(
            swap.get(r, r) if v != k else r for r, v, k in zip(raw, variant, keys, strict=True)
        )
        entry = _Entry(
            variant, exact if mode == "exact" else None, mode == "initial", label, kind, source
        )
        lexicon.setdefault(variant[0], []).append(entry)


def _gazetteer_mode(alias: str) -> str:
    """Acronyms, mixed case and single words match only as written; other names need a
    capital first letter."""
    words = [w for w in re.split(r"[\s,]+", alias) if w]
    if len(words) == 1 or any(not (w.istitle() or w.islower()) for w in words):
        return "exact"
    return "initial"


@cache
def _gazetteer() -> tuple[_Lexicon, dict[tuple[str, ...], tuple[str, ...]]]:
    """The bundled bodies and named things, and every alias's full list of aliases (so an
    attendee's "ONS" also claims "Office for National Statistics"). Built once."""
    lexicon: _Lexicon = {}
    aliases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for line in names.PUBLIC_BODIES + names.CIVIL_SOCIETY:
        body = tuple(name.strip() for name in line.split("|"))
        for alias in body:
            _add(lexicon, alias, body[0], "organisation", _gazetteer_mode(alias), 2)
            aliases[_key(alias)] = body
            aliases[_key(alias.removeprefix("The "))] = body
    for thing in names.NAMED_THINGS:
        _add(lexicon, thing, thing, "thing", "initial", 2)
    for entries in lexicon.values():
        entries.sort(key=lambda e: -len(e.keys))
    return lexicon, aliases


def _add_organisation(lexicon: _Lexicon, organisation: str, source: int) -> None:
    """An organisation by its name, an abbreviation it gives in brackets, its initials
    (three letters or more), and every alias the gazetteer knows for it."""
    folded = fold(organisation).strip()
    if len(folded) < 2 or folded.lower() in names.NOT_ORGANISATIONS:
        return
    explicit = re.search(r"\(([A-Za-z&]{2,10})\)", folded)
    if explicit:
        _add(lexicon, explicit.group(1), organisation, "organisation", "exact", source)
        folded = folded[: explicit.start()].strip()
    words = [w for w in folded.split() if w.lower().strip(".,") not in names.COMPANY_SUFFIXES]
    if words[:1] and words[0].lower() == "the":
        words = words[1:]
    if not words:
        return
    single = len(words) == 1
    cautious = single and (words[0].lower() in names.ORDINARY_WORD_NAMES or len(words[0]) <= 3)
    loose = "none" if source == 0 else "initial"  # the record's names, as before: any case
    mode = "exact" if cautious or (single and source > 0) else loose
    _add(lexicon, " ".join(words), organisation, "organisation", mode, source)
    initials = "".join(
        w[0] for w in words if w.lower() not in names.SKIPPED_IN_INITIALS and w[0].isalpha()
    ).upper()
    if not single and len(initials) >= 3:
        _add(lexicon, initials, organisation, "organisation", "exact", source)
    for alias in _gazetteer()[1].get(_key(" ".join(words)), ()):
        _add(lexicon, alias, organisation, "organisation", _gazetteer_mode(alias), source)


def _add_person(lexicon: _Lexicon, name: str) -> None:
    """An attendee by full name, first name, surname and each part of a double-barrelled
    surname. Titles are optional; ordinary words and two-letter names need a capital."""
    words = [w.strip(".,") for w in fold(name).split()]
    words = [w for w in words if w and w.lower().rstrip(".") not in names.TITLES]
    if not words:
        return
    _add(lexicon, " ".join(words), name, "person", "none", 0)
    singles = {words[0], words[-1]}
    for word in (words[0], words[-1]):
        if "-" in word:
            singles.update(part for part in word.split("-") if len(part) > 2)
    for word in singles:
        if len(word.replace("'", "")) < 2:
            continue
        cautious = word.lower() in names.ORDINARY_WORD_NAMES or len(word) <= 2
        _add(lexicon, word, name, "person", "exact" if cautious else "none", 0)


@lru_cache(maxsize=32)
def _lexicon(attendees: tuple[tuple[str, str], ...], organisations: frozenset[str]) -> _Lexicon:
    """The attendance record's names, the caller's organisations and the gazetteer in one
    lookup, longest names first. Built once per record and set of organisations."""
    lexicon: _Lexicon = {}
    for name, organisation in attendees:
        _add_person(lexicon, name)
        _add_organisation(lexicon, organisation, 0)
    for organisation in organisations:
        _add_organisation(lexicon, organisation, 1)
    for first, entries in _gazetteer()[0].items():
        lexicon.setdefault(first, []).extend(entries)
    for entries in lexicon.values():
        entries.sort(key=lambda e: (-len(e.keys), e.source))
    return lexicon


@cache
def _roles() -> dict[str, list[tuple[str, ...]]]:
    roles: dict[str, list[tuple[str, ...]]] = {}
    for role in names.ROLES:
        keys = _key(role)
        roles.setdefault(keys[0], []).append(keys)
    for bucket in roles.values():
        bucket.sort(key=len, reverse=True)
    return roles


@cache
def _role_heads() -> frozenset[str]:
    """The last word of every role: "officer" for "data protection officer"."""
    return frozenset(keys[-1] for bucket in _roles().values() for keys in bucket)


@cache
def _one_word_roles() -> frozenset[str]:
    return frozenset(keys[0] for bucket in _roles().values() for keys in bucket if len(keys) == 1)


# --- Agents -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Agent:
    """A name in a sentence, as token indices. `label` is None for a name read from
    capitals, which is then labelled as written. An attendee is `on_record`: a finding
    wherever they are named."""

    start: int
    end: int
    label: str | None
    kind: str
    on_record: bool = False


def _lexicon_match(tokens: _Tokens, i: int, lexicon: _Lexicon) -> tuple[int, list[_Entry]]:
    """The longest name starting at token i, and every entry of that length."""
    best, found = 0, []
    for entry in lexicon.get(tokens.low[i], ()):
        size = len(entry.keys)
        if size < best:
            break
        if tuple(tokens.low[i : i + size]) != entry.keys:
            continue
        if entry.exact and tuple(tokens.raw[i : i + size]) != entry.exact:
            continue
        if entry.initial and not tokens.raw[i][:1].isupper():
            continue
        best = size
        found.append(entry)
    return best, found


def _clause_start(tokens: _Tokens, i: int) -> bool:
    return i == 0 or tokens.low[i - 1] in speech.CLAUSE_OPENERS


def _find_agents(tokens: _Tokens, lexicon: _Lexicon, text: str) -> list[_Agent]:
    """Names from the lexicon (longest first), then roles, then capitalised runs: each
    pass reads only the words that the passes before it did not take."""
    covered = [False] * len(tokens.low)  # taken by an organisation, a named thing or a role
    on_record = [False] * len(tokens.low)  # part of an attendee's name
    agents = _named_agents(tokens, lexicon, covered, on_record)
    agents += _role_agents(tokens, text, covered)
    agents += _capitalised_agents(tokens, covered, on_record)
    agents.sort(key=lambda a: a.start)
    return agents


def _named_agents(
    tokens: _Tokens, lexicon: _Lexicon, covered: list[bool], on_record: list[bool]
) -> list[_Agent]:
    low, count = tokens.low, len(tokens.low)
    agents: list[_Agent] = []
    i = 0
    while i < count:
        size, entries = _lexicon_match(tokens, i, lexicon) if low[i] in lexicon else (0, [])
        if not size:
            i += 1
            continue
        first_org = min((e.source for e in entries if e.kind == "organisation"), default=3)
        for entry in entries:
            if entry.kind == "person":
                agents.append(_Agent(i, i + size, entry.label, "person", on_record=True))
            elif entry.kind == "organisation" and entry.source == first_org:
                agents.append(_Agent(i, i + size, entry.label, "organisation"))
        # An attendee's first name may begin someone else's: "Priya Hale" beside "Priya Nair".
        marks = on_record if all(e.kind == "person" for e in entries) else covered
        marks[i : i + size] = [True] * size
        i += size
    return agents


def _role_agents(tokens: _Tokens, text: str, covered: list[bool]) -> list[_Agent]:
    low, roles = tokens.low, _roles()
    agents: list[_Agent] = []
    for i in range(len(low)):
        for keys in roles.get(low[i], ()):
            size = len(keys)
            if tuple(low[i : i + size]) != keys or any(covered[i : i + size]):
                continue
            if low[i + size : i + size + 1] and low[i + size] in roles:
                break  # "the lead official": the last noun is the role
            start = _role_start(tokens, i, covered)
            if start is not None:
                role = text[tokens.start[i] : tokens.end[i + size - 1]].lower()
                agents.append(_Agent(start, i + size, f"the {role}", "role"))
                covered[i : i + size] = [True] * size
            break
    return agents


def _capitalised_agents(
    tokens: _Tokens, covered: list[bool], on_record: list[bool]
) -> list[_Agent]:
    """Runs of capitalised words, joined by "of", "and", "de"..., read by `_run_agents`;
    a run that is only an attendee's name (and titles) is already found."""
    low, count = tokens.low, len(tokens.low)
    agents: list[_Agent] = []
    i = 0
    while i < count:
        if covered[i] or not tokens.capital[i]:
            i += 1
            continue
        end = i + 1
        while end < count and not covered[end]:
            if tokens.capital[end] or (low[end] == "." and low[end - 1] in names.TITLES):
                end += 1
            elif (
                low[end] in speech.NAME_JOINERS
                and end + 1 < count
                and not covered[end + 1]
                and tokens.capital[end + 1]
            ):
                end += 2
            else:
                break
        agents.extend(
            agent
            for agent in _run_agents(tokens, i, end)
            if not all(
                on_record[k] or low[k] in names.TITLES or low[k] == "."
                for k in range(agent.start, agent.end)
            )
        )
        i = end
    return agents


def _role_start(tokens: _Tokens, i: int, covered: list[bool]) -> int | None:
    """Where an identifying role begins: "the (senior) Minister", "the group's chair", or
    a capitalised role opening a clause as minutes write it ("Chair: welcomed members").
    None for "a minister" or "DWP official" (the organisation identifies instead)."""
    low = tokens.low
    if tokens.raw[i][:1].isupper() and _clause_start(tokens, i):
        return i
    j = i - 1
    while j >= 0 and i - j <= 3 and not covered[j]:
        if (
            low[j] in speech.ROLE_QUALIFIERS
            or low[j] in _role_heads()
            or tokens.raw[j][:1].isupper()
        ):
            if low[j] in speech.DEFINITE:
                return j
            j -= 1
        else:
            break
    if j < 0 or covered[j]:
        return None
    if low[j] in speech.DEFINITE:
        return j
    if low[j] == "'s" and j >= 1 and not covered[j - 1]:
        return j - 2 if j >= 2 and low[j - 2] in speech.DEFINITE else j - 1
    return None


def _run_agents(tokens: _Tokens, start: int, end: int) -> list[_Agent]:
    """Read a run of capitalised words: an organisation, one or more people, or nobody
    (a sentence's first word, a place, a law, a report, a month)."""
    low, raw = tokens.low, tokens.raw
    roles = _one_word_roles()
    determined = start > 0 and low[start - 1] in speech.ARTICLES
    while start < end and (
        low[start] in names.COMMON_CAPITALS
        or low[start] in roles
        or (low[start] in speech.NAME_JOINERS and raw[start].islower())
        or not raw[start][:1].isalnum()
        or _opening_verb(tokens, start, end)
    ):
        determined = determined or low[start] in speech.ARTICLES
        start += 1
    if start >= end:
        return []
    words = low[start:end]
    # "the Digital Economy Act 2017", "the Caldicott review"; a lone "Bill" may be a person.
    after = end + 1 if low[end : end + 1] and low[end].isdigit() else end
    next_word = low[after] if after < len(low) else ""
    if next_word in names.DOCUMENT_NOUNS or (
        words[-1] in names.DOCUMENT_NOUNS and (len(words) > 1 or determined)
    ):
        return []
    headed = any(
        word in names.ORGANISATION_HEADS and (k == len(words) - 1 or words[k + 1] in ("of", "for"))
        for k, word in enumerate(words)
    )
    if (headed and len(words) > 1) or words[0] in ("university", "college"):
        return [_Agent(start, end, None, "organisation")]
    if all(r.isupper() and len(r) >= 2 for r in raw[start:end] if r.isalnum()):
        if any(r in names.NON_AGENT_ACRONYMS for r in raw[start:end]):
            return []
        return [_Agent(start, end, None, "organisation")]
    if end - start == 1 and not raw[start][:1].isupper():
        return [_Agent(start, end, None, "organisation")]  # medConfidential
    if any(w in names.TITLES for w in words):
        return [_Agent(start, end, None, "person")]
    if determined:
        return []  # "the Guardian", "the Bill": a capitalised thing, not a person
    agents, part = [], start
    for k in range(start, end + 1):
        if k == end or low[k] in ("and", "&", "or"):
            if part < k and len(raw[part]) > 1 and not _nobody(tokens, part, k):
                agents.append(_Agent(part, k, None, "person"))
            part = k + 1
    return agents


def _opening_verb(tokens: _Tokens, k: int, end: int) -> bool:
    """A known verb in the past tense opening a clause before a name ("Removed Jane
    Smith's view", "Noted HMRC's concern"): the name starts after it. Only verbs the
    checker knows, so that a first name ending in -ed (Ahmed, Mohammed) stays a name."""
    word = tokens.low[k]
    verbs = speech.LEMMAS | speech.EDITING
    return (
        k + 1 < end
        and _clause_start(tokens, k)
        and (word in speech.FINITE or word[:-1] in verbs or word[:-2] in verbs)
    )


def _nobody(tokens: _Tokens, start: int, end: int) -> bool:
    """A place ("Leeds", "North Wales"), or a lone capitalised word that reads as an
    ordinary noun ("Evidence", "Options")."""
    words = tokens.low[start:end]
    if all(w in names.PLACES or w in names.PLACE_QUALIFIERS for w in words) and any(
        w in names.PLACES for w in words
    ):
        return True
    word = words[0]
    return end - start == 1 and (
        word in names.COMMON_CAPITALS
        or (_clause_start(tokens, start) and word in speech.FINITE)  # "Noted HMRC's concern"
        or (word in names.DOCUMENT_NOUNS and word not in names.ORDINARY_WORD_NAMES)
        or (_clause_start(tokens, start) and word.endswith(speech.NOUN_SUFFIXES))
    )


# --- Speaker positions ------------------------------------------------------------------


def _verb(tokens: _Tokens, k: int, to_allowed: bool) -> int | None:
    """If a reporting, stance or action verb phrase starts at token k, where it ends."""
    low, count = tokens.low, len(tokens.low)
    if k >= count or tokens.glued[k]:
        return None
    word = low[k]
    for phrase in speech.PHRASES.get(word, ()):
        if tuple(low[k : k + len(phrase)]) == phrase:
            return k + len(phrase)
    if word in speech.COMMITMENTS and low[k + 1 : k + 3] and _action_after_to(low, k + 1):
        return k + 3
    if word in speech.FINITE:
        if word in speech.NOUN_LIKE and k + 1 < count and low[k + 1] not in speech.FOLLOWERS:
            return None
        return k + 1
    m = k + 1
    while m < count and (low[m] == "not" or _adverb(tokens, m)):
        m += 1
    if m >= count:
        return None
    following = low[m]
    if word in speech.BE:
        if following in speech.STANCE:
            return m + 1
        if following == "of" and low[m + 1 : m + 3] in (["the", "view"], ["the", "opinion"]):
            return m + 3
        if following == "in" and low[m + 1 : m + 2] in (["favour"], ["favor"]):
            return m + 2
        if following in ("asked", "due") and low[m + 1 : m + 2] == ["to"]:
            return m + 3 if low[m + 2 : m + 3] and low[m + 2] in speech.LEMMAS else None
        if following == "to" and low[m + 1 : m + 2] and low[m + 1] in speech.LEMMAS:
            return m + 2
        return m + 1 if following in speech.PROGRESSIVE else None
    if word in speech.FUTURE:
        if following in speech.LEMMAS:
            return m + 1
        if following == "be" and low[m + 1 : m + 2] and low[m + 1] in speech.STANCE:
            return m + 2
        return None
    if word in speech.AUXILIARIES and following in speech.REPORTING:
        negated = low[k + 1] == "not" or word in ("cannot", "would", "did", "does", "do")
        return m + 1 if negated else None
    if word in speech.PERFECT:
        if following in speech.PARTICIPLES:
            return m + 1
        if following == "been" and low[m + 1 : m + 2] and low[m + 1] in speech.STANCE:
            return m + 2
        return _verb(tokens, m, False) if following in speech.COMMITMENTS else None
    if word == "to" and to_allowed and following in speech.LEMMAS:
        return m + 1  # "Action: Jane to draft"
    return None


def _action_after_to(low: list[str], k: int) -> bool:
    """ "to draft" at token k."""
    return low[k] == "to" and k + 1 < len(low) and low[k + 1] in speech.LEMMAS


def _adverb(tokens: _Tokens, k: int) -> bool:
    word = tokens.low[k]
    return word in speech.ADVERBS or (
        word.endswith("ly") and tokens.raw[k].islower() and word not in speech.NOT_ADVERBS
    )


def _predicate(tokens: _Tokens, k: int, ends: dict[int, int], to_allowed: bool) -> int | None:
    """Where the verb phrase of a subject ending before token k ends, looking past
    adverbs, brackets, appositions, "and <another agent>", "who" and an affiliation
    ("from the LGA"). None if the words after the subject do not report."""
    low, count = tokens.low, len(tokens.low)
    for _ in range(8):
        if k >= count:
            return None
        word = low[k]
        if word == "(":
            close = _closing(low, k + 1, (")",))
            if close is None:
                return None
            k = close + 1
        elif word in ("and", "&", "or", ",") and _skip_article(low, k + 1) in ends:
            k = ends[_skip_article(low, k + 1)]  # "HMRC, the ICO and Ofsted all warned"
        elif word in (",", "-"):
            # An apposition or a relative clause: "Sarah Jones, argued", "Ben, who ..., said".
            after = _skip_adverbs(tokens, k + 1)
            if low[after : after + 1] == ["who"]:
                after = _skip_adverbs(tokens, after + 1)
            end = _verb(tokens, after, False)
            if end:
                return end
            close = _closing(low, k + 1, (word,))
            if close is None:
                return None
            k = close + 1
        elif word == "and":
            for m in range(k + 2, min(k + 4, count)):
                if not low[m - 1].isalpha():
                    break
                end = _verb(tokens, m, False)
                if end:
                    return end
            return None
        elif word == "who":
            k += 1
        elif word in speech.AFFILIATIONS:
            # "Greg from the LGA", "the chair of the RSS's data committee", "from a charity"
            named = _skip_article(low, k + 1)
            if named not in ends:
                return _verb_within(tokens, k + 2, 6)
            k = ends[named]
            if low[k : k + 1] == ["'s"]:
                return _verb_within(tokens, k + 1, 4)
        elif _adverb(tokens, k):
            k += 1
        else:
            return _verb(tokens, k, to_allowed)
    return None


def _verb_within(tokens: _Tokens, k: int, words: int) -> int | None:
    """The end of the first verb phrase within a few words from k, in the same clause."""
    for m in range(k, min(k + words, len(tokens.low))):
        if tokens.low[m - 1] in speech.BREAKS:
            return None
        end = _verb(tokens, m, False)
        if end:
            return end
    return None


def _skip_article(low: list[str], k: int) -> int:
    return k + 1 if k < len(low) and low[k] in speech.ARTICLES else k


def _skip_adverbs(tokens: _Tokens, k: int) -> int:
    while k < len(tokens.low) and _adverb(tokens, k):
        k += 1
    return k


def _closing(low: list[str], k: int, marks: tuple[str, ...]) -> int | None:
    """The next closing mark within a short aside, not crossing the end of a clause."""
    for m in range(k, min(k + 15, len(low))):
        if low[m] in marks:
            return m
        if low[m] in speech.BREAKS:
            return None
    return None


def _speaker_span(tokens: _Tokens, agent: _Agent, ends: dict[int, int]) -> tuple[int, int] | None:
    """The tokens that put this agent in a speaker's place, or None if it is only
    mentioned."""
    low, count = tokens.low, len(tokens.low)
    start, end = agent.start, agent.end
    if agent.kind == "organisation" and start > 0 and low[start - 1] == "the":
        start -= 1
    while start > 0 and (
        low[start - 1] in names.TITLES
        or (low[start - 1] == "." and start > 1 and low[start - 2] in names.TITLES)
    ):
        start -= 1
    while (
        agent.kind != "person"
        and end < count
        and end - agent.end < 2
        and low[end] in names.PARTICIPANT_NOUNS
    ):
        end += 1  # "the DWP representative", "Home Office officials"
    before = low[start - 1] if start > 0 else ""
    two_before = tuple(low[max(start - 2, 0) : start])
    # Frames before the agent: "according to X", "in the view of X", "raised by X".
    if two_before == ("according", "to") or two_before == ("speaking", "for"):
        return start - 2, end
    if before == "representing":
        return start - 1, end
    if before in ("of", "by", "from") and start >= 2:
        frame_words = speech.FRAME_OF if before == "of" else speech.FRAME_BY
        if low[start - 2] in frame_words:
            frame = start - 2
            while frame > 0 and low[frame - 1] in speech.ARTICLES + ("in", "on", "from"):
                frame -= 1
            return frame, end
    if before in speech.INVERTED and (start < 2 or low[start - 2] in speech.QUOTE_MARKS):
        return start - 1, end
    if before in (":", "(", "-") and start >= 2 and low[start - 2] in speech.ACTION_LABELS:
        return start - 2, _predicate(tokens, end, ends, True) or end  # "Action: Jane to draft"
    # A cleft: "It was Fatima Begum who proposed".
    if two_before in (("it", "was"), ("it", "is")) and low[end : end + 1] in (["who"], ["that"]):
        return start - 2, _predicate(tokens, end + 1, ends, False) or end + 1
    # A possessive before a view: "Sarah Jones's concern", "the ICO's view".
    if low[end : end + 1] == ["'s"]:
        k = end + 1
        while k < count and k - end <= 2 and low[k] in speech.POSSESSIVE_ADJECTIVES:
            k += 1
        views = speech.ORGANISATION_VIEWS if agent.kind == "organisation" else speech.VIEWS
        if low[k : k + 1] and low[k] in views:
            return start, k + 1
        if low[k : k + 1] and (low[k] in names.PARTICIPANT_NOUNS or low[k] in _role_heads()):
            verb_end = _predicate(tokens, k + 1, ends, False)
            return (start, verb_end) if verb_end else None
        return None
    if agent.kind == "organisation" and end < count and low[end] in speech.ORGANISATION_VIEWS:
        return start, end + 1  # "The DWP position was"
    if low[end : end + 1] == [":"] and _clause_start(tokens, start):
        return start, end + 1  # "Jane Smith: the data is already shared"
    if before in ("(", ",", "-") and start >= 2:
        # A participant named: "One participant (DWP) argued", "an attendee, Paul Morgan,".
        head = _affiliated_head(tokens, start - 1)
        if head is not None:
            closed = end + 1 if low[end : end + 1] == [")"] else end
            return head, _predicate(tokens, closed, ends, False) or closed
    if before in speech.CLAUSE_WORDS:  # "Added what Jane Smith said about costs."
        verb_end = _predicate(tokens, end, ends, False)
        return (start, verb_end) if verb_end else None
    if before in speech.LISTING:  # "Some members, including Tariq, felt"
        verb_end = _predicate(tokens, end, ends, False)
        return (start - 1, verb_end) if verb_end else None
    if before in speech.BLOCKING:
        head = _affiliated_head(tokens, start - 1)
        if head is None:
            return None
        verb_end = _predicate(tokens, end, ends, False)
        return (head, verb_end) if verb_end else None
    at_start = _clause_start(tokens, start)
    verb_end = _predicate(tokens, end, ends, at_start) or (
        _joined_verb(tokens, end) if at_start else None
    )
    return (start, verb_end) if verb_end else None


def _joined_verb(tokens: _Tokens, k: int) -> int | None:
    """A reporting verb joined to a first verb in the past tense: "Helen Marsh opened the
    meeting and said", "HMRC welcomed the paper but warned". Not after a noun ("The ICO
    code was published and welcomed"): the word after the subject must read as a verb."""
    low, count = tokens.low, len(tokens.low)
    k = _skip_adverbs(tokens, k)
    if k >= count or not (low[k].endswith("ed") or low[k] in speech.PAST_TENSES):
        return None
    for m in range(k + 1, min(k + 12, count - 1)):
        if low[m] in speech.BREAKS or low[m] == ",":
            return None
        if low[m] in ("and", "but", "then"):
            return _verb(tokens, _skip_adverbs(tokens, m + 1), False)
    return None


def _affiliated_head(tokens: _Tokens, preposition: int) -> int | None:
    """Where "a participant from" / "the representative of" / "one attendee," begins, if
    the preposition or mark at this index ties the agent after it to a participant."""
    low = tokens.low
    if not preposition or (
        low[preposition] not in speech.AFFILIATIONS and low[preposition] not in ("(", ",", "-")
    ):
        return None
    head = preposition - 1
    if low[head] not in names.PARTICIPANT_NOUNS and low[head] not in _role_heads():
        return None
    while (
        head > 0
        and preposition - head <= 4
        and (low[head - 1] in speech.ROLE_QUALIFIERS or low[head - 1] in speech.DETERMINERS)
    ):
        head -= 1
    return head


# --- The checker ------------------------------------------------------------------------


def find_attributions(
    text: str,
    attendees: Iterable[tuple[str, str]],
    organisations: Iterable[str] = (),
) -> list[Finding]:
    """Every attribution in `text`, one finding per agent and sentence, in reading order.

    `attendees` are the attendance record's (name, organisation) pairs: an attendee named
    anywhere is a finding. `organisations` are further names the caller knows (the
    organisations held in the database); they are matched like the bundled public bodies,
    only where they stand as a speaker, and are compiled once per distinct set, so pass
    the same collection for every field of the same notes."""
    record = tuple((name or "", organisation or "") for name, organisation in attendees)
    lexicon = _lexicon(record, frozenset(o for o in organisations if o))
    findings: list[Finding] = []
    for sentence in split_sentences(text or ""):
        findings.extend(_sentence_findings(sentence, lexicon))
    return findings


def _sentence_findings(sentence: str, lexicon: _Lexicon) -> list[Finding]:
    folded, origin = _fold_with_offsets(sentence)
    tokens = _tokenise(folded)
    agents = _find_agents(tokens, lexicon, folded)
    ends = {agent.start: agent.end for agent in agents}
    spans = {id(agent): _speaker_span(tokens, agent, ends) for agent in agents}
    speaking = [span for span in spans.values() if span]
    attributed: set[str] = set()

    def quote(first: int, last: int) -> str:
        begin, finish = tokens.start[first], tokens.end[last - 1]
        if origin is not None:
            begin, finish = origin[begin], origin[finish - 1] + 1
        return sentence[begin:finish]

    found: dict[str, Finding] = {}
    for agent in agents:
        span = spans[id(agent)] or next(
            (s for s in speaking if s[0] <= agent.start and agent.end <= s[1]), None
        )
        if span is None and not agent.on_record:
            continue
        label = agent.label or quote(agent.start, agent.end)
        words = quote(*span) if span else quote(agent.start, agent.end)
        # One finding per name and sentence; an attribution's words beat a mere mention.
        if label not in found or (span and label not in attributed):
            found[label] = Finding(label, agent.kind, sentence, words)
        if span:
            attributed.add(label)
    return list(found.values())
