"""Filters for the public list of wider issues (django-filter)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from policyhub.filters import ModelChoiceFilter

from .models import WiderIssue, WorkingGroup


class WiderIssueFilter(django_filters.FilterSet):
    group = ModelChoiceFilter(
        label="Working group",
        queryset=WorkingGroup.objects.select_related("process").order_by("name"),
        empty_label="All working groups",
        widget=forms.Select,
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=WiderIssue.Status.choices,
        empty_label="Any status",
    )
    q = django_filters.CharFilter(
        label="Words in the title or description", method="search", max_length=100
    )

    class Meta:
        model = WiderIssue
        fields = ["group", "status"]

    def search(self, queryset, name: str, value: str):
        """Plain substring search: the list is short, so no search index is needed."""
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))
