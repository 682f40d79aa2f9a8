"""`{{ text|markdown }}`: the template side of policyhub.markup (loaded as a builtin)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from policyhub.markup import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str | None) -> SafeString:
    """Render user Markdown; safe because render_markdown sanitises with an allow-list."""
    return mark_safe(render_markdown(text))  # nosec B308 B703 - sanitised by bleach
