"""Pagination for long lists, read the way the database reads them cheaply."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator


class KeysFirstPaginator(Paginator):
    """A page of an ordered queryset read in two short queries: the page's primary keys,
    then the page's rows.

    A plain page is one query with OFFSET, and the database fetches every row it skips:
    page 250 of the document archive read 5,000 whole documents to show 20. The keys alone
    come from an index, without visiting the rows; and they are read from whichever end of
    the list is nearer (the ordering reversed), so the last of 2,000 pages of responses is
    as cheap as the first. The rows are then read by key, with the queryset's annotations
    and prefetches, and put back in order. A page that skips only a few rows (the first
    pages, which most people read) is read as usual: there the second query costs more
    than the rows it saves."""

    shallow = 200  # rows a page may skip before its keys are read first

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom <= self.shallow:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values_list("pk", flat=True)
        if bottom <= self.count - top:
            page_keys = list(keys[bottom:top])
        else:
            page_keys = list(keys.reverse()[self.count - top : self.count - bottom])[::-1]
        rows = {row.pk: row for row in self.object_list.filter(pk__in=page_keys).order_by()}
        return self._get_page([rows[key] for key in page_keys if key in rows], number, self)
