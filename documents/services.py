"""Every write to documents that matters: domain verbs, atomic, audited.

Views and the admin hand cleaned data here; nothing else changes status, versions, files,
restrictions or sharing. Each verb raises ValidationError with a sentence a person can act on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.urls import reverse
from django.utils import timezone

from policyhub import audit
from policyhub.diff import DiffLine, compare_lines
from policyhub.emails import send_after_commit, subject_line
from policyhub.links import absolute_url
from policyhub.models import SecretariatMember
from policyhub.your_data import when

from .models import (
    MINIMUM_JUSTIFICATION_LENGTH,
    Document,
    DocumentFile,
    DocumentVersion,
    Evidence,
    Restriction,
    step_mismatch,
)
from .querysets import SEARCH_CONFIG, search_terms
from .uploads import check_upload

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from policyhub.models import User
    from workinggroups.models import Task

DEFAULT_MAX_REVIEW_DAYS = 183  # "at most 6 months ahead by default"
CONTENT_FIELDS = ("title", "summary", "body")
RELATION_FIELDS = ("working_groups", "meetings", "organisations")
EDITABLE_FIELDS = ("title", "summary", "body", "kind", "step", *RELATION_FIELDS)
PROCESS_FIELDS = ("process", "step")


def max_review_days() -> int:
    return getattr(settings, "DOCUMENTS_MAX_REVIEW_DAYS", DEFAULT_MAX_REVIEW_DAYS)


def _locked(document: Document) -> Document:
    """The row, locked for the rest of the transaction, so two submits queue up."""
    return Document.objects.select_for_update().get(pk=document.pk)


# --- Search index ---------------------------------------------------------------------------


def refresh_search_index(document: Document) -> None:
    """Recompute the stored PostgreSQL search vector (title, summary, body, file text).

    On other databases search reads the columns directly, so there is nothing to store.
    """
    if connection.vendor != "postgresql":
        return
    file_text = "\n".join(document.files.values_list("text", flat=True))
    Document.objects.filter(pk=document.pk).update(
        search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
        + SearchVector(Value(file_text, output_field=TextField()), weight="D", config=SEARCH_CONFIG)
    )


# --- Writing documents ----------------------------------------------------------------------


def _set_relations(document: Document, values: dict[str, Any]) -> None:
    for name in RELATION_FIELDS:
        if name in values:
            getattr(document, name).set(values[name])


@transaction.atomic
def create_document(*, by: User, process, **values: Any) -> Document:
    """A new document starts as a draft: nobody but its editors sees it until published."""
    fields = {k: v for k, v in values.items() if k in {"slug", *EDITABLE_FIELDS}}
    if not fields.get("title"):
        raise ValidationError("Enter a title for the document.")
    if Document.objects.filter(slug=fields.get("slug")).exists():
        raise ValidationError("A document with this web address already exists. Choose another.")
    relations = {k: fields.pop(k) for k in RELATION_FIELDS if k in fields}
    _check_step(process.pk, fields.get("step"))
    document = Document.objects.create(process=process, status=Document.Status.DRAFT, **fields)
    _set_relations(document, relations)
    refresh_search_index(document)
    audit.record("documents.created", actor=by, target=document)
    return document


def _next_version_number(document: Document) -> int:
    last = document.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _snapshot(document: Document, *, by: User, change_note: str) -> DocumentVersion:
    return DocumentVersion.objects.create(
        document=document,
        number=_next_version_number(document),
        title=document.title,
        summary=document.summary,
        body=document.body,
        change_note=change_note,
        created_by=by,
    )


def _check_step(process_id: int, step) -> None:
    message = step_mismatch(process_id, step)
    if message:
        raise ValidationError({"step": message})


@transaction.atomic
def update_document(
    document: Document, *, by: User, change_note: str = "", **values: Any
) -> Document:
    """Change a document. Once published, a change to its text is a new version and needs a
    short change note, so readers can see what changed and read what it said before. A
    document filed under the wrong process may be moved to another; its step must then be
    one of the new process's, or none."""
    document = _locked(document)
    fields = {k: v for k, v in values.items() if k in {"process", *EDITABLE_FIELDS}}
    if any(name in fields for name in PROCESS_FIELDS):
        process = fields.get("process", document.process)
        _check_step(process.pk, fields.get("step", document.step))
    relations = {k: fields.pop(k) for k in RELATION_FIELDS if k in fields}
    text_changed = any(
        name in fields and getattr(document, name) != fields[name] for name in CONTENT_FIELDS
    )
    if document.status == Document.Status.PUBLISHED and text_changed and not change_note.strip():
        raise ValidationError(
            "Enter a change note saying what changed, for example 'Corrected the figures in "
            "section 2'."
        )
    for name, value in fields.items():
        setattr(document, name, value)
    document.save()
    _set_relations(document, relations)
    version = None
    if document.status == Document.Status.PUBLISHED and text_changed:
        version = _snapshot(document, by=by, change_note=change_note.strip())
    refresh_search_index(document)
    audit.record(
        "documents.updated",
        actor=by,
        target=document,
        fields=sorted([*fields, *relations]),
        version=version.number if version else None,
    )
    return document


