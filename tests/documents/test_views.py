"""Pages as a reader and the secretariat meet them, and the evidence on workplan tasks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from documents import services
from documents.forms import DocumentForm
from documents.models import Document, Restriction
from policyhub.models import AuditEntry
from tests.documents.factories import (
    DocumentFactory,
    EvidenceFactory,
    OrganisationFactory,
    restrict,
    upload,
)
from tests.factories import StepFactory, UserFactory, WorkingGroupFactory, date_fields
from workinggroups.services import add_default_tasks

pytestmark = pytest.mark.django_db


# --- Restricted content never leaks ---------------------------------------------------------


def test_public_cannot_download_file_of_restricted_document(client, restricted_doc):
    url = restricted_doc.files.get().get_absolute_url()
    assert client.get(url).status_code == 404


def test_link_handed_out_before_restriction_stops_working_at_once(client, open_doc, secretariat):
    url = open_doc.files.get().get_absolute_url()
    assert client.get(url).status_code == 200
    services.restrict_document(
        open_doc,
        by=secretariat,
        grounds=["security"],
        justification="The annex describes how the secure setting is protected.",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    assert client.get(url).status_code == 200


def test_download_is_an_attachment_with_nosniff_and_a_safe_type(client, open_doc):
    response = client.get(open_doc.files.get().get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="annex.pdf"'
    assert "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_download_can_be_handed_to_nginx_after_the_check(client, open_doc, settings):
    settings.DOCUMENTS_FILE_SERVING = "x-accel-redirect"
    attached = open_doc.files.get()
    response = client.get(attached.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-files/{attached.file.name}"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Location" not in response


def test_download_of_another_documents_file_is_not_found(client, open_doc, restricted_doc):
    other_file = restricted_doc.files.get()
    url = f"/documents/{open_doc.slug}/files/{other_file.pk}/annex.pdf"
    assert client.get(url).status_code == 404


def test_search_never_returns_what_the_viewer_may_not_read(client, restricted_doc, member):
    response = client.get("/documents/", {"q": "SECRET-CLAUSE-WORDING"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Results for “SECRET-CLAUSE-WORDING”" in html
    assert "0 documents" in html and "No documents match." in html
    assert "Negotiation draft" not in html
    assert "about safeguards" not in html
    client.force_login(member)
    response = client.get("/documents/", {"q": "SECRET-CLAUSE-WORDING"})
    assert "Negotiation draft" in response.content.decode()


def test_feed_lists_published_open_documents_only(client, open_doc, restricted_doc, draft_doc):
    xml = client.get("/documents/feed/").content.decode()
    assert open_doc.title in xml
    assert restricted_doc.title not in xml
    assert draft_doc.title not in xml


def test_feed_is_the_publics_view_even_for_the_secretariat(
    client, open_doc, restricted_doc, draft_doc, secretariat
):
    client.force_login(secretariat)
    response = client.get("/documents/feed/")
    xml = response.content.decode()
    assert response.status_code == 200
    assert xml.count("<entry>") == 1
    assert f"<title>{open_doc.title}</title>" in xml
    assert restricted_doc.title not in xml
    assert draft_doc.title not in xml


def test_feed_renders_markdown_safely(client, secretariat):
    DocumentFactory(summary="**Bold** <script>alert(1)</script>")
    xml = client.get("/documents/feed/").content.decode()
    assert "&lt;strong&gt;Bold&lt;/strong&gt;" in xml
    assert "script" not in xml


def test_restricted_document_is_missing_from_working_group_include(rf, restricted_doc, group):
    open_one = DocumentFactory(process=group.process, groups=[group], title="Open strand paper")
    template = Template('{% include "documents/includes/group_documents.html" %}')
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = template.render(Context({"group": group, "request": request}))
    assert open_one.title in html
    assert restricted_doc.title not in html


def test_working_group_include_lists_only_the_newest_documents(rf, group):
    from django.contrib.auth.models import AnonymousUser

    from documents.templatetags.documents import GROUP_PANEL_SIZE

    DocumentFactory(process=group.process, groups=[group], title="Oldest strand paper",
                    published_on=date(2014, 1, 1))  # fmt: skip
    for n in range(GROUP_PANEL_SIZE):
        DocumentFactory(process=group.process, groups=[group], title=f"Newer paper {n}",
                        published_on=date(2015, 1, 1 + n))  # fmt: skip
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    template = Template('{% include "documents/includes/group_documents.html" %}')
    html = template.render(Context({"group": group, "request": request}))
    assert "Newer paper 9" in html
    assert "Oldest strand paper" not in html
    assert f"?working_group={group.pk}" in html  # the rest are one link away


def test_admin_list_hides_restricted_documents_from_staff_outside_the_secretariat(
    client, restricted_doc, open_doc
):
    staff = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="documents"))
    client.force_login(staff)
    html = client.get("/admin/documents/document/").content.decode()
    assert open_doc.title in html
    assert restricted_doc.title not in html
    assert client.get(f"/admin/documents/document/{restricted_doc.pk}/change/").status_code == 302


# --- The public register ----------------------------------------------------------------------


def test_register_shows_the_case_and_never_the_content(client, restricted_doc):
    html = client.get("/documents/restricted/").content.decode()
    restriction = restricted_doc.restrictions.get()
    assert restriction.public_title in html
    assert "Draft under negotiation that would be harmed by early release" in html
    assert "harm the negotiation" in html
    assert restriction.review_on.strftime("%-d %B %Y") in html
    assert "SECRET-CLAUSE-WORDING" not in html
    assert restricted_doc.get_absolute_url() not in html
    assert restricted_doc.files.get().name not in html


def test_register_keeps_a_lifted_restriction_as_history(client, restricted_doc, secretariat):
    services.lift_restriction(restricted_doc, by=secretariat, reason="The clauses were agreed.")
    html = client.get("/documents/restricted/").content.decode()
    assert "Restrictions lifted" in html
    assert "The clauses were agreed." in html
    assert "No documents are restricted." in html


def test_register_links_a_lifted_restriction_to_the_document_now_open(
    client, restricted_doc, secretariat
):
    url = restricted_doc.get_absolute_url()
    assert f'href="{url}"' not in client.get("/documents/restricted/").content.decode()
    services.lift_restriction(restricted_doc, by=secretariat, reason="The clauses were agreed.")
    html = client.get("/documents/restricted/").content.decode()
    lifted = html.split("Restrictions lifted", 1)[1]
    assert f'href="{url}"' in lifted
    assert client.get(url).status_code == 200


def test_register_does_not_link_a_lifted_restriction_to_a_document_restricted_again(
    client, restricted_doc, secretariat
):
    services.lift_restriction(restricted_doc, by=secretariat, reason="The clauses were agreed.")
    services.restrict_document(
        restricted_doc,
        by=secretariat,
        grounds=["security"],
        justification="A new annex describes how the secure setting is protected.",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    html = client.get("/documents/restricted/").content.decode()
    assert f'href="{restricted_doc.get_absolute_url()}"' not in html


# --- Browse, search and filters ------------------------------------------------------------


def test_list_shows_newest_first_and_only_published(client, draft_doc):
    older = DocumentFactory(title="Older paper", published_on=timezone.localdate() - timedelta(9))
    newer = DocumentFactory(title="Newer paper", published_on=timezone.localdate())
    html = client.get("/documents/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert draft_doc.title not in html


def test_list_filters_by_kind_group_organisation_and_year(client, group):
    org = OrganisationFactory(name="Involve")
    paper = DocumentFactory(title="Strand paper", kind="working_paper", groups=[group])
    paper.organisations.add(org)
    DocumentFactory(title="Other report", kind="report")
    for params in (
        {"kind": "working_paper"},
        {"working_group": group.pk},
        {"organisation": org.pk},
        {"year": paper.published_on.year, "kind": "working_paper"},
    ):
        html = client.get("/documents/", params).content.decode()
        assert "Strand paper" in html, params
        assert "Other report" not in html, params


def test_access_filter_is_offered_only_to_the_secretariat(client, participant, secretariat):
    client.force_login(participant)
    assert 'name="access"' not in client.get("/documents/").content.decode()
    client.force_login(secretariat)
    assert 'name="access"' in client.get("/documents/").content.decode()


def test_secretariat_can_list_only_restricted_documents(
    client, open_doc, restricted_doc, secretariat
):
    client.force_login(secretariat)
    html = client.get("/documents/", {"access": "restricted"}).content.decode()
    assert restricted_doc.title in html
    assert open_doc.title not in html


def test_search_finds_words_in_title_summary_body_and_file_text(client, secretariat):
    in_body = DocumentFactory(title="Alpha", body="Accredited researchers in secure settings.")
    in_file = DocumentFactory(title="Beta", body="No match here.")
    services.attach_file(
        in_file, by=secretariat, upload=upload("notes.txt", b"Accredited researchers met.")
    )
    services.refresh_search_index(in_body)
    DocumentFactory(title="Gamma", body="Something else entirely.")
    html = client.get("/documents/", {"q": "accredited researchers"}).content.decode()
    assert "Alpha" in html and "Beta" in html
    assert "Gamma" not in html


def test_search_highlights_the_matching_passage_and_escapes_the_rest(client):
    document = DocumentFactory(body="Before <b>bold</b> the trusted third party after.")
    services.refresh_search_index(document)
    html = client.get("/documents/", {"q": "trusted"}).content.decode()
    assert "<mark>trusted</mark>" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_search_passage_shows_plain_words_from_the_start_of_a_word(client):
    body = (
        "The network met three times in the spring and the summer of that year to discuss "
        "papers.\n\n## From joint paper\n\nThe **network** agreed that "
        "[trusted third parties](https://example.org/parties) should hold linked data."
    )
    document = DocumentFactory(body=body)
    services.refresh_search_index(document)
    html = client.get("/documents/", {"q": "trusted"}).content.decode()
    passage = html.split("app-search-passage", 1)[1].split("</p>", 1)[0]
    assert "From joint paper. The network agreed that <mark>trusted</mark> third parties" in (
        passage
    )
    assert "##" not in passage and "**" not in passage and "example.org" not in passage
    first_word = passage.split("… ", 1)[1].split(" ", 1)[0]
    assert f" {first_word} " in body  # a whole word, never the end of one


def _searchable(**fields) -> Document:
    document = DocumentFactory(**fields)
    services.refresh_search_index(document)
    return document


def test_search_results_are_counted_and_paged_like_any_list(client):
    """The search counts its matches in the query that reads the page (SearchPaginator):
    every page, the last page by name, and a page past the end behave as in any list."""
    org = OrganisationFactory(name="Involve")
    for number in range(25):
        paper = _searchable(title=f"Census paper {number}", body="Census microdata, linked.")
        if number < 3:
            paper.organisations.add(org)
    _searchable(title="Unrelated", body="Fuel poverty.")
    pages = {
        page: client.get("/documents/", {"q": "census", "page": page}).content.decode()
        for page in (1, 2, "last")
    }
    assert all("25 documents" in html for html in pages.values())
    assert [html.count("app-search-passage") for html in pages.values()] == [20, 5, 5]
    assert "Unrelated" not in pages[1] + pages[2]
    assert client.get("/documents/", {"q": "census", "page": 3}).status_code == 404
    by_involve = client.get("/documents/", {"q": "census", "organisation": org.pk}).content
    assert "3 documents" in by_involve.decode()
    nothing = client.get("/documents/", {"q": "microdata", "kind": "report"}).content.decode()
    assert "0 documents" in nothing and "No documents match" in nothing


def test_a_result_heading_follows_each_write(client, secretariat):
    """A document's heading in results (title, tags, authors) shows an author added or a
    restriction in the very next list."""
    paper = _searchable(title="Linkage pilot", body="Secure linkage of census records.")
    paper.organisations.add(OrganisationFactory(name="Involve"))
    assert "by Involve" in client.get("/documents/", {"q": "linkage"}).content.decode()
    paper.organisations.add(OrganisationFactory(name="Office for National Statistics"))
    html = client.get("/documents/", {"q": "linkage"}).content.decode()
    assert "by Involve, Office for National Statistics" in html
    restrict(paper, by=secretariat)
    client.force_login(secretariat)
    html = client.get("/documents/", {"q": "census"}).content.decode()
    assert 'Linkage pilot</a>\n  <strong class="govuk-tag govuk-tag--red">Restricted' in html


def test_search_uses_the_stored_vector_on_postgresql_and_columns_elsewhere(secretariat):
    document = DocumentFactory(body="Safeguards for sharing.")
    services.refresh_search_index(document)
    document.refresh_from_db()
    matches = Document.objects.search("safeguard")
    if connection.vendor == "postgresql":
        # Stemming: "safeguard" finds "Safeguards" through the GIN-indexed vector.
        assert document.search_vector is not None
        assert document in matches
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = "
                "'documents_document_search_vector_gin'"
            )
            assert "gin" in cursor.fetchone()[0].lower()
    else:
        assert document.search_vector is None
        assert document in matches  # substring match on the body


# --- Query budgets: constant whatever the number of documents, files and versions ----------


def _documents(count: int, group) -> None:
    for _ in range(count):
        document = DocumentFactory(groups=[group])
        document.organisations.add(OrganisationFactory())


@pytest.mark.parametrize("count", [3, 30])
def test_list_page_query_count_does_not_grow(client, django_assert_max_num_queries, group, count):
    _documents(count, group)
    # The filter form's four lists, the count, the page's keys, its rows and their authors.
    with django_assert_max_num_queries(8):
        assert client.get("/documents/").status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_search_page_query_count_does_not_grow(client, django_assert_max_num_queries, group, count):
    _documents(count, group)
    # The filter form's four lists, the count, the page's keys, its rows and their authors.
    with django_assert_max_num_queries(8):
        assert client.get("/documents/", {"q": "safeguards"}).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_document_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, secretariat, group, count
):
    document = DocumentFactory(groups=[group])
    for number in range(count):
        services.attach_file(document, by=secretariat, upload=upload(f"annex-{number}.pdf"))
        services.update_document(
            document, by=secretariat, body=f"Text {number}", change_note=f"Change {number}."
        )
        document.organisations.add(OrganisationFactory())
        document.working_groups.add(WorkingGroupFactory(process=group.process))
    with django_assert_max_num_queries(9):
        assert client.get(document.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_secretariat_document_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, secretariat, restricted_doc, count
):
    for number in range(count):
        services.attach_file(restricted_doc, by=secretariat, upload=upload(f"a-{number}.pdf"))
    client.force_login(secretariat)
    with django_assert_max_num_queries(14):
        assert client.get(restricted_doc.get_absolute_url()).status_code == 200


# --- The document page ----------------------------------------------------------------------


def test_document_page_puts_the_summary_first_and_lists_files_with_type_and_size(client, open_doc):
    html = client.get(open_doc.get_absolute_url()).content.decode()
    assert html.index(open_doc.summary) < html.index("The document")
    assert "annex.pdf" in html
    assert "(PDF," in html
    assert "Version 2" in html and "Added a note." in html
    assert "Last updated" in html


def test_comparison_page_shows_what_changed(client, open_doc):
    html = client.get(f"/documents/{open_doc.slug}/compare/1...2/").content.decode()
    assert "<ins>A new paragraph.</ins>" in html


def test_earlier_version_is_readable_as_it_was(client, open_doc):
    html = client.get(f"/documents/{open_doc.slug}/versions/1/").content.decode()
    assert "This is an earlier version" in html
    assert "A new paragraph." not in html


# --- Forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fixture", "button"),
    [
        ("edit/", "open_doc", "Save changes"),
        ("withdraw/", "open_doc", "Withdraw document"),
        ("files/new/", "open_doc", "Attach file"),
        ("restrict/", "open_doc", "Restrict document"),
        ("sharing/", "restricted_doc", "Save sharing"),
        ("review-restriction/", "restricted_doc", "Keep restricted until the next review"),
        ("lift-restriction/", "restricted_doc", "Lift restriction"),
    ],
)
def test_question_pages_name_the_document_and_lead_back_to_it(
    client, request, secretariat, path, fixture, button
):
    document = request.getfixturevalue(fixture)
    client.force_login(secretariat)
    html = client.get(f"/documents/{document.slug}/{path}").content.decode()
    assert f'<span class="govuk-caption-l">{document.title}</span>' in html
    assert f'href="{document.get_absolute_url()}" class="govuk-back-link"' in html
    assert f'<a class="govuk-link" href="{document.get_absolute_url()}">Cancel</a>' in html
    # Withdrawing and restricting take a document from its readers: the button warns.
    warns = path in {"withdraw/", "restrict/"}
    assert ("govuk-button--warning" in html) == warns
    assert f">{button}</button>" in html
    assert ('enctype="multipart/form-data"' in html) == (path == "files/new/")


def test_restricting_through_the_form_lists_it_on_the_register(client, open_doc, secretariat):
    client.force_login(secretariat)
    review_on = timezone.localdate() + timedelta(days=60)
    response = client.post(
        f"/documents/{open_doc.slug}/restrict/",
        {
            "grounds": ["personal_data"],
            "justification": "The annex names members of the public who wrote in.",
            **date_fields("review_on", review_on),
            "public_title": "Annex of letters",
        },
    )
    assert response.status_code == 302
    assert Restriction.objects.active().get().document == open_doc
    assert "Annex of letters" in client.get("/documents/restricted/").content.decode()


def test_restriction_form_refuses_a_missing_case_and_keeps_what_was_typed(
    client, open_doc, secretariat
):
    client.force_login(secretariat)
    response = client.post(
        f"/documents/{open_doc.slug}/restrict/",
        {
            "justification": "Too short.",
            **date_fields("review_on", timezone.localdate() + timedelta(days=400)),
            "public_title": "My neutral title",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Select at least one ground") == 2  # summary and field
    assert "full sentence" in html
    assert "within 183 days" in html
    assert "<title>Error: " in html
    assert "My neutral title" in html and "Too short." in html
    assert not Restriction.objects.exists()


def test_editing_a_published_document_without_change_note_shows_an_error(
    client, open_doc, secretariat
):
    client.force_login(secretariat)
    response = client.post(
        f"/documents/{open_doc.slug}/edit/",
        {
            "process": open_doc.process_id,
            "title": open_doc.title,
            "summary": open_doc.summary,
            "body": "Rewritten text.",
            "kind": open_doc.kind,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter a change note" in html
    assert "Rewritten text." in html


def test_convenor_creates_a_draft_for_their_group_and_publishes_it(client, convenor, group):
    client.force_login(convenor)
    response = client.post(
        "/documents/new/",
        {
            "process": group.process.pk,
            "title": "Strand working paper",
            "summary": "What the group thinks so far.",
            "body": "Text.",
            "kind": "working_paper",
            "working_groups": [group.pk],
        },
    )
    document = Document.objects.get(slug="strand-working-paper")
    assert response.status_code == 302
    assert document.status == "draft"
    assert client.post(f"/documents/{document.slug}/publish/").status_code == 302
    document.refresh_from_db()
    assert document.status == "published"


def test_convenor_cannot_file_a_document_under_another_group(client, convenor, other_group):
    client.force_login(convenor)
    response = client.post(
        "/documents/new/",
        {
            "process": other_group.process.pk,
            "title": "Sneaky paper",
            "summary": "x",
            "kind": "working_paper",
            "working_groups": [other_group.pk],
        },
    )
    assert response.status_code == 200
    assert not Document.objects.filter(title="Sneaky paper").exists()


def test_a_document_cannot_be_filed_with_another_processs_step(client, secretariat, group):
    other_step = StepFactory(title="Consultation events")
    client.force_login(secretariat)
    response = client.post(
        "/documents/new/",
        {
            "process": group.process.pk,
            "title": "Misfiled paper",
            "summary": "A paper.",
            "kind": "report",
            "step": other_step.pk,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    message = f"“Consultation events” is a step of {other_step.process.title}."
    assert html.count(message) == 2  # the error summary and next to the step field
    assert 'id="id_step-error"' in html
    assert 'value="Misfiled paper"' in html
    assert not Document.objects.filter(title="Misfiled paper").exists()


def test_an_editor_moves_a_document_to_another_process_with_one_of_its_steps(
    client, secretariat, group
):
    old_step = StepFactory(process=group.process)
    document = DocumentFactory(process=group.process, step=old_step)
    new_step = StepFactory(title="Consultation events")
    form = {
        "process": new_step.process_id,
        "title": document.title,
        "summary": document.summary,
        "body": document.body,
        "kind": document.kind,
        "step": old_step.pk,
        "change_note": "Filed under the right process.",
    }
    client.force_login(secretariat)
    edit_page = client.get(f"/documents/{document.slug}/edit/").content.decode()
    assert 'name="process"' in edit_page
    kept_old_step = client.post(f"/documents/{document.slug}/edit/", form).content.decode()
    assert "is a step of" in kept_old_step
    document.refresh_from_db()
    assert document.process_id == group.process_id
    response = client.post(f"/documents/{document.slug}/edit/", {**form, "step": new_step.pk})
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.process, document.step) == (new_step.process, new_step)
    html = client.get(document.get_absolute_url()).content.decode()
    assert new_step.process.get_absolute_url() in html


def test_reserved_web_addresses_are_refused(client, secretariat, group):
    client.force_login(secretariat)
    response = client.post(
        "/documents/new/",
        {"process": group.process.pk, "title": "Restricted", "summary": "x", "kind": "report"},
    )
    assert "used by the service" in response.content.decode()


# --- Access log -------------------------------------------------------------------------------


def test_access_log_lists_changes_and_filters_by_action(client, restricted_doc, secretariat):
    services.lift_restriction(restricted_doc, by=secretariat, reason="Agreed text published.")
    services.restrict_document(
        DocumentFactory(title="Second paper"),
        by=secretariat,
        grounds=["legal_privilege"],
        justification="Legal advice to the department, which is privileged.",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    client.force_login(secretariat)
    html = client.get("/documents/access-log/", {"action": "documents.restriction_lifted"})
    html = html.content.decode()
    assert "Agreed text published." in html
    assert "Legal advice" not in html


def test_access_log_describes_changes_in_words_not_codes(client, open_doc, secretariat, group):
    services.restrict_document(
        open_doc,
        by=secretariat,
        grounds=["security"],
        justification="The annex describes how the secure setting is protected.",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    services.share_document(open_doc, by=secretariat, people=[], groups=[group])
    client.force_login(secretariat)
    html = client.get("/documents/access-log/").content.decode()
    rows = html.split("<tbody", 1)[1]
    assert "documents.restricted" not in rows
    assert "documents.sharing_changed" not in rows
    assert '<td class="govuk-table__cell">Restricted</td>' in rows
    assert '<td class="govuk-table__cell">Open to everyone</td>' in rows
    assert "Sharing changed" in rows
    assert f"Working groups: {group.name}" in rows
    assert "{&#x27;people&#x27;" not in rows


def test_audit_entries_cannot_be_changed_or_deleted_in_the_admin(client, superuser, secretariat):
    document = DocumentFactory()
    services.share_document(document, by=secretariat, people=[secretariat], groups=[])
    entry = AuditEntry.objects.get()
    client.force_login(superuser)
    response = client.post(f"/admin/policyhub/auditentry/{entry.pk}/change/", {"action": "x"})
    assert response.status_code == 403
    response = client.post(f"/admin/policyhub/auditentry/{entry.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "documents.sharing_changed"


def test_restrictions_cannot_be_changed_in_the_admin(client, superuser, restricted_doc):
    restriction = restricted_doc.restrictions.get()
    client.force_login(superuser)
    response = client.post(
        f"/admin/documents/restriction/{restriction.pk}/change/", {"justification": ""}
    )
    assert response.status_code == 403
    assert client.post(f"/admin/documents/restriction/{restriction.pk}/delete/").status_code == 403


def test_admin_flags_restrictions_whose_review_is_due(client, superuser, restricted_doc):
    Restriction.objects.update(review_on=timezone.localdate() - timedelta(days=1))
    client.force_login(superuser)
    html = client.get("/admin/documents/restriction/", {"review": "due"}).content.decode()
    assert restricted_doc.title in html
    assert 'alt="True"' in html
    html = client.get("/admin/documents/document/").content.decode()
    assert html.count('alt="True"') == 1  # only the restricted document is flagged
    services.review_restriction(
        restricted_doc.restrictions.get(),
        by=superuser,
        review_on=timezone.localdate() + timedelta(days=30),
        justification="Negotiation continues; agreement expected next month.",
    )
    html = client.get("/admin/documents/document/").content.decode()
    assert 'alt="True"' not in html


def test_search_combined_with_filters_and_pagination(client, group):
    for number in range(25):
        DocumentFactory(title=f"Strand paper {number}", body="Safeguards apply.", groups=[group])
    for document in Document.objects.all():
        services.refresh_search_index(document)
    response = client.get("/documents/", {"q": "safeguards", "working_group": group.pk})
    assert response.status_code == 200
    assert "25 documents" in response.content.decode()
    page_two = client.get("/documents/", {"q": "safeguards", "working_group": group.pk, "page": 2})
    assert page_two.content.decode().count("Strand paper") == 5
    assert "q=safeguards" in response.content.decode()


def test_editors_can_find_their_drafts_and_others_cannot(client, draft_doc, convenor, member):
    client.force_login(convenor)
    assert draft_doc.title in client.get("/documents/", {"status": "draft"}).content.decode()
    client.force_login(member)
    html = client.get("/documents/", {"status": "draft"}).content.decode()
    assert draft_doc.title not in html
    assert 'name="status"' not in html


def test_convenor_editing_a_joint_paper_keeps_the_other_groups(client, convenor, group):
    other = WorkingGroupFactory(process=group.process)
    document = DocumentFactory(process=group.process, groups=[group, other])
    client.force_login(convenor)
    response = client.post(
        f"/documents/{document.slug}/edit/",
        {
            "process": document.process_id,
            "title": document.title,
            "summary": document.summary,
            "body": document.body,
            "kind": document.kind,
            "working_groups": [group.pk],
        },
    )
    assert response.status_code == 302
    assert set(document.working_groups.all()) == {group, other}


def test_removed_file_link_stops_working(client, open_doc, secretariat):
    attached = open_doc.files.get()
    url = attached.get_absolute_url()
    client.force_login(secretariat)
    client.post(f"/documents/{open_doc.slug}/files/{attached.pk}/remove/")
    assert client.get(url).status_code == 404
    assert AuditEntry.objects.filter(action="documents.file_removed").exists()
    # A second click finds nothing to remove and changes nothing.
    assert client.post(f"/documents/{open_doc.slug}/files/{attached.pk}/remove/").status_code == 302


def test_meeting_include_lists_only_readable_papers(restricted_doc, open_doc, group):
    from django.contrib.auth.models import AnonymousUser

    meeting = _meeting(group)
    open_doc.meetings.add(meeting)
    restricted_doc.meetings.add(meeting)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    template = Template('{% include "documents/includes/meeting_documents.html" %}')
    html = template.render(Context({"meeting": meeting, "request": request}))
    assert open_doc.title in html
    assert restricted_doc.title not in html


def _meeting(group):
    from meetings.models import Meeting

    start = timezone.now()
    return Meeting.objects.create(
        process=group.process,
        working_group=group,
        title="Strand meeting",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )


def test_step_filter_names_the_process(client, group):
    from tests.factories import StepFactory

    StepFactory(process=group.process, number=2, title="Working groups develop proposals")
    html = client.get("/documents/").content.decode()
    assert f"{group.process.title}: step 2" in html


def test_empty_document_form_says_what_to_enter(client, secretariat):
    client.force_login(secretariat)
    html = client.post("/documents/new/", {"title": ""}).content.decode()
    assert "Enter a title for the document." in html
    assert "Enter a summary of the document in plain words." in html
    assert "This field is required" not in html
    assert "Enter a web address" not in html


# --- Evidence on a working group's task page -------------------------------------------------


@pytest.fixture
def task_with_evidence(secretariat):
    group = WorkingGroupFactory()
    task = add_default_tasks(group)[0]
    open_document = DocumentFactory(process=group.process, title="Open evidence paper")
    withheld = DocumentFactory(process=group.process, title="Withheld negotiation draft")
    restrict(withheld, by=secretariat)
    EvidenceFactory(task=task, title="Open paper", document=open_document, url="")
    EvidenceFactory(task=task, title="Negotiation draft", document=withheld, url="")
    return task


def test_public_sees_open_evidence_but_not_restricted_document_title(client, task_with_evidence):
    """A task's evidence never reveals a restricted document, not even its title."""
    html = client.get(task_with_evidence.get_absolute_url()).content.decode()
    assert "Open evidence paper" in html
    assert "Withheld negotiation draft" not in html
    assert "Negotiation draft" not in html


