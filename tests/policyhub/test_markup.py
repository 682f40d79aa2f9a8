"""render_markdown: the one path from user Markdown to HTML must neutralise hostile input
and keep ordinary Markdown intact."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from policyhub.markup import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<img src="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](data:text/html,<script>alert(1)</script>)",
    "![img](javascript:alert(1))",
    '![img](x" onerror="alert(1))',
    "[a](<javascript:alert(1)>)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="position:fixed;top:0">overlay</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    "<body onload=alert(1)>",
    '<input autofocus onfocus="alert(1)">',
    '<form action="https://evil.example"><button>Go</button></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<img src="x` `<script>alert(1)</script>"` `>',
    "<a href='\\x01javascript:alert(1)'>x</a>",
]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


DANGEROUS_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "input",
    "button", "meta", "base", "link", "body", "details", "noscript",
}  # fmt: skip
DANGEROUS_SCHEME = re.compile(r"^\s*(javascript|vbscript|data):", re.IGNORECASE)


def test_corpus_has_at_least_thirty_distinct_payloads():
    assert len(set(XSS_PAYLOADS)) >= 30


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_hostile_markdown_comes_out_inert(payload):
    parsed = parse(render_markdown(payload))
    assert not DANGEROUS_TAGS & set(parsed.tags)
    for name, value in parsed.attrs:
        assert not name.startswith("on"), (name, value)
        assert name != "style"
        if name in {"href", "src"}:
            assert not DANGEROUS_SCHEME.match(value), value


def test_headings_lists_emphasis_and_links_survive():
    html = render_markdown(
        "## Safeguards\n\n"
        "Data is shared **only** with *consent*.\n\n"
        "- first\n- second\n\n"
        "1. one\n2. two\n\n"
        "See [the paper](https://example.org/paper).\n"
    )
    assert "<h2>Safeguards</h2>" in html
    assert "<strong>only</strong>" in html
    assert "<em>consent</em>" in html
    assert "<ul>\n<li>first</li>" in html
    assert "<ol>\n<li>one</li>" in html
    assert '<a href="https://example.org/paper" rel="nofollow noopener">the paper</a>' in html


def test_tables_are_rendered():
    html = render_markdown("| Level | Meaning |\n|---|---|\n| 1 | Agreement |\n")
    assert "<table>" in html
    assert "<td>Agreement</td>" in html


def test_mailto_links_are_kept_and_bare_urls_become_links():
    html = render_markdown("Write to [us](mailto:team@example.org) or see https://example.org")
    assert 'href="mailto:team@example.org"' in html
    assert '<a href="https://example.org" rel="nofollow noopener">https://example.org</a>' in html


def test_raw_html_is_removed_but_its_text_is_kept():
    assert render_markdown('<span class="x">kept text</span>') == "<p>kept text</p>"


def test_empty_input_renders_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_markdown_filter_is_available_in_every_template():
    from django.template import engines

    template = engines["django"].from_string("{{ text|markdown }}")
    assert (
        template.render({"text": "**bold** <script>x</script>"}) == "<p><strong>bold</strong> x</p>"
    )
