"""`{% sharedcache "name" value ... %}…{% endsharedcache %}`: a fragment of a page shared
by every viewer for whom the values are the same, retired whenever content changes (see
policyhub/pagecache.py). Unlike Django's `{% cache %}`, which only times out, it can never
show a fragment older than the last write.

Pass every value the fragment's content depends on besides the data; keep per-person
things (forms that post, "you" wording) outside it.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token

from policyhub.pagecache import cached_fragment

register = template.Library()


class SharedCacheNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, vary: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: template.Context) -> str:
        name = str(self.name.resolve(context))
        vary = tuple(str(value.resolve(context)) for value in self.vary)
        return cached_fragment(name, vary, lambda: self.nodelist.render(context))


@register.tag("sharedcache")
def do_sharedcache(parser: Parser, token: Token) -> SharedCacheNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'sharedcache' needs a fragment name.")
    nodelist = parser.parse(("endsharedcache",))
    parser.delete_first_token()
    return SharedCacheNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )
