"""The page cache (policyhub/pagecache.py): signed-out visitors get cached pages, nobody
ever gets a page older than the last write, and nothing personal is ever shared."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.utils import timezone

from documents import services as document_services
from policyhub import pagecache
from tests.documents.factories import DocumentFactory, restrict
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_a_signed_out_visitor_is_served_the_second_view_from_the_cache(
    client, django_assert_num_queries
):
    document = DocumentFactory(title="Trusted third parties")
    first = client.get("/documents/")
    assert "Trusted third parties" in first.content.decode()
    with django_assert_num_queries(0):
        second = client.get("/documents/")
    assert second.content == first.content
    # No shared cache downstream may hand this page to someone signed in.
    assert "Cookie" in second["Vary"] and "Cookie" in first["Vary"]
    # The security headers come from middleware around the cache, on every response.
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert second[header] == first[header]
    assert client.get(document.get_absolute_url()).status_code == 200


def test_restricting_a_document_removes_it_from_cached_pages_at_once(client, secretariat):
    document = DocumentFactory(title="Negotiating position")
    group = WorkingGroupFactory()
    document.working_groups.add(group)
    pages = ["/documents/", document.get_absolute_url(), group.get_absolute_url()]
    for url in pages:  # built and cached while the document was open
        assert "Negotiating position" in client.get(url).content.decode()
    restrict(document, by=secretariat)
    assert "Negotiating position" not in client.get("/documents/").content.decode()
    assert client.get(document.get_absolute_url()).status_code == 404
    assert "Negotiating position" not in client.get(group.get_absolute_url()).content.decode()


def test_a_write_retires_pages_again_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = pagecache.current_generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        DocumentFactory()
    during = pagecache.current_generation()
    assert during != before  # retired at once…
    for callback in callbacks:
        callback()
    # …and again at commit, so a page built from the data just before the commit is lost.
    assert pagecache.current_generation() not in (before, during)


def test_signed_in_people_never_get_the_signed_out_page(client, participant):
    DocumentFactory(title="Open paper")
    client.get("/documents/")  # cached for signed-out visitors
    client.force_login(participant)
    page = client.get("/documents/").content.decode()
    assert "Sign out" in page and "Your profile" in page


def test_a_signed_in_page_is_not_stored_for_signed_out_visitors(client, participant):
    client.force_login(participant)
    assert "Sign out" in client.get("/meetings/").content.decode()
    client.logout()
    assert "Sign out" not in client.get("/meetings/").content.decode()


def _token_of(response) -> str:
    return response.content.decode().split('name="csrfmiddlewaretoken" value="')[1][:64]


def test_a_page_with_a_form_gives_each_visitor_their_own_working_token(
    django_assert_num_queries,
):
    """The consultation page's "Start now" posts with a CSRF token: the page is cached with a
    hole there, filled for each visitor with a token of their own that the form accepts."""
    from django.test import Client

    consultation = ConsultationFactory()
    url = consultation.get_absolute_url()
    first_visitor = Client(enforce_csrf_checks=True)
    first = first_visitor.get(url)
    assert first.status_code == 200
    second_visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        second = second_visitor.get(url)  # from the cache
    assert _token_of(second) != _token_of(first)
    assert pagecache._placeholder().decode() not in second.content.decode()
    assert "csrftoken" in second.cookies  # and the cookie that goes with the token
    started = second_visitor.post(
        f"{url}respond/start/", {"csrfmiddlewaretoken": _token_of(second)}
    )
    assert started.status_code == 302  # on to the first question, not a 403
    # A third visitor's copy of the page cannot be used with the second visitor's cookie.
    third = Client(enforce_csrf_checks=True).get(url)
    assert _token_of(third) not in (_token_of(first), _token_of(second))


@pytest.mark.parametrize("secret_key", [f"key-{n}-" + "x" * 50 for n in range(8)])
def test_any_secret_key_makes_a_working_hole(rf, settings, secret_key):
    """The placeholder comes from the secret key; whatever it looks like (digits first
    included), the stored page holds it where the token was, and nothing else changes."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    settings.SECRET_KEY = secret_key
    request = rf.get("/")
    page = f'<p>\\1</p><input name="csrfmiddlewaretoken" value="{get_token(request)}">'
    stored = pagecache._with_csrf_holes(request, HttpResponse(page))
    hole = pagecache._placeholder().decode()
    assert stored.content.decode() == f'<p>\\1</p><input name="csrfmiddlewaretoken" value="{hole}">'


