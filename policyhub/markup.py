"""The one path from user-written Markdown to HTML.

Markdown is stored as source and rendered at display time, so a tighter allow-list here
protects every existing document at once. Nothing else may import `markdown` or `bleach`
(ruff's banned-import rule enforces it).
"""

from __future__ import annotations

import functools

import bleach
import markdown
from bleach.linkifier import Linker

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


def _rel_nofollow_noopener(attrs: dict, new: bool = False) -> dict:
    """Links written by users must not pass reputation or a window handle to their target."""
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = "nofollow noopener"
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_linker = Linker(callbacks=[_rel_nofollow_noopener], skip_tags={"pre", "code"}, parse_email=False)


def render_markdown(text: str | None) -> str:
    """Turn user Markdown into HTML that is safe to mark as safe.

    Raw HTML is escaped by python-markdown's own rules only partially, so bleach removes
    everything outside an explicit allow-list of tags, attributes and URL schemes
    (http, https, mailto) and gives every link rel="nofollow noopener".
    """
    if not text:
        return ""
    text = str(text)
    if len(text) <= MEMO_MAX_CHARS:
        return _render_memoised(text)
    return _render(text)


# The same purpose, scope and summaries are shown on page after page; rendering is a pure
# function of the text, so recent results are kept (bounded: a few MB per process).
MEMO_MAX_CHARS = 20_000


def _render(text: str) -> str:
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return _linker.linkify(_cleaner.clean(html))


_render_memoised = functools.lru_cache(maxsize=512)(_render)


def forget_rendered() -> None:
    """Drop this process's memo of rendered Markdown, for when published words are erased
    (a withdrawn version of meeting notes), so their HTML is not kept either. The memo is
    keyed by the text itself, so no page can reach an entry without the erased words;
    other processes' entries go as newer texts push them out."""
    _render_memoised.cache_clear()
