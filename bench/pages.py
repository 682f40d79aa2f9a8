"""The pages the benchmark measures, as (name, path, signed_in) from the dataset's facts."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MeasuredPage:
    name: str
    path: str
    signed_in: bool = False
    method: str = "GET"
    body: str | None = None


FLOOR = MeasuredPage("floor (/healthz)", "/healthz")


def measured_pages(facts: dict) -> list[MeasuredPage]:
    pages = [
        MeasuredPage("home", "/"),
        MeasuredPage("home (signed in)", "/", signed_in=True),
        MeasuredPage("process timeline", f"/processes/{facts['process_slug']}/"),
        MeasuredPage("working group", f"/working-groups/{facts['group_slug']}/"),
        MeasuredPage("working group (signed in)", f"/working-groups/{facts['group_slug']}/", True),
        MeasuredPage("working group list", "/working-groups/"),
    ]
    return pages
