"""The pages the benchmark measures, built from the dataset's facts.

`session` names the fact holding the session cookie the request carries: None for an
anonymous visitor, "member_session" for a signed-in working-group member,
"analyst_session" for the consultation's analyst, "respondent_session" for a member of the
public part-way through a response. POSTs carry the CSRF cookie and header.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

MEMBER = "member_session"
ANALYST = "analyst_session"
RESPONDENT = "respondent_session"


@dataclass(frozen=True)
class MeasuredPage:
    name: str
    path: str
    session: str | None = None
    method: str = "GET"
    body: str | None = None
    # Search pages also print the EXPLAIN of their query and are held to the search target.
    search: str | None = None
    # A distinct address for every request (an ignored `nocache` parameter), so neither the
    # page cache nor a shared fragment can answer: the cost of the work itself.
    cache_bust: bool = False

    @property
    def signed_in(self) -> bool:
        return self.session is not None


FLOOR = MeasuredPage("floor (/healthz)", "/healthz")


def measured_pages(facts: dict) -> list[MeasuredPage]:
    group = f"/working-groups/{facts['group_slug']}/"
    meeting = f"/meetings/{facts['meeting_with_notes_id']}/"
    consultation = f"/consultations/{facts['consultation_slug']}/"
    query = facts["search_query"]
    # A page deep in the archive: half way through, however big the dataset is.
    middle_page = max(1, facts["documents"] // facts["documents_page_size"] // 2)
    return [
        MeasuredPage("home", "/"),
        MeasuredPage("home (signed in)", "/", MEMBER),
        MeasuredPage("process timeline", f"/processes/{facts['process_slug']}/"),
        MeasuredPage("working group", group),
        MeasuredPage("working group (signed in)", group, MEMBER),
        MeasuredPage("working group list", "/working-groups/"),
        MeasuredPage("documents", "/documents/"),
        MeasuredPage("documents (signed in)", "/documents/", MEMBER),
        MeasuredPage("documents, middle page", f"/documents/?page={middle_page}"),
        MeasuredPage("documents, filtered", f"/documents/?kind={facts['document_kind']}"),
        MeasuredPage("documents, search", f"/documents/?{urlencode({'q': query})}"),
        # The search target is judged here, with every request a real search.
        MeasuredPage(
            "documents, search (uncached)",
            f"/documents/?{urlencode({'q': query})}",
            search=query,
            cache_bust=True,
        ),
        MeasuredPage("document", f"/documents/{facts['document_slug']}/"),
        MeasuredPage("document (signed in)", f"/documents/{facts['document_slug']}/", MEMBER),
        MeasuredPage("meetings", "/meetings/"),
        MeasuredPage("meetings (signed in)", "/meetings/", MEMBER),
        MeasuredPage("past meetings", "/meetings/past/"),
        MeasuredPage("meeting with notes", meeting),
        MeasuredPage("meeting with notes (signed in)", meeting, MEMBER),
        MeasuredPage("meeting notes", f"{meeting}notes/"),
        MeasuredPage("calendar feed", "/meetings/calendar.ics"),
        MeasuredPage("consultation", consultation),
        MeasuredPage("consultation question", f"{consultation}respond/section/1/", RESPONDENT),
        MeasuredPage("analyst's responses", f"{consultation}analysis/", ANALYST),
        MeasuredPage(
            "analyst's responses, last page", f"{consultation}analysis/?page=last", ANALYST
        ),
        MeasuredPage(
            "answer a question (POST)",
            f"{consultation}respond/section/1/",
            RESPONDENT,
            method="POST",
            body=urlencode(facts["section_one_fields"]),
        ),
    ]
