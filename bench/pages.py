"""The pages the benchmark measures, built from the dataset's facts.

Every public page is measured twice, signed out and signed in as a working-group member,
because the two are built differently (a session, a person, their roles). Pages that exist
only for one kind of person (a respondent part-way through a response, the consultation's
analyst) carry that person's session. POSTs carry the CSRF cookie and header.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

MEMBER = "member_session"
ANALYST = "analyst_session"
RESPONDENT = "respondent_session"


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # The fact holding the session cookie the request carries (None: signed out).
    session: str | None = None
    method: str = "GET"
    body: str | None = None
    # The search target is judged on this page, and its queries are EXPLAINed.
    is_search: bool = False


FLOOR = Page("floor (/healthz)", "/healthz")


def busted(path: str) -> str:
    """The same page at an address no cache has seen (an ignored parameter), so a
    whole-page cache keyed by the address cannot answer: what BENCH_CACHE_BUST=1 sends."""
    return f"{path}{'&' if '?' in path else '?'}nocache={secrets.token_hex(6)}"


def measured_pages(facts: dict) -> list[Page]:
    group = f"/working-groups/{facts['group_slug']}/"
    meeting = f"/meetings/{facts['meeting_with_notes_id']}/"
    consultation = f"/consultations/{facts['consultation_slug']}/"
    document = f"/documents/{facts['document_slug']}/"
    search = f"/documents/?{urlencode({'q': facts['search_query']})}"
    # A page deep in the archive: half way through, however big the dataset is.
    middle_page = max(1, facts["documents"] // facts["documents_page_size"] // 2)
    public = [
        Page("home", "/"),
        Page("process timeline", f"/processes/{facts['process_slug']}/"),
        Page("working group list", "/working-groups/"),
        Page("working group", group),
        Page("proposal", facts["proposal_path"]),
        Page("wider issues", "/working-groups/wider-issues/"),
        Page("documents", "/documents/"),
        Page("documents, middle page", f"/documents/?page={middle_page}"),
        Page("documents, filtered", f"/documents/?kind={facts['document_kind']}"),
        Page("documents, search", search, is_search=True),
        Page("document", document),
        Page("version comparison", facts["compare_path"]),
        Page("restriction register", "/documents/restricted/"),
        Page("meetings", "/meetings/"),
        Page("past meetings", "/meetings/past/"),
        Page("meeting with notes", meeting),
        Page("meeting notes", f"{meeting}notes/"),
        Page("consultation", consultation),
    ]
    signed_in = [Page(f"{page.name} (signed in)", page.path, MEMBER) for page in public]
    return [
        *public,
        # Calendar programs poll the feed without cookies: it has no signed-in form.
        Page("calendar feed", "/meetings/calendar.ics"),
        *signed_in,
        Page("consultation question", f"{consultation}respond/section/1/", RESPONDENT),
        Page("analyst's responses", f"{consultation}analysis/", ANALYST),
        Page("analyst's responses, last page", f"{consultation}analysis/?page=last", ANALYST),
        Page(
            "answer a question (POST)",
            f"{consultation}respond/section/1/",
            RESPONDENT,
            method="POST",
            body=urlencode(facts["section_one_fields"]),
        ),
    ]