def test_a_page_with_a_token_outside_a_form_field_is_not_stored(rf):
    """Only tokens in form fields become holes: anywhere else, the page is not shared."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    request = rf.get("/")
    token = get_token(request)
    in_field = f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
    assert pagecache._with_csrf_holes(request, HttpResponse(in_field)).csrf_holes
    elsewhere = f'{in_field}<meta name="csrfmiddlewaretoken" content="{token}">'
    assert pagecache._with_csrf_holes(request, HttpResponse(elsewhere)) is None
    secret = request.META["CSRF_COOKIE"]
    assert pagecache._with_csrf_holes(request, HttpResponse(f"{in_field}{secret}")) is None


def test_a_flash_message_is_never_cached_or_shared(client):
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode(
        [Message(constants.SUCCESS, "Your apologies have been recorded.")]
    )
    assert "Your apologies have been recorded." in client.get("/meetings/").content.decode()
    client.cookies.clear()
    assert "Your apologies have been recorded." not in client.get("/meetings/").content.decode()


def test_pages_follow_the_clock_within_a_minute(client):
    """Meetings move from upcoming to past with time, not with a write."""
    from tests.meetings.factories import MeetingFactory

    start = timezone.now() + timedelta(minutes=3)
    MeetingFactory(title="Imminent meeting", starts_at=start, ends_at=start + timedelta(hours=1))
    assert "Imminent meeting" in client.get("/meetings/").content.decode()
    with time_machine.travel(start + timedelta(hours=2), tick=False):
        assert "Imminent meeting" not in client.get("/meetings/").content.decode()
        assert "Imminent meeting" in client.get("/meetings/past/").content.decode()


def test_a_renamed_member_shows_at_once_in_the_cached_member_table(client, participant):
    group = WorkingGroupFactory()
    MembershipFactory(group=group, user=UserFactory(display_name="Ada Analyst"))
    client.force_login(participant)
    assert "Ada Analyst" in client.get(group.get_absolute_url()).content.decode()
    member = group.memberships.get().user
    member.display_name = "Ada Archivist"
    member.save()
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Ada Archivist" in page and "Ada Analyst" not in page


def test_shared_results_follow_what_each_person_may_read(client, secretariat, participant):
    """The document list's results are shared between people who may read the same
    documents, never between people who may not."""
    document = DocumentFactory(title="Shared annex")
    restrict(document, by=secretariat)
    reader = UserFactory()
    document_services.share_document(document, by=secretariat, people=[reader], groups=[])
    client.force_login(participant)
    assert "Shared annex" not in client.get("/documents/").content.decode()
    client.force_login(reader)
    assert "Shared annex" in client.get("/documents/").content.decode()
    client.force_login(participant)
    assert "Shared annex" not in client.get("/documents/").content.decode()
    client.logout()
    assert "Shared annex" not in client.get("/documents/").content.decode()


def test_the_cache_is_bypassed_when_it_cannot_hold_a_generation(client, monkeypatch):
    """Redis down: the cache answers nothing, so every page is built (and none is stale)."""
    monkeypatch.setattr(pagecache, "current_generation", lambda: None)
    DocumentFactory(title="Built every time")
    assert "Built every time" in client.get("/documents/").content.decode()
    assert pagecache.cached_fragment("x", (), lambda: "fresh") == "fresh"


def test_every_model_either_retires_pages_or_says_why_it_does_not():
    labels = {model._meta.label for model in apps.get_models()}
    assert set(pagecache.SILENT_MODELS) <= labels, "SILENT_MODELS names a model that is gone"
    content = set(pagecache.content_models())
    for app in pagecache.CONTENT_APPS:
        for model in apps.get_app_config(app).get_models():
            label = model._meta.label
            assert (label in content) != (label in pagecache.SILENT_MODELS), label
    assert "documents.Restriction" in content and "documents.Document" in content


def test_the_analysts_list_follows_every_response_without_emptying_public_pages(client):
    """Responses retire only the "responses" scope: the analysts' shared list shows a new
    response at once, while a response arriving leaves the public pages cached."""
    from tests.consultation.factories import ResponseFactory
    from tests.factories import AnalystFactory

    consultation = ConsultationFactory()
    ResponseFactory(consultation=consultation, reference="R-FIRST")
    analyst = AnalystFactory(consultation=consultation).user
    public = pagecache.current_generation()
    client.force_login(analyst)
    url = f"{consultation.get_absolute_url()}analysis/"
    assert "1 response match" in client.get(url).content.decode()
    ResponseFactory(consultation=consultation, reference="R-SECOND")
    page = client.get(url).content.decode()
    assert "2 responses match" in page and "R-SECOND" in page
    assert pagecache.current_generation() == public


def test_a_fragment_kept_in_this_process_is_handed_out_as_a_copy():
    """The local copy beside Redis: text is shared as is, a dict is copied, and a model
    instance (which a request could change) is kept pickled: every use gets its own."""
    first = pagecache.cached_fragment("t", (1,), lambda: {"html": "<p>x</p>", "count": 1})
    first["count"] = 99
    again = pagecache.cached_fragment("t", (1,), lambda: {"html": "", "count": 0})
    assert again == {"html": "<p>x</p>", "count": 1}
    group = WorkingGroupFactory(name="Research")
    mine = pagecache.cached_fragment("g", (1,), lambda: group)
    mine.name = "Changed by one request"
    theirs = pagecache.cached_fragment("g", (1,), lambda: None)
    assert theirs is not mine and theirs.name == "Research" and theirs.pk == group.pk
    assert [k for k in pagecache._local.entries if ":g:" in k]  # served locally


def test_a_cached_row_is_retired_by_an_edit_or_a_restriction(client, participant, secretariat):
    """Detail pages read their row through the cache (signed in, past the page cache): an
    edit shows on the next view, and a restricted document is gone at once."""
    client.force_login(participant)
    group = WorkingGroupFactory(name="Research")
    document = DocumentFactory(title="Open paper")
    assert "Research" in client.get(group.get_absolute_url()).content.decode()
    assert client.get(document.get_absolute_url()).status_code == 200
    group.name = "Research and statistics"
    group.save()
    assert "Research and statistics" in client.get(group.get_absolute_url()).content.decode()
    restrict(document, by=secretariat)
    assert client.get(document.get_absolute_url()).status_code == 404


class _CountingCache:
    """The cache, counting the round trips made to it."""

    def __init__(self, cache):
        self.cache, self.calls = cache, []

    def __getattr__(self, name):
        self.calls.append(name)
        return getattr(self.cache, name)


def test_many_fragments_are_built_only_where_missing_and_follow_every_write(monkeypatch):
    """cached_fragments (a list assembled from each item's fragment): `render` is called
    once, with only what no list built before; another process asks the shared cache in
    one round trip; the next write retires them all."""
    built = []

    def build(varies):
        built.append(list(varies))
        return {vary: f"<p>{vary}</p>" for vary in varies}

    assert pagecache.cached_fragments("row", [1, 2], build) == {1: "<p>1</p>", 2: "<p>2</p>"}
    again = pagecache.cached_fragments("row", [2, 3, 1], build)
    assert list(again.items()) == [(2, "<p>2</p>"), (3, "<p>3</p>"), (1, "<p>1</p>")]
    assert built == [[1, 2], [3]]
    pagecache.forget_local_state()  # as a request in another process would find them
    counting = _CountingCache(pagecache.cache)
    monkeypatch.setattr(pagecache, "cache", counting)
    assert pagecache.cached_fragments("row", [3, 1], build) == {3: "<p>3</p>", 1: "<p>1</p>"}
    assert built == [[1, 2], [3]]
    assert counting.calls.count("get_many") == 2  # the generations, then the fragments
    assert "get" not in counting.calls
    monkeypatch.undo()
    DocumentFactory()
    pagecache.cached_fragments("row", [1, 2], build)
    assert built == [[1, 2], [3], [1, 2]]


def test_many_fragments_never_store_a_token_and_are_built_without_a_cache(monkeypatch):
    built = []

    def build(varies):
        built.append(list(varies))
        return dict.fromkeys(varies, '<input name="csrfmiddlewaretoken" value="x">')

    for _ in range(2):
        pagecache.cached_fragments("form", [1], build)
    assert built == [[1], [1]]
    monkeypatch.setattr(pagecache, "current_generation", lambda: None)
    assert pagecache.cached_fragments("row", [7], lambda varies: {7: "fresh"}) == {7: "fresh"}


def test_a_fragment_that_does_not_follow_the_clock_lasts_until_the_next_write():
    built = []

    def build():
        built.append(1)
        return "calendar"

    pagecache.cached_fragment("feed", (), build, follows_clock=False)
    with time_machine.travel(timezone.now() + timedelta(hours=3), tick=False):
        pagecache.forget_local_state()  # as a new request in another process would
        pagecache.cached_fragment("feed", (), build, follows_clock=False)
        assert len(built) == 1
        DocumentFactory()
        pagecache.cached_fragment("feed", (), build, follows_clock=False)
    assert len(built) == 2


@pytest.mark.parametrize("path", ["/documents/", "/meetings/", "/meetings/past/"])
def test_a_page_number_past_the_end_is_a_404_and_never_cached(client, path):
    """The lists paginate inside their shared fragment: a bad page still answers 404, every
    time, and the last page is still reachable by name."""
    DocumentFactory()
    for _ in range(2):
        assert client.get(path, {"page": "999"}).status_code == 404
        assert client.get(path, {"page": "abc"}).status_code == 404
    assert client.get(path, {"page": "last"}).status_code == 200


def test_the_analysts_list_refuses_a_bad_page_and_people_who_do_not_analyse(client, participant):
    from tests.consultation.factories import ResponseFactory
    from tests.factories import AnalystFactory

    consultation = ConsultationFactory()
    ResponseFactory(consultation=consultation)
    url = f"{consultation.get_absolute_url()}analysis/"
    client.force_login(AnalystFactory(consultation=consultation).user)
    assert client.get(url, {"page": "999"}).status_code == 200  # get_page: the last page
    assert "1 response match" in client.get(url).content.decode()
    client.force_login(participant)  # the shared results must not reach a non-analyst
    assert client.get(url).status_code == 404


def test_a_persons_answer_remembers_no_and_follows_a_change(participant, django_assert_num_queries):
    """cached_answer: "not a member" is kept like "member", and joining retires it."""
    from workinggroups import permissions as group_permissions

    group = WorkingGroupFactory()
    assert not group_permissions.is_member(participant, group)  # read and kept
    group_permissions.forget_roles(participant)  # a new request, the same person
    with django_assert_num_queries(0):
        assert not group_permissions.is_member(participant, group)
    MembershipFactory(group=group, user=participant)
    group_permissions.forget_roles(participant)
    assert group_permissions.is_member(participant, group)


def test_a_filter_form_is_shared_by_addresses_asking_the_same_question(client, participant):
    """The document filters (every organisation, every step…) are built once for a question,
    not again for its next page or an address with a tracking parameter, and a different
    question gets its own form."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    DocumentFactory(title="Trusted third parties", kind="policy_paper")
    client.force_login(participant)
    chosen = '<option value="policy_paper" selected>'
    first = client.get("/documents/?kind=policy_paper").content.decode()
    assert chosen in first and "Trusted third parties" in first
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/documents/?kind=policy_paper&utm_source=news").content.decode()
    assert chosen in again and "Trusted third parties" in again
    options = ('FROM "process_step"', 'FROM "workinggroups_workinggroup"', 'FROM "process_process"')
    assert not [q for q in queries.captured_queries if any(o in q["sql"] for o in options)]
    other = client.get("/documents/?kind=report").content.decode()
    assert '<option value="report" selected>' in other and chosen not in other
    assert "Trusted third parties" not in other


def test_form_state_holds_only_the_forms_own_fields():
    from django.http import QueryDict

    names = ["q", "kind"]
    assert pagecache.form_state(QueryDict("q=a&page=2&utm=x"), names) == (
        pagecache.form_state(QueryDict("utm=y&q=a"), names)
    )
    assert pagecache.form_state(QueryDict("q=a"), names) != (
        pagecache.form_state(QueryDict("q=b"), names)
    )
    assert pagecache.form_state(QueryDict(""), names) != (
        pagecache.form_state(QueryDict("page=2"), names)  # bound, though empty
    )


def test_a_cached_row_is_never_handed_to_someone_who_may_not_see_it(
    client, convenor, group, participant
):
    """The row a convenor read of their group's draft is kept under their visibility, so a
    participant asking for the same address still gets 404, then and after."""
    draft = DocumentFactory(title="Draft terms", status="draft")
    draft.working_groups.add(group)
    client.force_login(convenor)
    assert "Draft terms" in client.get(draft.get_absolute_url()).content.decode()
    client.force_login(participant)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/documents/no-such-document/").status_code == 404
    assert client.get("/working-groups/no-such-group/").status_code == 404
    assert client.get("/meetings/999999/").status_code == 404


def test_a_part_shown_at_one_address_is_kept_once_not_beside_the_whole_page(rf, settings):
    """A page of results is kept whole for signed-out visitors, so its results are not
    kept a second time for them; for signed-in people (never served whole pages) they
    are kept and shared."""
    from django.http import HttpResponse

    built: list[str] = []

    def results(request):
        def build() -> str:
            built.append(request.get_full_path())
            return "<p>Three documents</p>"

        vary = (request.get_full_path(),)
        return HttpResponse(pagecache.address_fragment(request, "results", vary, build))

    page = pagecache.public_page(results)

    def signed_in():
        request = rf.get("/things/?q=data")
        request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
        return request

    assert page(rf.get("/things/?q=data")).content == b"<p>Three documents</p>"
    assert page(rf.get("/things/?q=data")).content == b"<p>Three documents</p>"
    assert len(built) == 1  # the second visitor got the whole page
    assert page(signed_in()).content == b"<p>Three documents</p>"
    assert len(built) == 2  # nothing was kept beside the page for them to share
    assert page(signed_in()).content == b"<p>Three documents</p>"
    assert len(built) == 2  # the signed-in person's results are shared


def test_a_page_served_from_the_cache_is_one_round_trip_to_the_cache(client, monkeypatch):
    """The generation and the kept page are asked for together, and the page is served only
    if it was kept under the generation that is current now."""
    from django.core.cache import cache

    DocumentFactory(title="Trusted third parties")
    client.get("/documents/")
    asked: list[str] = []
    inside: list[str] = []  # the test cache answers get_many with a get per key

    for name in ("get", "get_many", "set", "set_many", "add"):
        original = getattr(cache, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            if not inside:
                asked.append(_name)
            inside.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(cache, name, counted)
    assert "Trusted third parties" in client.get("/documents/").content.decode()
    assert asked == ["get_many"]
    monkeypatch.undo()
    DocumentFactory(title="Published a moment later")
    assert "Published a moment later" in client.get("/documents/").content.decode()
