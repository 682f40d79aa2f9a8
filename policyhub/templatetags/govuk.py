"""Render Django form fields with GOV.UK Frontend classes and ARIA wiring.

`{% load govuk %}` then `{{ field|govuk_widget }}`; the surrounding markup (label, hint,
error message) is in templates/includes/field.html, so every form looks and behaves alike.
"""

from __future__ import annotations

from django import forms, template
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


def described_by(field: forms.BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    if character_limit(field):
        ids.append(f"{field.auto_id}-info")
    return " ".join(ids)


@register.filter
def character_limit(field: forms.BoundField) -> int | None:
    """The most characters a text box takes, when it has a limit: such a box is drawn as
    GOV.UK's character count, which says the limit next to it and counts down as you type."""
    if not isinstance(field.field.widget, forms.Textarea):  # cheaper than `widget_type`
        return None
    return getattr(field.field, "max_length", None)


@register.filter
def thousands(number: int) -> str:
    """12000 -> "12,000", as GOV.UK writes numbers."""
    return f"{number:,}"


@register.filter
def govuk_widget(field: forms.BoundField) -> SafeString:
    """The field's widget with GOV.UK classes, an error modifier and aria-describedby."""
    widget_type = field.widget_type
    # GOV.UK: hints go above the field, never as placeholders (they vanish as you type).
    # Safe to change: every form instance deep-copies its widgets.
    field.field.widget.attrs.pop("placeholder", None)
    css = _WIDGET_CLASSES.get(widget_type, "govuk-input")
    if field.errors and css != "govuk-checkboxes__input":
        css += f" {css}--error"
    if character_limit(field):
        # GOV.UK: no maxlength, which cuts pasted text off unseen; the count says how far
        # over the text is, and the form refuses it with a message, keeping every word.
        field.field.widget.attrs.pop("maxlength", None)
        css += " govuk-js-character-count"
    existing = field.field.widget.attrs.get("class", "")
    attrs = {"class": f"{css} {existing}".strip()}
    if aria := described_by(field):
        attrs["aria-describedby"] = aria
    if widget_type in ("select", "selectmultiple"):
        return _select(field, attrs)
    return field.as_widget(attrs=attrs)


def _select(field: forms.BoundField, attrs: dict[str, str]) -> SafeString:
    """The select `field.as_widget(attrs=attrs)` draws, written here: Django draws each
    option through two templates, and for the documents' filters (a few dozen
    organisations, steps and groups) that was half the work of the page."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    drawn = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    groups = []
    for group_name, choices, _ in drawn["optgroups"]:
        options = format_html_join(
            "\n",
            '  <option value="{}"{}>{}</option>',
            ((option["value"], flatatt(option["attrs"]), option["label"]) for option in choices),
        )
        if group_name:
            options = format_html('  <optgroup label="{}">\n{}\n  </optgroup>', group_name, options)
        groups.append(options)
    return format_html(
        '<select name="{}"{}>\n{}\n</select>',
        drawn["name"],
        flatatt(drawn["attrs"]),
        mark_safe("\n".join(groups)),  # nosec B308 B703 - each part made by format_html
    )


@register.filter
def govuk_describedby(field: forms.BoundField) -> str:
    return described_by(field)


_CHOICE_KINDS = {"radioselect": "radios", "checkboxselectmultiple": "checkboxes"}


@register.filter
def is_choice_group(field: forms.BoundField) -> bool:
    """Radios and checkbox lists are a fieldset with a legend, not a label."""
    return field.widget_type in _CHOICE_KINDS


@register.filter
def choice_kind(field: forms.BoundField) -> str:
    """ "radios" or "checkboxes": the GOV.UK component a choice group is drawn with, worked
    out once per field rather than once per option (`widget_type` is a regex each time)."""
    return _CHOICE_KINDS.get(field.widget_type, "")


_OPTION = (
    '<div class="govuk-{kind}__item">\n'
    '  <input class="govuk-{kind}__input" id="{id}" name="{name}" type="{type}" value="{value}"'
    "{checked}>\n"
    '  <label class="govuk-label govuk-{kind}__label" for="{id}">{label}</label>\n'
    "</div>"
)


@register.filter
def govuk_options(field: forms.BoundField) -> SafeString:
    """Each option of a radio or checkbox group, as GOV.UK Frontend marks it up. Written
    here, not as a loop in field.html: the loop made a dozen template lookups per option,
    and the options were a third of the work of drawing a consultation question page."""
    kind = choice_kind(field)
    return mark_safe(  # nosec B308 B703 - every value is escaped by format_html
        "\n".join(
            format_html(
                _OPTION,
                kind=kind,
                id=option.id_for_label,
                name=option.data["name"],
                type=option.data["type"],
                value=option.data["value"],
                checked=mark_safe(" checked") if option.data["selected"] else "",  # nosec B308 B703
                label=option.choice_label,
            )
            for option in field
        )
    )


@register.filter
def sentence_case(text: str) -> str:
    """ "Sign In" -> "Sign in": GOV.UK headings and buttons are in sentence case, and
    allauth's own are in title case. Words that are not plainly capitalised ("PolicyHub",
    an acronym) are left as they are."""
    words = str(text).split()
    return " ".join(
        words[:1] + [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words[1:]]
    )
