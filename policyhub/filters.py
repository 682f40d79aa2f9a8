"""What the apps' list filters share: a choice of rows read in one query."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator


class ChoicesInOneQuery(ModelChoiceIterator):
    """A field's choices read with one plain query. Django reads them with `iterator()`,
    which on PostgreSQL opens a server-side cursor: three round trips for a list of a few
    dozen rows, on every view of a list page that offers the filter."""

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.queryset:
            yield self.choice(row)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = ChoicesInOneQuery


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on one row of another model (a working group, an organisation)."""

    field_class = ModelChoiceField