@transaction.atomic
def publish_document(
    document: Document,
    *,
    by: User,
    change_note: str = "First published.",
    published_on: date | None = None,
) -> Document:
    """Publish a draft: it becomes readable by everyone (unless restricted) and gets its
    first version. Publishing twice does nothing the second time."""
    document = _locked(document)
    if document.status == Document.Status.PUBLISHED:
        return document
    if document.status == Document.Status.WITHDRAWN:
        raise ValidationError("A withdrawn document cannot be published again.")
    if not (document.body.strip() or document.files.exists()):
        raise ValidationError("Add the text of the document or attach a file before publishing.")
    document.status = Document.Status.PUBLISHED
    document.published_on = published_on or timezone.localdate()
    document.save()
    _snapshot(document, by=by, change_note=change_note or "First published.")
    audit.record(
        "documents.published",
        actor=by,
        target=document,
        published_on=document.published_on.isoformat(),
    )
    return document


@transaction.atomic
def withdraw_document(document: Document, *, by: User, reason: str) -> Document:
    """Withdrawn documents stay readable with the reason, so the record stays complete."""
    document = _locked(document)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Enter the reason for withdrawing the document.")
    if document.status == Document.Status.WITHDRAWN:
        return document
    if document.status != Document.Status.PUBLISHED:
        raise ValidationError("Only a published document can be withdrawn.")
    document.status = Document.Status.WITHDRAWN
    document.withdrawn_reason = reason
    document.save()
    audit.record("documents.withdrawn", actor=by, target=document, reason=reason)
    return document


@transaction.atomic
def attach_file(document: Document, *, by: User, upload: UploadedFile) -> DocumentFile:
    """Check the upload (type by content, size, name) and store it under an unguessable
    name. The file is reachable only through the download view, which checks access."""
    document = _locked(document)
    checked = check_upload(upload)
    if document.files.filter(name=checked.name).exists():
        raise ValidationError(
            f"This document already has a file called {checked.name}. Rename the file or "
            "remove the old one first."
        )
    upload.seek(0)
    attached = DocumentFile(
        document=document,
        name=checked.name,
        file_type=checked.file_type,
        size=checked.size,
        text=checked.text,
        uploaded_by=by,
    )
    attached.file.save(checked.name, upload, save=False)
    attached.save()
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
    refresh_search_index(document)
    audit.record(
        "documents.file_attached", actor=by, target=document, file=checked.name, size=checked.size
    )
    return attached


@transaction.atomic
def remove_file(attached: DocumentFile, *, by: User) -> None:
    """Take a file off a document and delete its bytes, so no old link can reach it."""
    document = _locked(attached.document)
    name = attached.name
    storage, stored_name = attached.file.storage, attached.file.name
    attached.delete()
    transaction.on_commit(lambda: storage.delete(stored_name))
    Document.objects.filter(pk=document.pk).update(updated_at=timezone.now())
    refresh_search_index(document)
    audit.record("documents.file_removed", actor=by, target=document, file=name)