def test_secretariat_sees_restricted_evidence(client, secretariat, task_with_evidence):
    client.force_login(secretariat)
    html = client.get(task_with_evidence.get_absolute_url()).content.decode()
    assert "Withheld negotiation draft" in html


def test_convenor_adds_evidence_from_the_task_page_and_removes_it(client, group, convenor):
    task = add_default_tasks(group)[0]
    client.force_login(convenor)
    page = client.get(task.get_absolute_url()).content.decode()
    add_url = f"/documents/workplan/{group.slug}/{task.position}/evidence/"
    assert f'href="{add_url}"' in page
    response = client.post(
        add_url, {"title": "Public dialogue report", "url": "www.example.org/dialogue"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == task.get_absolute_url()
    evidence = task.evidence.get()
    assert evidence.url == "https://www.example.org/dialogue"
    page = client.get(task.get_absolute_url()).content.decode()
    remove_url = f"{add_url}{evidence.pk}/remove/"
    assert "Public dialogue report" in page and f'action="{remove_url}"' in page
    assert client.post(remove_url).headers["Location"] == task.get_absolute_url()
    assert not task.evidence.exists()


def test_evidence_form_offers_only_documents_the_person_may_read(
    client, group, convenor, secretariat
):
    task = add_default_tasks(group)[0]
    readable = DocumentFactory(process=group.process, title="Readable evidence paper")
    withheld = DocumentFactory(process=group.process, title="Withheld negotiation draft")
    restrict(withheld, by=secretariat)
    client.force_login(convenor)
    html = client.get(f"/documents/workplan/{group.slug}/{task.position}/evidence/").content
    assert readable.title in html.decode()
    assert withheld.title not in html.decode()
    response = client.post(
        f"/documents/workplan/{group.slug}/{task.position}/evidence/",
        {"title": "Draft", "document": withheld.pk},
    )
    assert response.status_code == 200
    assert not task.evidence.exists()


def test_members_see_evidence_without_buttons_to_change_it(client, group, member):
    task = add_default_tasks(group)[0]
    EvidenceFactory(task=task, title="Public dialogue report")
    client.force_login(member)
    html = client.get(task.get_absolute_url()).content.decode()
    assert "Public dialogue report" in html
    assert "/remove/" not in html and "Add evidence" not in html


# --- A restriction's case at its edges, as the secretariat meets it ---------------------------


def _restrict_form(client, document, review_on):
    return client.post(
        f"/documents/{document.slug}/restrict/",
        {
            "grounds": ["negotiation"],
            "justification": "Releasing the draft now would harm the negotiation.",
            **date_fields("review_on", review_on),
        },
    )


def test_the_restriction_form_takes_review_dates_from_tomorrow_to_the_limit(
    client, open_doc, secretariat
):
    client.force_login(secretariat)
    today = timezone.localdate()
    limit = services.max_review_days()
    for refused, message in (
        (today, "The review date must be in the future."),
        (today + timedelta(days=limit + 1), f"within {limit} days"),
    ):
        response = _restrict_form(client, open_doc, refused)
        assert response.status_code == 200
        assert response.content.decode().count(message) == 2  # the summary and the field
    assert not Restriction.objects.exists()
    assert _restrict_form(client, open_doc, today + timedelta(days=limit)).status_code == 302
    assert Restriction.objects.active().get().review_on == today + timedelta(days=limit)


def test_lifting_without_a_reason_is_refused_next_to_the_field(client, restricted_doc, secretariat):
    client.force_login(secretariat)
    response = client.post(f"/documents/{restricted_doc.slug}/lift-restriction/", {"reason": " "})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("Enter why the document can now be opened.") == 2
    assert restricted_doc.restrictions.active().exists()


def test_a_lifted_restriction_offers_nothing_to_review(client, restricted_doc, secretariat):
    client.force_login(secretariat)
    services.lift_restriction(restricted_doc, by=secretariat, reason="Talks concluded.")
    response = client.post(
        f"/documents/{restricted_doc.slug}/review-restriction/",
        {
            "justification": "Still under negotiation; agreement is expected in the summer.",
            **date_fields("review_on", timezone.localdate() + timedelta(days=30)),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == restricted_doc.get_absolute_url()
    assert "there is no restriction to review" in response.content.decode()
    assert not restricted_doc.restrictions.active().exists()
    assert not AuditEntry.objects.filter(action="documents.restriction_reviewed").exists()


def test_a_lifted_document_can_be_restricted_again_through_the_form(
    client, restricted_doc, secretariat
):
    client.force_login(secretariat)
    services.lift_restriction(restricted_doc, by=secretariat, reason="Talks concluded.")
    response = _restrict_form(client, restricted_doc, timezone.localdate() + timedelta(days=30))
    assert response.status_code == 302
    assert restricted_doc.restrictions.count() == 2
    assert restricted_doc.restrictions.active().count() == 1
    client.logout()
    assert client.get(restricted_doc.get_absolute_url()).status_code == 404


def test_document_form_says_the_summary_limit_and_refuses_a_longer_one(client, secretariat, group):
    client.force_login(secretariat)
    page = client.get("/documents/new/").content.decode()
    assert 'data-maxlength="1000"' in page
    assert "You can enter up to 1,000 characters" in page
    summary = "What the paper is. " + "x" * 1_000
    response = client.post(
        "/documents/new/",
        {
            "process": group.process.pk,
            "title": "Long summary",
            "summary": summary,
            "kind": "report",
        },
    )
    html = response.content.decode()
    assert "Summary must be 1,000 characters or fewer." in html
    assert 'id="id_summary-error"' in html
    assert summary in html
    assert not Document.objects.filter(title="Long summary").exists()


@pytest.mark.parametrize(
    ("label", "limit"),
    [
        ("Document.summary", 1_000),
        ("Document.withdrawn_reason", 3_000),
        ("Restriction.justification", 3_000),
        ("Restriction.lift_reason", 3_000),
    ],
)
def test_every_free_text_field_of_documents_has_a_length_a_real_text_needs(label, limit):
    from django.apps import apps

    from documents.forms import LiftRestrictionForm, RestrictionForm, WithdrawForm

    model, name = label.split(".")
    assert apps.get_model("documents", model)._meta.get_field(name).max_length == limit
    form_field = {
        "Document.summary": DocumentForm().fields["summary"],
        "Document.withdrawn_reason": WithdrawForm().fields["reason"],
        "Restriction.justification": RestrictionForm().fields["justification"],
        "Restriction.lift_reason": LiftRestrictionForm().fields["reason"],
    }[label]
    assert form_field.max_length == limit
