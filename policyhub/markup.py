"""The one path from user-written Markdown to HTML.

Markdown is stored as source and rendered at display time, so a tighter allow-list here
protects every existing document at once. Nothing else may import `markdown` or `bleach`
(ruff's banned-import rule enforces it).

Rendering is also bounded here. python-markdown nests one Python call per level of list or
quote and rescans the rest of a paragraph for every unclosed `[` or `(`, so a few kilobytes
of hostile text could cost seconds on every view of a public page, or raise RecursionError.
Every Markdown field has a length limit (the constants below, used by models and forms), and
the renderer flattens nesting past `MAX_NESTING`, shows text it cannot afford to parse as
plain escaped paragraphs, and never raises.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import threading
from collections import OrderedDict
from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# Length limits for Markdown fields. Models give them to `TextField(max_length=...)` and forms
# to their fields, so every form refuses longer text with a message next to the field.

TEXT_NOTE = 500
"""A note of what changed: a sentence or two."""

TEXT_SUMMARY = 1_000
"""A summary shown in lists and at the top of a page: two or three sentences (about 150
words). A longer one stops being a summary and pushes the page's content down."""

TEXT_PARAGRAPHS = 3_000
"""A reason, a justification, a statement, pros or cons, an outcome: a few paragraphs
(about 450 words), shown beside other things on a page."""

MARKDOWN_SHORT = 5_000
"""One section of a proposal (its problem, conditions or safeguards), an alternative, a
group's purpose or scope, a concern: a few paragraphs and a list (about 800 words)."""

MARKDOWN_MEDIUM = 20_000
"""The main text of a page: a group's purpose or scope, a proposal's problem or conditions,
a meeting's purpose and agenda, the notes of a meeting, a consultation's summary or privacy
notice. About 3,000 words, several pages of a printed paper."""

MARKDOWN_LONG = 100_000
"""A whole paper: a document's text (a policy paper of a process runs to about 77,000
characters), terms of reference, a published summary of responses."""

MAX_NESTING = 10
"""Lists and quotes nest at most this deep; deeper markers are shown as text. Real papers
nest three or four levels; each level costs python-markdown several Python frames."""

MAX_INLINE_NESTING = 32
"""Brackets nested deeper than this in one paragraph are not a link anyone wrote."""

SCAN_WORK_PER_CHAR = 8
"""How far python-markdown may rescan for closing brackets, per character of source, before
the text is shown plain. Links people write close within a line; `[a](` repeated never
closes and makes the rescans quadratic."""

MAX_HTML_DEPTH = 64
"""Raw HTML elements nested deeper than this make the sanitiser's parser quadratic."""

MAX_TABLE_COLUMNS = 64
"""A table wider than this is not readable on any screen, and each cell is parsed alone."""

MARKUP_WORK = 5_000_000
"""Inline markers (`*`, `_`, backticks, `<`, `&`, `>`) times the length of their paragraph:
python-markdown copies the paragraph once per match, so this bounds the copying to a few
tens of milliseconds. A paragraph of 2,000 characters may be all markers; one of 10,000 may
hold 500."""

TAG_SCAN_WORK = 500_000
"""How far python-markdown's HTML parser may rescan from tags that never close (`<a` with no
`>` after it), in characters; each character costs tens of nanoseconds."""

CHARS_PER_ELEMENT = 6
"""Every line, inline marker and table cell becomes an element that costs about 40
microseconds to parse and sanitise. Real text has one every 12 or more characters (a
77,000-character paper with headings, lists, tables and links in every section has about
5,500); more than one every 6, beyond the first 500, is
shown plain, so a 5,000-character field costs at most about 50 ms and no text costs much
more than a real paper of its length."""

MAX_FENCES = 500
"""Fence lines (```` ``` ````) per text: 250 code blocks. Thousands of fences in a row make
the fenced-code pass slow; a paper has a handful."""

SANITISE_BLOCKS = 100
"""The sanitiser's tree walker takes time quadratic in the number of sibling elements, so
long HTML is cleaned in pieces of about this many top-level blocks."""

