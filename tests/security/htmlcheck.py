"""Find what would run in a browser: script elements, event-handler attributes, and
javascript:/vbscript:/data: URLs in href/src-like attributes, by parsing the HTML."""

from __future__ import annotations

import re
from html.parser import HTMLParser

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "srcdoc",
    "poster",
    "background",
    "srcset",
    "ping",
    "to",
    "values",
}
ACTIVE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
# Browsers ignore ASCII control characters and whitespace inside a URL's scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\u200b\u200c\u200d\ufeff]+")


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[tuple] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = tuple(sorted((name, value or "") for name, value in attrs))
        if tag in ACTIVE_ELEMENTS:
            self.found.add(("element", tag, attributes))
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.found.add(("meta refresh", attributes))
        for name, value in attrs:
            if name.startswith("on"):
                self.found.add(("event handler", tag, name, value))
            if name in URL_ATTRIBUTES and value:
                scheme = _IGNORED_IN_SCHEME.sub("", value).lower()
                if scheme.startswith(BAD_SCHEMES):
                    self.found.add(("dangerous url", tag, name, value))

    handle_startendtag = handle_starttag


def active_content(html: str) -> set[tuple]:
    """Everything in `html` that a browser could execute or navigate to as script."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found
