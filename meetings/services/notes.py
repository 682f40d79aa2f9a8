"""Notes under the Chatham House Rule: the convenor's draft, the attendance record, the
checker's findings in every part and the overrides that clear them, publishing versions
(with their actions), withdrawing a version that breached the rule, and the actions agreed
at a meeting (docs/decisions/0201 and 0203)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from meetings import gazetteer
from meetings.chatham import Finding, find_attributions, fold, split_sentences
from meetings.models import (
    Action,
    Attendee,
    FindingOverride,
    Meeting,
    Notes,
    NotesVersion,
    PublishedAction,
    Registration,
)
from meetings.organisations import known_organisations
from policyhub import audit, markup

if TYPE_CHECKING:
    from policyhub.models import User


@transaction.atomic
def start_notes(meeting: Meeting, *, by: User) -> Notes:
    """The convenor's draft, with the attendance record prefilled from registrations."""
    notes, created = Notes.objects.get_or_create(meeting=meeting)
    if created:
        mode_map = {
            Registration.Mode.IN_PERSON: Attendee.Mode.IN_PERSON,
            Registration.Mode.REMOTE: Attendee.Mode.REMOTE,
            Registration.Mode.APOLOGIES: Attendee.Mode.APOLOGIES,
        }
        registrations = meeting.registrations.filter(status="confirmed").select_related("user")
        Attendee.objects.bulk_create(
            [
                Attendee(
                    notes=notes,
                    user=r.user,
                    name=str(r.user),
                    organisation=r.user.organisation,
                    mode=mode_map[r.mode],
                )
                for r in registrations
            ]
        )
        audit.record("meetings.notes_started", actor=by, target=meeting)
    return notes


@transaction.atomic
def save_notes(
    notes: Notes, *, summary: str, discussion_points: str, decisions: str, by: User
) -> Notes:
    """Save the draft. Published versions are untouched until the convenor publishes."""
    notes.summary = summary
    notes.discussion_points = discussion_points
    notes.decisions = decisions
    notes.save()
    return notes


@transaction.atomic
def add_attendee(notes: Notes, *, name: str, organisation: str, mode: str, by: User) -> Attendee:
    """Put someone on the attendance record who did not register (adding them twice adds
    one row)."""
    if not name.strip():
        raise ValidationError({"name": "Enter the attendee’s name."})
    if mode not in Attendee.Mode.values:
        raise ValidationError({"mode": "Choose how they attended, or that they sent apologies."})
    attendee, _ = Attendee.objects.get_or_create(
        notes=notes, name=name.strip(), organisation=organisation.strip(), defaults={"mode": mode}
    )
    return attendee


@transaction.atomic
def remove_attendee(attendee: Attendee, *, by: User) -> None:
    """Take someone off the draft's record; published versions keep their own copy."""
    attendee.delete()


# --- The Chatham House check ----------------------------------------------------------------

# The parts of the draft that are free text, as the notes form names them.
TEXT_FIELDS = ("summary", "discussion_points", "decisions")
FIELD_LABELS = {
    "summary": "the summary",
    "discussion_points": "the discussion points",
    "decisions": "the decisions",
    "change_note": "what you corrected",
}
# The last word of a role that is one person ("official", "representative", "minister"):
# after an organisation's name, it makes an action's owner someone identifiable.
ONE_PERSON_NOUNS = frozenset(role.split()[-1] for role in gazetteer.ROLES)


@dataclass(frozen=True)
class CheckedFinding:
    """One finding of the checker in one part of the notes, and the override that clears
    it, if one is on record. `field` is a notes form field ("summary", "change_note") or
    "action_description" / "action_owner", with the draft's `action` and its number in the
    list (from 1), so the editor can say where to reword."""

    finding: Finding
    field: str
    override: FindingOverride | None
    action: Action | None = None
    action_number: int = 0

    @property
    def blocks(self) -> bool:
        return self.override is None

    @property
    def field_label(self) -> str:
        """Where the finding is, in words: "the summary", "the owner of action 2"."""
        if self.field == "action_description":
            return f"the description of action {self.action_number}"
        if self.field == "action_owner":
            return f"the owner of action {self.action_number}"
        return FIELD_LABELS[self.field]

    @property
    def marked(self) -> tuple[str, str, str]:
        """The sentence as (before, the attributing words, after), to show the words."""
        sentence, words = self.finding.sentence, self.finding.words
        at = sentence.find(words)
        if at < 0:
            return "", sentence, ""
        return sentence[:at], words, sentence[at + len(words) :]