_INLINE_MARKERS = ("*", "_", "`", "<", "&", ">")


def too_long_message(name: str, limit: int) -> str:
    """The sentence shown beside a Markdown field over its limit, in GOV.UK style. Lazy, so
    a form declared once speaks the language of each request."""
    return format_lazy(
        gettext_lazy("{name} must be {limit} characters or fewer"), name=name, limit=f"{limit:,}"
    )


ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "b", "i", "code", "pre", "blockquote", "del",
        "ul", "ol", "li", "a", "img",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title"],
    "img": ["src", "alt", "title"],
    "th": ["align"],
    "td": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def _rel_nofollow_noopener(attrs: dict, new: bool) -> dict:
    """Links written by users must not pass reputation or a window handle to their target."""
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


# One HTML parse instead of two: the linkify filter runs after the sanitiser inside the same
# pass, so the rel attribute it adds survives and nothing it makes escapes the allow-list.
_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        partial(
            LinkifyFilter,
            callbacks=[_rel_nofollow_noopener],
            skip_tags={"pre", "code"},
            parse_email=False,
        )
    ],
)


def render_markdown(text: str | None) -> str:
    """Turn user Markdown into HTML that is safe to mark as safe.

    Raw HTML is escaped by python-markdown's own rules only partially, so bleach removes
    everything outside an explicit allow-list of tags, attributes and URL schemes
    (http, https, mailto) and gives every link rel="nofollow noopener".
    """
    if not text:
        return ""
    text = str(text)
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    rendered = _memo.get(key)
    if rendered is None:
        rendered = _render(text)
        _memo.put(key, rendered)
    return rendered


def _render(text: str) -> str:
    """Render within bounded work; text that cannot be rendered safely is shown plain."""
    if len(text) > MARKDOWN_LONG:
        return plain_paragraphs(text)
    try:
        source = cap_nesting(text)
        if _too_costly(source):
            return plain_paragraphs(text)
        html_out = markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS, output_format="html")
        return _sanitise(html_out)
    except Exception:  # a page must still answer if a text trips the parser
        logger.exception("Markdown could not be rendered; shown as plain text")
        return plain_paragraphs(text)


# Where python-markdown starts a block: rows, cells and list items are never cut from their
# table or list.
_BLOCK_START = re.compile(r"\n(?=<(?:p|h[1-6]|ul|ol|blockquote|pre|table|hr)\b)")


def _sanitise(html_out: str) -> str:
    """Clean python-markdown's HTML in pieces of about `SANITISE_BLOCKS` top-level blocks.

    Pieces are cut where a block starts and the elements opened so far are closed; if
    broken raw HTML never closes, the cut is made anyway after ten times as many blocks.
    Each piece is cleaned on its own, so the output is safe wherever a cut falls.
    """
    if html_out.count("\n<") <= SANITISE_BLOCKS:
        return _cleaner.clean(html_out)
    pieces: list[str] = []
    start = scanned = blocks = depth = 0
    for boundary in _BLOCK_START.finditer(html_out):
        cut = boundary.end()
        depth = max(depth + _depth_change(html_out, scanned, cut), 0)
        scanned = cut
        blocks += 1
        if blocks >= SANITISE_BLOCKS and (depth == 0 or blocks >= 10 * SANITISE_BLOCKS):
            pieces.append(html_out[start:cut])
            start, blocks, depth = cut, 0, 0
    pieces.append(html_out[start:])
    return "".join(_cleaner.clean(piece) for piece in pieces)


def _depth_change(html_out: str, start: int, end: int) -> int:
    change = 0
    for match in _TAG.finditer(html_out, start, end):
        closing, name, self_closing = match.groups()
        if closing:
            change -= 1
        elif not self_closing and name.lower() not in _VOID:
            change += 1
    return change


def plain_paragraphs(text: str) -> str:
    """The text, escaped, one <p> per blank-line-separated paragraph: linear and inert."""
    paragraphs = (p.strip() for p in re.split(r"\n\s*\n", text))
    return "\n".join(
        "<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>" for p in paragraphs if p
    )


