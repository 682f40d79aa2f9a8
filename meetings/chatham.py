"""The Chatham House checker: finds sentences in meeting notes that tie a view to an
identifiable person or organisation, so notes are not published while any stand.

The rule is deliberately cautious: any mention of an attendee (full name, surname, first
name, title and surname, possessive) or their organisation (full name or its abbreviation)
is a finding, and so is an identifying role with a reporting verb ("the Minister said", "the
representative from X noted"). A convenor can clear a finding that is not an attribution
(thanking a host, say) only by recording why (see services.override_finding).

Matching ignores case and accents ("JOSÉ" matches "Jose"), treats curly and straight
apostrophes alike (O’Brien, O'Brien, OBrien) and hyphens as optional (Smith-Jones, Smith
Jones). Words that are also ordinary English ("Will", "Grace", "Involve") only match when
written with a capital letter, so "we will" is not a finding for an attendee called Will.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "baroness",
    "rev",
    "cllr",
}

# Words too short or too common to be matched case-insensitively as names.
COMMON_WORDS = {
    "will",
    "may",
    "grace",
    "mark",
    "rose",
    "hope",
    "faith",
    "joy",
    "bill",
    "frank",
    "june",
    "april",
    "august",
    "sue",
    "pat",
    "dawn",
    "rich",
    "art",
    "king",
    "young",
    "white",
    "black",
    "green",
    "brown",
    "long",
    "hall",
    "wood",
    "bell",
    "ward",
    "rice",
    "lee",
    "page",
    "chase",
    "reading",
    "involve",
    "open",
    "data",
    "policy",
    "office",
    "said",
    "mason",
    "cook",
    "baker",
    "carpenter",
    "victoria",
    "sterling",
    "summer",
    "winter",
    "ray",
    "guy",
    "glen",
    "dean",
    "don",
    "drew",
    "sky",
}

# Words left out of an organisation's initials: "Office for National Statistics" -> ONS.
ACRONYM_SKIP = {"of", "for", "and", "the", "&", "in", "on", "to", "at", "a"}
ORG_SUFFIXES = {"ltd", "limited", "plc", "llp", "cic", "inc"}

ROLES = (
    r"minister|secretary of state|permanent secretary|secretary|chair|chairman|chairwoman|"
    r"chairperson|co-chair|convenor|convener|director|deputy director|chief executive|"
    r"ceo|head|commissioner|official|spokesperson|spokesman|spokeswoman|representative|rep|"
    r"delegate|lead|host|facilitator|speaker|presenter|member for [a-z ]+"
)
REPORTING_VERBS = (
    r"said|says|say|argued|argues|noted|notes|stated|states|suggested|suggests|claimed|claims|"
    r"felt|feels|believed|believes|thought|thinks|proposed|proposes|warned|warns|insisted|"
    r"insists|explained|explains|observed|remarked|commented|pointed out|points out|added|"
    r"asked|raised|agreed|disagreed|objected|stressed|emphasised|emphasized|accepted|"
    r"recommended|questioned|welcomed|urged|cautioned|countered|responded|replied|argue|"
    r"expressed|voiced|acknowledged|conceded|highlighted|mentioned|was concerned|"
    r"was of the view|took the view|made the point|made the case|wanted|opposed|supported|"
    r"backed|rejected|criticised|criticized|praised|told"
)
# "the Minister said", "the chair strongly argued", "the representative from the ONS noted",
# "the Minister's view", "according to the chair".
_QUALIFIER = r"(?:(?:senior|deputy|junior|government|civil society|local|lead)\s+)?"
_ROLE = rf"(?:the|our|their|its)\s+{_QUALIFIER}(?:{ROLES})"
_FROM = r"(?:\s+(?:from|of|for|at|representing)\s+(?:[\w'&.-]+\s+){0,5}?[\w'&.-]+)?"
ROLE_PATTERNS = [
    re.compile(rf"\b{_ROLE}{_FROM}\s*,?\s+(?:\w+ly\s+)?(?:{REPORTING_VERBS})\b", re.IGNORECASE),
    re.compile(
        rf"\b{_ROLE}'s?\s+(?:\w+\s+)?(?:view|views|position|concern|concerns|point|argument|"
        r"opinion|suggestion|proposal|objection|comment|comments)\b",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:according to|in the view of|as)\s+{_ROLE}{_FROM}\b", re.IGNORECASE),
]
_ROLE_WORD = re.compile(rf"\b(?:{ROLES})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One sentence that ties a view to someone: who was matched, of what kind, and the
    sentence quoted in full so the convenor can find and reword it."""

    matched: str
    kind: str  # "person", "organisation" or "role"
    sentence: str