# --- Restricting access ---------------------------------------------------------------------


def _check_restriction_case(
    grounds: Iterable[str], justification: str, review_on: date | None, today: date
) -> list[str]:
    codes = [g for g in grounds if g]
    unknown = set(codes) - set(Restriction.Ground.values)
    errors: list[str] = []
    if not codes or unknown:
        errors.append("Select at least one ground for restricting the document.")
    if len(justification.strip()) < MINIMUM_JUSTIFICATION_LENGTH:
        errors.append(
            "Write the justification in at least one full sentence: why releasing this "
            "document now would cause harm."
        )
    if review_on is None:
        errors.append("Enter the date by which the restriction must be reviewed.")
    elif review_on <= today:
        errors.append("The review date must be in the future.")
    elif review_on > today + timedelta(days=max_review_days()):
        errors.append(
            f"The review date must be within {max_review_days()} days (about six months) of today."
        )
    return errors


@transaction.atomic
def restrict_document(
    document: Document,
    *,
    by: User,
    grounds: Iterable[str],
    justification: str,
    review_on: date,
    public_title: str = "",
) -> Restriction:
    """Open is the default; restriction needs a written case, so it is recorded here and
    audited. Files become unreachable at once because downloads check access per request."""
    document = _locked(document)
    grounds = list(grounds)
    errors = _check_restriction_case(grounds, justification, review_on, timezone.localdate())
    if errors:
        raise ValidationError(errors)
    if document.restrictions.active().exists():
        raise ValidationError("This document is already restricted.")
    restriction = Restriction.objects.create(
        document=document,
        grounds=",".join(grounds),
        justification=justification.strip(),
        public_title=public_title.strip(),
        restricted_by=by,
        review_on=review_on,
    )
    audit.record(
        "documents.restricted",
        actor=by,
        target=document,
        access_from="open",
        access_to="restricted",
        grounds=grounds,
        justification=restriction.justification,
        review_on=review_on.isoformat(),
    )
    return restriction


@transaction.atomic
def lift_restriction(document: Document, *, by: User, reason: str) -> Restriction:
    """Open the document again. The restriction stays on the register as history."""
    _locked(document)
    reason = reason.strip()
    if not reason:
        raise ValidationError("Enter why the document can now be opened.")
    restriction = document.restrictions.active().first()
    if restriction is None:
        raise ValidationError("This document is not restricted.")
    restriction.lifted_at = timezone.now()
    restriction.lifted_by = by
    restriction.lift_reason = reason
    restriction.save()
    audit.record(
        "documents.restriction_lifted",
        actor=by,
        target=document,
        access_from="restricted",
        access_to="open",
        justification=reason,
    )
    return restriction


@transaction.atomic
def review_restriction(
    restriction: Restriction, *, by: User, review_on: date, justification: str
) -> Restriction:
    """The secretariat decides the case still holds: a fresh justification and the next
    review date. Clears the "review due" flag."""
    restriction = Restriction.objects.select_for_update().get(pk=restriction.pk)
    if not restriction.is_active:
        raise ValidationError("This restriction has been lifted, so there is nothing to review.")
    errors = _check_restriction_case(
        restriction.ground_codes, justification, review_on, timezone.localdate()
    )
    if errors:
        raise ValidationError(errors)
    previous = restriction.review_on
    restriction.justification = justification.strip()
    restriction.review_on = review_on
    restriction.reviewed_at = timezone.now()
    restriction.save()
    audit.record(
        "documents.restriction_reviewed",
        actor=by,
        target=restriction.document,
        access_from="restricted",
        access_to="restricted",
        justification=restriction.justification,
        previous_review_on=previous.isoformat(),
        review_on=review_on.isoformat(),
    )
    return restriction