# ---- Nesting -------------------------------------------------------------------------

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_THEMATIC_BREAK = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_CONTAINER_MARKER = re.compile(r"(?:>|[*+-](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]?")
_LEADING_SPACE = re.compile(r"[ \t]*")
_DEEP_LINE = re.compile(rf"^[ \t>*+\-\d.)]{{{MAX_NESTING + 1}}}", re.MULTILINE)


def cap_nesting(text: str) -> str:
    """Backslash-escape list and quote markers past `MAX_NESTING` levels on each line.

    A line's depth is the count of its leading markers (`>`, `-`, `*`, `+`, `1.`) plus its
    indentation in steps of four columns, which is how python-markdown nests. Fenced code
    and thematic breaks (`- - -`) are left alone; an escaped marker shows as itself.
    """
    if not _DEEP_LINE.search(text):
        return text  # every level costs at least one character, so no line is too deep
    lines = text.split("\n")
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1).startswith(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)[0] * 3
            continue
        if not _THEMATIC_BREAK.match(line):
            lines[number] = _cap_line(line)
    return "\n".join(lines)


def _cap_line(line: str) -> str:
    depth = 0
    position = 0
    while True:
        space = _LEADING_SPACE.match(line, position)
        marker = _CONTAINER_MARKER.match(line, space.end())
        if marker is None:
            return line
        depth += len(space.group().expandtabs(4)) // 4 + 1
        if depth > MAX_NESTING:
            # The backslash goes before the punctuation: `1\.` and `\-` show as written.
            at = marker.start() + len(marker.group().rstrip(" \t")) - 1
            return line[:at] + "\\" + line[at:]
        position = marker.end()


# ---- Work ----------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# An escaped character is matched whole, so `\[` is never taken for an opener.
_BRACKETS = {"[": re.compile(r"\\.|[\[\]]"), "(": re.compile(r"\\.|[()]")}
# A list item, table row, quote or heading is parsed inline on its own, apart from the lines
# around it, so a long list of short items with **bold** terms costs no more than its items.
_INLINE_CHUNK = re.compile(r"\n(?=[ \t]*(?:[*+-][ \t]|\d{1,9}[.)][ \t]|\||>|#))")
_WIDE_ROW = re.compile(rf"^(?:[^|\n]*\|){{{MAX_TABLE_COLUMNS + 2}}}", re.MULTILINE)
_TAG_OPENING = re.compile(r"<[A-Za-z/!?]")
_VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
# Elements the HTML parser closes by itself or that never hold content.
_SELF_CLOSING = frozenset(
    {
        "area", "base", "br", "col", "dd", "dt", "embed", "hr", "img", "input", "li", "link",
        "meta", "option", "p", "param", "source", "td", "th", "tr", "track", "wbr",
    }
)  # fmt: skip


def _too_costly(source: str) -> bool:
    """Whether parsing `source` would cost more than linear work or nest too deep.

    python-markdown rebuilds a paragraph's text for every inline match and rescans from each
    unclosed `[`, `(` or `<` to the end of its paragraph; its fenced-code pass rebuilds the
    whole text for every fence. So, per paragraph outside fenced code: how far bracket
    matching would rescan, how deep brackets nest, how many inline markers there are times
    the paragraph's length, and how many table columns a line has; for the whole text: the
    number of fences, unclosed `<`, and how deep raw HTML nests.
    """
    prose, fences = _outside_fences(source)
    if fences > MAX_FENCES or _tag_scan(source) > TAG_SCAN_WORK or _WIDE_ROW.search(prose):
        return True
    markers = sum(prose.count(marker) for marker in _INLINE_MARKERS) + prose.count("[")
    elements = source.count("\n") + markers + prose.count("|")
    if elements > len(source) // CHARS_PER_ELEMENT + 500:
        return True
    # Paragraph by paragraph only when the whole could exceed a bound: most texts cannot.
    dense = markers * len(prose) > MARKUP_WORK
    if not dense and "[" not in prose and "(" not in prose:
        return _html_depth(source) > MAX_HTML_DEPTH
    scan = 0
    for paragraph in _BLANK_LINE.split(prose):
        if dense and any(
            sum(chunk.count(marker) for marker in _INLINE_MARKERS) * len(chunk) > MARKUP_WORK
            for chunk in _INLINE_CHUNK.split(paragraph)
        ):
            return True
        for opener, closer in (("[", "]"), ("(", ")")):
            distance, depth = _bracket_scan(paragraph, opener, closer)
            if depth > MAX_INLINE_NESTING:
                return True
            scan += distance
    if scan > SCAN_WORK_PER_CHAR * len(source) + 10_000:
        return True
    return _html_depth(source) > MAX_HTML_DEPTH