def fold(text: str) -> str:
    """Case- and accent-insensitive form, with one kind of apostrophe and dash."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return text


_ABBREVIATIONS = re.compile(r"\b(Dr|Mr|Mrs|Ms|Mx|Prof|St|Rev|Cllr|e\.g|i\.e|etc|vs)\.", re.I)


def split_sentences(text: str) -> list[str]:
    """Sentences and list items, one per entry. Title abbreviations do not end a sentence."""
    protected = _ABBREVIATIONS.sub(lambda m: m.group(0).replace(".", "\x00"), text)
    parts: list[str] = []
    for line in protected.splitlines():
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line)
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            sentence = sentence.replace("\x00", ".").strip()
            if sentence:
                parts.append(sentence)
    return parts


def _token_pattern(token: str) -> str:
    """A name token with optional apostrophes and hyphens-or-spaces."""
    out = []
    for char in token:
        if char == "'":
            out.append("'?")
        elif char == "-":
            out.append(r"[-\s]?")
        else:
            out.append(re.escape(char))
    return "".join(out)


@dataclass
class _Term:
    label: str
    kind: str
    pattern: re.Pattern[str]


def _term(label: str, kind: str, phrase: str, *, case_sensitive: bool = False) -> _Term:
    flags = 0 if case_sensitive else re.IGNORECASE
    body = r"\s+".join(_token_pattern(word) for word in phrase.split())
    return _Term(label, kind, re.compile(rf"(?<![\w'-]){body}(?![\w-])", flags))


def _name_terms(name: str) -> list[_Term]:
    words = [w.strip(".,") for w in fold(name).split()]
    words = [w for w in words if w and w.lower().rstrip(".") not in TITLES]
    if not words:
        return []
    terms = [_term(name, "person", " ".join(words))]
    singles = {words[0], words[-1]}
    # Each part of a double-barrelled surname identifies too ("Smith-Jones" -> "Jones").
    for word in (words[0], words[-1]):
        if "-" in word:
            singles.update(part for part in word.split("-") if len(part) > 2)
    for word in singles:
        if len(word.replace("'", "")) < 2:
            continue
        cautious = word.lower() in COMMON_WORDS or len(word) <= 2
        terms.append(_term(name, "person", word, case_sensitive=cautious))
    return terms


def _organisation_terms(organisation: str) -> list[_Term]:
    folded = fold(organisation).strip()
    if not folded:
        return []
    terms: list[_Term] = []
    explicit = re.search(r"\(([A-Za-z&]{2,10})\)", folded)
    if explicit:
        terms.append(_term(organisation, "organisation", explicit.group(1), case_sensitive=True))
        folded = folded[: explicit.start()].strip()
    words = [w for w in re.split(r"\s+", folded) if w.lower().strip(".,") not in ORG_SUFFIXES]
    if words and words[0].lower() == "the":
        words = words[1:]
    if not words:
        return terms
    cautious = len(words) == 1 and (words[0].lower() in COMMON_WORDS or len(words[0]) <= 3)
    terms.append(_term(organisation, "organisation", " ".join(words), case_sensitive=cautious))
    if " and " in f" {' '.join(words).lower()} ":
        ampersand = " ".join("&" if w.lower() == "and" else w for w in words)
        terms.append(_term(organisation, "organisation", ampersand, case_sensitive=cautious))
    if len(words) == 1 and words[0].isupper() and len(words[0]) >= 2:
        return terms  # already an abbreviation
    initials = "".join(
        w[0] for w in words if w.lower() not in ACRONYM_SKIP and w[0].isalpha()
    ).upper()
    # "Her Majesty's Revenue and Customs" -> HMRC; two letters is too ambiguous.
    if len(initials) >= 3:
        terms.append(_term(organisation, "organisation", initials, case_sensitive=True))
    return terms


def find_attributions(text: str, attendees: Iterable[tuple[str, str]]) -> list[Finding]:
    """Every sentence of `text` that names an attendee or their organisation, or reports a
    view through an identifying role. `attendees` are (name, organisation) pairs."""
    terms: list[_Term] = []
    seen_orgs: set[str] = set()
    for name, organisation in attendees:
        terms.extend(_name_terms(name or ""))
        key = fold(organisation or "").lower().strip()
        if key and key not in seen_orgs:
            seen_orgs.add(key)
            terms.extend(_organisation_terms(organisation))

    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for sentence in split_sentences(text or ""):
        folded = fold(sentence)
        for term in terms:
            if term.pattern.search(folded) and (term.label, sentence) not in seen:
                seen.add((term.label, sentence))
                findings.append(Finding(term.label, term.kind, sentence))
        for pattern in ROLE_PATTERNS:
            match = pattern.search(folded)
            if match:
                role = _ROLE_WORD.search(match.group(0))
                label = f"the {role.group(0).lower()}" if role else match.group(0)
                if (label, sentence) not in seen:
                    seen.add((label, sentence))
                    findings.append(Finding(label, "role", sentence))
                break
    return findings