def _owner_findings(
    owner: str, attendees: list[tuple[str, str]], organisations: frozenset[str]
) -> list[Finding]:
    """An action's owner is an organisation or a role by design ("HMRC", "the
    secretariat"), so a bare organisation is fine. A person ("Jane Smith"), a role that is
    one person ("the Minister", "the chair") or one person of an organisation ("the Home
    Office official") identifies someone, and is a finding. The owner stands in for the
    sentence, so an override of it is keyed on the owner as written."""
    last_word = fold(owner).lower().rstrip(" .").rsplit(" ", 1)[-1]
    found = []
    for finding in find_attributions(f"Action: {owner}.", attendees, organisations):
        if finding.kind == "organisation" and last_word not in ONE_PERSON_NOUNS:
            continue
        found.append(
            Finding(finding.matched, finding.kind, owner, finding.words.removeprefix("Action: "))
        )
    return found


def check_notes(notes: Notes, *, change_note: str = "") -> list[CheckedFinding]:
    """Run the checker over every free-text part of the notes: the summary, discussion
    points and decisions, each action's description and owner, and the note of what was
    corrected (typed when publishing), against this meeting's attendance record and every
    organisation the database holds (read once for all parts). Each finding is paired
    with its override, if one is on record. The attendance record itself has no free text
    beyond names and organisations, which are its point."""
    attendees = [(a.name, a.organisation) for a in notes.attendees.all()]
    organisations = known_organisations()
    overrides = {(o.matched, fold(o.sentence)): o for o in notes.overrides.all()}

    def checked(findings: Iterable[Finding], field: str, **where) -> list[CheckedFinding]:
        return [
            CheckedFinding(f, field, overrides.get((f.matched, fold(f.sentence))), **where)
            for f in findings
        ]

    found: list[CheckedFinding] = []
    for field in TEXT_FIELDS:
        found += checked(find_attributions(getattr(notes, field), attendees, organisations), field)
    for number, action in enumerate(notes.meeting.actions.all(), start=1):
        where = {"action": action, "action_number": number}
        description = find_attributions(action.description, attendees, organisations)
        owner = _owner_findings(action.owner, attendees, organisations)
        found += checked(description, "action_description", **where)
        found += checked(owner, "action_owner", **where)
    found += checked(find_attributions(change_note, attendees, organisations), "change_note")
    return found


def _names(findings: Iterable[Finding]) -> set[str]:
    """Who the findings point at, and the words that do: what no reason may repeat."""
    return {fold(text).lower() for f in findings for text in (f.matched, f.words)}


def _repeats(text: str, names: set[str]) -> bool:
    folded = fold(text).lower()
    return any(name in folded for name in names)