def _outside_fences(source: str) -> tuple[str, int]:
    """The source without the contents of fenced code blocks, and how many fences it has.
    Fenced code is stashed whole before inline parsing, so its markers cost nothing."""
    if "```" not in source and "~~~" not in source:
        return source, 0
    kept: list[str] = []
    fences = 0
    fence: str | None = None
    for line in source.split("\n"):
        opening = _FENCE.match(line)
        if opening:
            fences += 1
        if fence is not None:
            if opening and opening.group(1).startswith(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)[0] * 3
            continue
        kept.append(line)
    return "\n".join(kept), fences


def _tag_scan(source: str) -> int:
    """How far the HTML parser rescans: from each `<` that could open a tag (`<a`, `</`,
    `<!`, `<?`) to the next `>`, or to the end. `a < b` opens nothing and costs nothing."""
    if "<" not in source:
        return 0
    total = 0
    closing = -1
    for match in _TAG_OPENING.finditer(source):
        if closing < match.start():
            closing = source.find(">", match.start())
            if closing == -1:
                closing = len(source)
        total += closing - match.start()
    return total


def _bracket_scan(paragraph: str, opener: str, closer: str) -> tuple[int, int]:
    """Sum of distances from each opener to its closer (or the paragraph's end), and the
    deepest nesting, in one pass."""
    if opener not in paragraph:
        return 0, 0
    open_at: list[int] = []
    distance = deepest = 0
    for match in _BRACKETS[opener].finditer(paragraph):
        char, index = match.group(), match.start()
        if char == opener:
            open_at.append(index)
            deepest = max(deepest, len(open_at))
        elif char == closer and open_at:
            distance += index - open_at.pop()
    distance += sum(len(paragraph) - index for index in open_at)
    return distance, deepest


def _html_depth(source: str) -> int:
    """How deep raw HTML elements nest, counting only elements that need a closing tag."""
    if "<" not in source:
        return 0
    depth = deepest = 0
    for match in _TAG.finditer(source):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _SELF_CLOSING:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


# ---- Memo ----------------------------------------------------------------------------


class _RenderedMemo:
    """Rendered HTML keyed by the sha256 of its source, bounded by total size.

    Rendering is a pure function of the source, so one entry serves every page and every
    viewer; the key is a hash, so the memo holds no source text and a long text costs one
    32-byte key. Oldest entries go first once `max_chars` of HTML are held.
    """

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self._entries: OrderedDict[bytes, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()

    def get(self, key: bytes) -> str | None:
        with self._lock:
            rendered = self._entries.get(key)
            if rendered is not None:
                self._entries.move_to_end(key)
            return rendered

    def put(self, key: bytes, rendered: str) -> None:
        if len(rendered) > self.max_chars:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = rendered
            self._chars += len(rendered)
            while self._chars > self.max_chars:
                _, dropped = self._entries.popitem(last=False)
                self._chars -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._entries)


# The same purpose, scope and summaries are shown on page after page. About 4 million
# characters of HTML (a few MB) per process: dozens of whole papers, thousands of summaries.
_memo = _RenderedMemo(max_chars=4_000_000)


def forget_rendered() -> None:
    """Drop this process's memo of rendered Markdown, for when published words are erased
    (a withdrawn version of meeting notes), so their HTML is not kept either. The memo is
    keyed by a hash of the text, so no page can reach an entry without the erased words;
    other processes' entries go as newer texts push them out."""
    _memo.clear()
