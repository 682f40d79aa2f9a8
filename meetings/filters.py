"""Filters for the public meeting lists: by group, region and how people can attend."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from policyhub.filters import ModelChoiceFilter
from workinggroups.models import WorkingGroup

from .models import Meeting, Region


class MeetingFilter(django_filters.FilterSet):
    working_group = ModelChoiceFilter(
        queryset=WorkingGroup.objects.order_by("name"),
        label="Working group",
        empty_label="All groups",
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="All regions")
    attendance = django_filters.ChoiceFilter(
        label="How people attend",
        choices=[("in_person", "In person"), ("remote", "Remote participation")],
        empty_label="In person or remotely",
        method="filter_attendance",
    )

    class Meta:
        model = Meeting
        fields = ["working_group", "region", "attendance"]

    def filter_attendance(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "in_person":
            return queryset.exclude(region=Region.ONLINE)
        if value == "remote":
            return queryset.filter(has_remote_participation=True)
        return queryset