@transaction.atomic
def share_document(document: Document, *, by: User, people: Iterable, groups: Iterable) -> None:
    """Set who, besides the secretariat, may read the document while it is restricted."""
    document = _locked(document)
    people, groups = list(people), list(groups)
    before = {
        "people": sorted(str(p) for p in document.shared_with_people.all()),
        "groups": sorted(str(g) for g in document.shared_with_groups.all()),
    }
    document.shared_with_people.set(people)
    document.shared_with_groups.set(groups)
    after = {"people": sorted(str(p) for p in people), "groups": sorted(str(g) for g in groups)}
    if before != after:
        audit.record(
            "documents.sharing_changed",
            actor=by,
            target=document,
            access_from=before,
            access_to=after,
        )


# --- Evidence for the workplan --------------------------------------------------------------


@transaction.atomic
def add_evidence(
    task: Task, *, title: str, url: str = "", document: Document | None = None, by: User
) -> Evidence:
    """Link evidence to a task: a document of the process or a web page (not both). Adding
    the same link twice keeps one."""
    if not url and document is None:
        raise ValidationError("Give a web address or choose a document.")
    if url and document is not None:
        raise ValidationError("Give a web address or choose a document, not both.")
    evidence, _ = Evidence.objects.get_or_create(
        task=task, title=title, url=url, document=document, defaults={"added_by": by}
    )
    # The action codes are older than the move to this app; the audit log keeps one name
    # for one kind of change (docs/decisions/0102).
    audit.record("workinggroups.evidence_added", actor=by, target=task, evidence_id=evidence.pk)
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by: User) -> None:
    """Unlink evidence from its task. The document or web page itself is untouched."""
    task = evidence.task
    audit.record("workinggroups.evidence_removed", actor=by, target=task, title=evidence.title)
    evidence.delete()


# --- Reminders ------------------------------------------------------------------------------


def remind_secretariat_of_due_reviews(*, today: date | None = None) -> int:
    """Queue one email to the secretariat for each restriction whose review date has come,
    once per review date. Returns how many were queued.

    Run daily by Celery beat. Each restriction is claimed (marked as reminded for its review
    date) in its own transaction, and its email is queued when that commits: a second run,
    even at the same time, claims nothing twice, and a failing mail server is retried by the
    email task rather than by tomorrow's run. After a review sets a new date, the next one
    is emailed when it comes.
    """
    today = today or timezone.localdate()
    if not _secretariat_emails():
        return 0  # nobody to tell yet; try again tomorrow rather than mark it as sent
    queued = 0
    due_ids = list(Restriction.objects.review_due(today).reminder_not_sent().values_list("pk"))
    for (pk,) in due_ids:
        with transaction.atomic():
            restriction = (
                Restriction.objects.select_for_update().reminder_not_sent().filter(pk=pk).first()
            )
            if restriction is None:
                continue  # claimed by another run in the meantime
            restriction.reminder_sent_for = restriction.review_on
            restriction.save(update_fields=["reminder_sent_for", "updated_at"])
            send_after_commit("documents.tasks.send_review_reminder", restriction.pk)
        queued += 1
    return queued


def _secretariat_emails() -> list[str]:
    return list(
        SecretariatMember.objects.filter(user__is_active=True).values_list("user__email", flat=True)
    )


