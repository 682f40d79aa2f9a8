"""Radios and checkboxes as GOV.UK Frontend draws them (templates/includes/field.html and
the govuk template tags): what a person chose stays chosen, every option is labelled and
reachable from the error summary, and nothing they typed is trusted as markup."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    colour = forms.ChoiceField(
        label="Colour",
        choices=[("red", "Red"), ("<b>", "Bold <b>choice</b>")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a colour"},
    )
    places = forms.MultipleChoiceField(
        label="Places",
        choices=[("north", "North"), ("south", "South"), ("east", "East")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def _inputs(html: str) -> dict[str, str]:
    return {m.group(1): m.group(0) for m in re.finditer(r'<input[^>]* id="([^"]+)"[^>]*>', html)}


def test_the_chosen_radio_and_checkboxes_stay_chosen():
    html = render_to_string(
        "includes/form_fields.html",
        {"form": _Form(initial={"colour": "red", "places": ["north", "east"]})},
    )
    inputs = _inputs(html)
    assert " checked" in inputs["id_colour_0"] and " checked" not in inputs["id_colour_1"]
    assert [" checked" in inputs[f"id_places_{n}"] for n in range(3)] == [True, False, True]
    assert 'class="govuk-radios__input"' in inputs["id_colour_0"]
    assert 'type="checkbox"' in inputs["id_places_0"] and 'name="places"' in inputs["id_places_0"]


def test_every_option_has_its_label_and_the_error_summary_links_to_the_first():
    html = render_to_string("includes/form_fields.html", {"form": _Form({})})
    assert '<label class="govuk-label govuk-radios__label" for="id_colour_1">' in html
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_places_2">East' in html
    summary = render_to_string("includes/error_summary.html", {"form": _Form({})})
    assert '<a href="#id_colour_0">Select a colour</a>' in summary
    assert 'id="id_colour_0"' in html


def test_option_values_and_labels_are_escaped():
    html = render_to_string("includes/form_fields.html", {"form": _Form(initial={})})
    assert 'value="&lt;b&gt;"' in html
    assert "Bold &lt;b&gt;choice&lt;/b&gt;" in html
    assert "<b>" not in html


class _Selects(forms.Form):
    kind = forms.ChoiceField(
        required=False,
        choices=[("", "Any"), ("<b>", "Bold <b>kind</b>"), ("Group", [("g1", "G1"), ("g2", "G2")])],
    )
    kinds = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])
    number = forms.TypedChoiceField(coerce=int, choices=[(1, "One"), (2, "Two")])


@pytest.mark.parametrize("data", [{}, {"kind": "g2", "kinds": ["1", "3"], "number": "2"}])
def test_a_select_is_drawn_as_django_draws_it_with_the_govuk_class(data):
    """Selects are written by the govuk tags, not by Django's option templates: the same
    element, the same options, the same choice kept, every label escaped."""
    from django.test.html import parse_html

    from policyhub.templatetags.govuk import govuk_widget

    form = _Selects(data or None)
    form.is_valid()
    for name in form.fields:
        ours = str(govuk_widget(form[name]))
        attrs = {"class": "govuk-select" + (" govuk-select--error" if form[name].errors else "")}
        if form[name].errors:
            attrs["aria-describedby"] = f"id_{name}-error"
        assert parse_html(ours) == parse_html(form[name].as_widget(attrs=attrs)), name
    assert "Bold &lt;b&gt;kind&lt;/b&gt;" in str(govuk_widget(form["kind"]))