@transaction.atomic
def override_finding(
    notes: Notes, *, matched: str, sentence: str, reason: str, by: User
) -> FindingOverride:
    """Clear one finding by recording why it is not an attribution. Logged, because it
    lets a name through into published notes; the log keeps the finding's kind, the part
    of the notes and the reason, never the sentence or whom it names (a version may be
    withdrawn later, and its words must then be nowhere). So the reason may not repeat
    them either."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Explain why this sentence does not attribute a view."})
    current = next(
        (
            c
            for c in check_notes(notes)
            if (c.finding.matched, c.finding.sentence) == (matched, sentence)
        ),
        None,
    )
    if current is None:
        raise ValidationError("That finding is no longer in the notes; check them again.")
    if _repeats(reason, _names([current.finding])):
        raise ValidationError(
            {
                "reason": "Explain why without repeating the name the checker found: the "
                "reason is kept in the audit log."
            }
        )
    override, created = FindingOverride.objects.get_or_create(
        notes=notes,
        matched=matched,
        sentence=sentence,
        defaults={"reason": reason, "created_by": by},
    )
    if created:
        audit.record(
            "meetings.finding_overridden",
            actor=by,
            target=notes.meeting,
            kind=current.finding.kind,
            field=current.field,
            reason=override.reason,
        )
    return override


# --- Publishing and withdrawing ------------------------------------------------------------------


def _attendance(notes: Notes) -> list[dict]:
    return [
        {"name": a.name, "organisation": a.organisation, "mode": a.mode}
        for a in notes.attendees.order_by("name", "id")
    ]


def _same_as(version: NotesVersion, notes: Notes, attendance: list[dict], actions: list) -> bool:
    """Whether publishing the draft would repeat `version` word for word."""
    published = [(a.description, a.owner, a.due_on) for a in version.actions.all()]
    drafted = [(a.description, a.owner, a.due_on) for a in actions]
    return (
        version.summary,
        version.discussion_points,
        version.decisions,
        version.attendees,
        published,
    ) == (notes.summary, notes.discussion_points, notes.decisions, attendance, drafted)


@transaction.atomic
def publish_notes(notes: Notes, *, by: User, change_note: str = "") -> NotesVersion:
    """Publish the draft, with its actions, as a new version; refused while any finding
    stands in any part, the note of what was corrected included. A correction after
    publication is a new version with a note saying what changed. Publishing the same
    draft again changes nothing."""
    notes = Notes.objects.select_for_update().get(pk=notes.pk)
    change_note = change_note.strip()
    if notes.meeting.starts_at > timezone.now():
        raise ValidationError("Notes can be published once the meeting has taken place.")
    if not (notes.summary.strip() or notes.points or notes.decisions.strip()):
        raise ValidationError("Write a summary, discussion points or decisions first.")
    actions = list(notes.meeting.actions.all())
    errors: dict[str, list[str]] = {}
    blocking = [c for c in check_notes(notes, change_note=change_note) if c.blocks]
    in_notes = [c for c in blocking if c.field != "change_note"]
    if in_notes:
        errors[NON_FIELD_ERRORS] = [
            f"The notes attribute comments to named people or organisations in "
            f"{len(in_notes)} place{'s' if len(in_notes) != 1 else ''}. Reword them, or "
            "record why a finding is not an attribution."
        ]
    errors["change_note"] = [
        f"Reword what you corrected: “{c.finding.words}” says who said something, and this "
        "note is published."
        for c in blocking
        if c.field == "change_note"
    ]
    latest = notes.versions.order_by("-number").first()
    if latest is not None and not change_note:
        errors["change_note"].append("Say what you corrected in this new version.")
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        raise ValidationError(errors)
    attendance = _attendance(notes)
    current = notes.versions.current().prefetch_related("actions").first()
    if current is not None and _same_as(current, notes, attendance, actions):
        return current
    version = NotesVersion.objects.create(
        notes=notes,
        number=(latest.number + 1) if latest else 1,
        summary=notes.summary,
        discussion_points=notes.discussion_points,
        decisions=notes.decisions,
        attendees=attendance,
        change_note=change_note,
        published_by=by,
    )
    PublishedAction.objects.bulk_create(
        PublishedAction(
            version=version,
            action=action,
            description=action.description,
            owner=action.owner,
            due_on=action.due_on,
            published_status=action.status,
        )
        for action in actions
    )
    audit.record("meetings.notes_published", actor=by, target=notes.meeting, version=version.number)
    return version


def _version_findings(version: NotesVersion, organisations: frozenset[str]) -> list[Finding]:
    attendees = [(a["name"], a["organisation"]) for a in version.attendees]
    texts = [version.summary, version.discussion_points, version.decisions, version.change_note]
    texts += [a.description for a in version.actions.all()]
    found = [f for text in texts for f in find_attributions(text, attendees, organisations)]
    for action in version.actions.all():
        found += _owner_findings(action.owner, attendees, organisations)
    return found


def _sentences_in_use(notes: Notes) -> set[str]:
    """Every sentence (folded) that the draft or a version still standing holds, and every
    action owner: the only sentences an override may still be about."""
    texts = [notes.summary, notes.discussion_points, notes.decisions]
    owners = []
    for action in notes.meeting.actions.all():
        texts.append(action.description)
        owners.append(action.owner)
    for version in notes.versions.standing().prefetch_related("actions"):
        texts += [version.summary, version.discussion_points, version.decisions]
        texts.append(version.change_note)
        for action in version.actions.all():
            texts.append(action.description)
            owners.append(action.owner)
    sentences = {fold(sentence) for text in texts for sentence in split_sentences(text)}
    return sentences | {fold(owner) for owner in owners}


@transaction.atomic
def withdraw_notes_version(
    version: NotesVersion, *, reason: str, note: str = "", by: User
) -> NotesVersion:
    """Withdraw a published version that breached the Chatham House Rule, or was published
    by mistake. Its words are erased from the database (summary, points, decisions, the
    change note, attendance and actions), and overrides about sentences that no longer
    stand anywhere are deleted with them, so the words appear nowhere: not at its address,
    in a comparison, a list, the admin or the audit log. Readers see only that it was
    withdrawn, when and why; the next version is compared with the last one standing.

    Withdrawing a withdrawn version changes nothing (it cannot be undone). The reason is
    public and audited, so "another reason" in the convenor's words may neither attribute
    a comment nor repeat what the version's findings named."""
    version = (
        NotesVersion.objects.select_for_update()
        .select_related("notes__meeting")
        .prefetch_related("actions")
        .get(pk=version.pk)
    )
    if version.is_withdrawn:
        return version
    if reason not in NotesVersion.WithdrawalReason.values:
        raise ValidationError({"reason": f"Choose why version {version.number} is withdrawn."})
    note = note.strip() if reason == NotesVersion.WithdrawalReason.OTHER else ""
    if reason == NotesVersion.WithdrawalReason.OTHER:
        organisations = known_organisations()
        attendees = [(a["name"], a["organisation"]) for a in version.attendees]
        if not note:
            raise ValidationError(
                {"note": f"Enter the reason for withdrawing version {version.number}."}
            )
        if find_attributions(note, attendees, organisations) or _repeats(
            note, _names(_version_findings(version, organisations))
        ):
            raise ValidationError(
                {
                    "note": "The reason is published: give it without saying who said what "
                    "or naming whom the version quoted."
                }
            )
    notes = version.notes
    version.summary = version.discussion_points = version.decisions = version.change_note = ""
    version.attendees = []
    version.withdrawn_at = timezone.now()
    version.withdrawn_by = by
    version.withdrawal_reason = reason
    version.withdrawal_note = note
    version.save()
    version.actions.all().delete()
    in_use = _sentences_in_use(notes)
    stale = [o.pk for o in notes.overrides.all() if fold(o.sentence) not in in_use]
    FindingOverride.objects.filter(pk__in=stale).delete()
    audit.record(
        "meetings.notes_withdrawn",
        actor=by,
        target=notes.meeting,
        version=version.number,
        reason=reason,
        note=note,
    )
    transaction.on_commit(markup.forget_rendered)
    return version


# --- Actions -------------------------------------------------------------------------------------


@transaction.atomic
def add_action(
    meeting: Meeting, *, description: str, owner: str, due_on: date | None, by: User
) -> Action:
    """An action from the meeting, owned by an organisation or role (never a quote). It is
    part of the draft: readers see it once a version of the notes publishes it."""
    if not description.strip():
        raise ValidationError({"description": "Describe the action."})
    if not owner.strip():
        raise ValidationError({"owner": "Enter the organisation or role that owns the action."})
    action, _ = Action.objects.get_or_create(
        meeting=meeting,
        description=description.strip(),
        owner=owner.strip(),
        defaults={"due_on": due_on},
    )
    return action


@transaction.atomic
def remove_action(action: Action, *, by: User) -> None:
    """Take an action out of the draft (to reword it, remove it and add it again). A
    version that published it keeps its own copy, with the status it then had."""
    action.delete()


@transaction.atomic
def set_action_status(action: Action, *, status: str, by: User) -> Action:
    """Mark an action open or done (marking it again changes nothing). The status is live:
    published versions show it as it is now."""
    if status not in Action.Status.values:
        raise ValidationError("Choose open or done.")
    if action.status != status:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    return action