def send_review_reminder(restriction_id: int) -> None:
    """Email the secretariat that a restriction is due for review. Nothing is sent once the
    reminder is out of date: the restriction lifted, or reviewed with a new date, since it
    was queued."""
    restriction = Restriction.objects.select_related("document").filter(pk=restriction_id).first()
    if (
        restriction is None
        or not restriction.is_active
        or restriction.reminder_sent_for != restriction.review_on
    ):
        return
    recipients = _secretariat_emails()
    if not recipients:
        return
    document = restriction.document
    url = absolute_url(reverse("documents:review", kwargs={"slug": document.slug}))
    send_mail(
        subject=subject_line(f"Review due: restriction of {document.title}"),
        message=(
            f'The restriction of "{document.title}" was due for review '
            f"on {restriction.review_on:%-d %B %Y}.\n\n"
            "Decide whether it is still needed: review it with a fresh "
            "justification and a new review date, or lift it.\n\n"
            f"Review it at {url}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


# --- Reading helpers ------------------------------------------------------------------------


def compare_versions(older: DocumentVersion, newer: DocumentVersion) -> list[DiffLine]:
    """A line-by-line comparison of two versions' Markdown, title and summary included,
    with the words that changed inside changed lines where that is cheap to find (anyone
    may ask for it; see policyhub.diff)."""

    def lines(version: DocumentVersion) -> list[str]:
        return [
            f"# {version.title}",
            "",
            *version.summary.splitlines(),
            "",
            *version.body.splitlines(),
        ]

    return compare_lines(lines(older), lines(newer))


PASSAGE_RADIUS = 120


def search_results(documents: Iterable[Document], query: str) -> list[tuple[Document, str]]:
    """Each document of a page of search results with the passage to show under it
    (see `matching_passage`). A passage is looked for in the summary and body first; the
    text of files is read, in one query, only for the documents where neither matched,
    which on a typical page is none of them."""
    documents = list(documents)
    found = {d.pk: matching_passage([d.summary, d.body], query) for d in documents}
    unmatched = [pk for pk, passage in found.items() if not passage]
    if unmatched:
        texts: dict[int, list[str]] = {}
        files = DocumentFile.objects.filter(document_id__in=unmatched).order_by("name", "pk")
        for document_id, text in files.values_list("document_id", "text"):
            texts.setdefault(document_id, []).append(text)
        for pk in unmatched:
            found[pk] = matching_passage(texts.get(pk, []), query)
    return [(d, found[d.pk]) for d in documents]


def matching_passage(sources: Iterable[str], query: str) -> str:
    """A short passage around the first match of the search in `sources` (tried in turn),
    escaped, with the matching words wrapped in <mark>; "" if none matches."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    found = _passage_pattern(query)
    if found is None:
        return ""
    pattern, lowered_stems = found
    for source in sources:
        match = _first_match(pattern, lowered_stems, source or "")
        if match is None:
            continue
        start, end = _whole_words_around(source, match.start(), match.end())
        passage = _without_markdown(source[start:end])
        passage = passage.replace("\x00", "").replace("\x01", "")  # the markers below are ours
        html = pattern.sub(lambda m: f"\x00{m.group(0)}\x01", passage)
        html = escape(html).replace("\x00", "<mark>").replace("\x01", "</mark>")
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(source) else ""
        # Escaped above; only <mark> and </mark> are added, at markers the text cannot hold.
        return mark_safe(f"{prefix}{html}{suffix}")  # nosec B308 B703
    return ""


def _whole_words_around(source: str, found_at: int, found_end: int) -> tuple[int, int]:
    """About `PASSAGE_RADIUS` characters either side of a match, widened or narrowed to
    whole words, so a passage never begins or ends in the middle of one."""
    start = max(found_at - PASSAGE_RADIUS, 0)
    end = min(found_end + PASSAGE_RADIUS, len(source))
    if start > 0 and not source[start - 1].isspace():
        space = _SPACE.search(source, start, found_at)
        start = space.end() if space else _word_start(source, found_at)
    if end < len(source) and not source[end].isspace():
        spaces = [m.start() for m in _SPACE.finditer(source, found_end, end)]
        end = spaces[-1] if spaces else end
    return start, end


def _word_start(source: str, at: int) -> int:
    """Where the word holding `at` begins."""
    while at > 0 and not source[at - 1].isspace():
        at -= 1
    return at


_SPACE = re.compile(r"\s+")
_BLOCK_MARKER = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|(?:>[ \t]?)+|[-*+][ \t]+|\d{1,9}[.)][ \t]+)")
_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]+(.*?)[ \t#]*$")
# A thematic break, a code fence, or a table's row of dashes: nothing a reader reads.
_RULE_OR_FENCE = re.compile(
    r"^[ \t]*(?:([-*_])(?:[ \t]*\1){2,}|`{3,}.*|~{3,}.*|\|?[ \t:|-]+\|[ \t:|-]*)$"
)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_LINK_REMAINS = re.compile(r"\]\([^)\s]*\)?|!?\[|\]")
_EMPHASIS = re.compile(r"\*+|`+|~~|(?<!\w)_+|_+(?!\w)")


def _without_markdown(text: str) -> str:
    """A stretch of Markdown as the plain words a reader sees on the page, on one line:
    headings, quotes, list markers, emphasis, tables and link addresses left out. A
    heading ends with a full stop, so it does not run into the sentence after it."""
    lines = []
    for line in text.splitlines():
        if _RULE_OR_FENCE.match(line):
            continue
        heading = _HEADING.match(line)
        if heading:
            words = heading.group(1).strip()
            line = words if not words or words[-1] in ".:?!" else f"{words}."
        else:
            line = _BLOCK_MARKER.sub("", line)
        line = _LINK_REMAINS.sub("", _LINK.sub(r"\1", line))
        lines.append(_EMPHASIS.sub("", line).replace("|", " "))
    return " ".join(" ".join(lines).split())


@lru_cache(maxsize=64)
def _passage_pattern(query: str) -> tuple[re.Pattern, tuple[str, ...]] | None:
    """The pattern that finds a search's words in a text, and its stems in lower case;
    made once for a page of results, not once for each document in it."""
    terms = search_terms(query)
    if not terms:
        return None
    # Match whole words and simple English endings, roughly as PostgreSQL's stemming does.
    stems = [t[:-1] if len(t) > 4 and t.lower().endswith("s") else t for t in terms]
    pattern = re.compile("|".join(re.escape(s) for s in stems), re.IGNORECASE)
    return pattern, tuple(stem.lower() for stem in stems)


def _first_match(
    pattern: re.Pattern, lowered_stems: tuple[str, ...], source: str
) -> re.Match | None:
    """`pattern.search(source)`, started where the first stem appears. Scanning a long body
    for an alternation of words in any case is the slow part of a page of results (a
    millisecond for twenty bodies); finding each stem in the lowered text is many times
    faster, and the pattern then matches at once. Where lowering changes the text's
    length (a few letters outside English), positions would not line up, so the pattern
    scans from the start, as it does when no stem is found."""
    lowered = source.lower()
    if len(lowered) != len(source):
        return pattern.search(source)
    found = [at for at in (lowered.find(stem) for stem in lowered_stems) if at >= 0]
    return pattern.search(source, min(found, default=0))


def your_data(user: User) -> dict:
    """What documents hold about one person, for their download (policyhub.your_data): the
    versions they saved, files they uploaded, evidence they linked, restrictions they
    recorded or lifted, and documents shared with them. A document's authors are
    organisations, not people, so a deleted account leaves every document as it was."""
    return {
        "versions_saved": [
            {"document": v.title, "version": v.number, "saved_at": when(v.created_at)}
            for v in DocumentVersion.objects.filter(created_by=user)
        ],
        "files_uploaded": [
            {"document": f.document.title, "file": f.name}
            for f in DocumentFile.objects.filter(uploaded_by=user).select_related("document")
        ],
        "evidence_added": [
            {"title": e.title, "url": e.url, "added_at": when(e.created_at)}
            for e in Evidence.objects.filter(added_by=user)
        ],
        "restrictions_recorded": [
            {"document": r.document.title, "restricted_at": when(r.restricted_at)}
            for r in Restriction.objects.filter(restricted_by=user).select_related("document")
        ],
        "restrictions_lifted": [
            {"document": r.document.title, "lifted_at": when(r.lifted_at)}
            for r in Restriction.objects.filter(lifted_by=user).select_related("document")
        ],
        "shared_with_you": [d.title for d in Document.objects.filter(shared_with_people=user)],
    }
