"""Browse filters. Every filter is declared by hand: filtering on arbitrary fields
(`fields = "__all__"`) has leaked user tables elsewhere, so nothing here is automatic."""

from __future__ import annotations

from functools import partial

import django_filters
from django.db.models import QuerySet

from policyhub.filters import ModelChoiceField, ModelChoiceFilter
from process.models import Process, Step
from workinggroups.models import WorkingGroup

from .models import Document, Organisation
from .permissions import can_create, can_filter_by_access


def years_published(documents: QuerySet[Document]) -> list[tuple[int, str]]:
    """The years, newest first, in which any of `documents` (what the person may list)
    was published: a year with nothing to find is not offered."""
    dates = documents.prefetch_related(None).order_by().dates("published_on", "year", "DESC")
    return [(day.year, str(day.year)) for day in dates]


class StepChoiceField(ModelChoiceField):
    """Steps are numbered within a process, so each choice names the process too."""

    def label_from_instance(self, step: Step) -> str:
        return f"{step.process.title}: step {step.number}"


class StepFilter(ModelChoiceFilter):
    field_class = StepChoiceField


class DocumentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="filter_search")
    kind = django_filters.ChoiceFilter(
        label="Kind of document", choices=Document.Kind.choices, empty_label="Any kind"
    )
    process = ModelChoiceFilter(queryset=Process.objects.all(), empty_label="Any process")
    step = StepFilter(
        label="Step", queryset=Step.objects.select_related("process"), empty_label="Any step"
    )
    working_group = ModelChoiceFilter(
        label="Working group",
        field_name="working_groups",
        queryset=WorkingGroup.objects.all(),
        empty_label="Any working group",
        distinct=True,
    )
    organisation = ModelChoiceFilter(
        label="Written by",
        field_name="organisations",
        queryset=Organisation.objects.all(),
        empty_label="Any organisation",
        distinct=True,
    )
    year = django_filters.ChoiceFilter(
        label="Year published",
        field_name="published_on__year",
        choices=(),  # the years the listed documents were published in: see __init__
        empty_label="Any year",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=Document.Status.choices,
        empty_label="Published",
        method="filter_status",
    )
    access = django_filters.ChoiceFilter(
        label="Access",
        choices=[("open", "Open"), ("restricted", "Restricted")],
        method="filter_access",
        empty_label="Open and restricted",
    )

    class Meta:
        model = Document
        fields: list[str] = []  # all declared above

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.hidden_from(user):
            self.filters.pop(name, None)
        if self.queryset is not None:
            self.filters["year"].extra["choices"] = partial(years_published, self.queryset)

    @classmethod
    def hidden_from(cls, user) -> set[str]:
        """The filters this person does not get: access is for those who may see restricted
        documents, and only editors have drafts to find (everyone else browses what is
        published)."""
        hidden = set()
        if not can_filter_by_access(user):
            hidden.add("access")
        if not can_create(user):
            hidden.add("status")
        return hidden

    def filter_search(self, queryset: QuerySet[Document], name: str, value: str):
        return queryset.search(value) if value.strip() else queryset

    def filter_status(self, queryset: QuerySet[Document], name: str, value: str):
        return queryset.filter(status=value) if value else queryset

    def filter_access(self, queryset: QuerySet[Document], name: str, value: str):
        if value == "restricted":
            return queryset.restricted()
        if value == "open":
            return queryset.open()
        return queryset
