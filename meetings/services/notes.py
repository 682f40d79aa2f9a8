"""Notes under the Chatham House Rule: the convenor's draft, the attendance record, the
checker's findings and the overrides that clear them, publishing versions, and the actions
agreed at a meeting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from meetings.chatham import Finding, find_attributions, fold
from meetings.models import (
    Action,
    Attendee,
    FindingOverride,
    Meeting,
    Notes,
    NotesVersion,
    Registration,
)
from policyhub import audit

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


@dataclass(frozen=True)
class CheckedFinding:
    finding: Finding
    field: str
    override: FindingOverride | None

    @property
    def blocks(self) -> bool:
        return self.override is None

    @property
    def field_label(self) -> str:
        return {"discussion_points": "discussion points"}.get(self.field, self.field)


def check_notes(notes: Notes) -> list[CheckedFinding]:
    """Run the checker over the summary, discussion points and decisions against this
    meeting's attendance record, pairing each finding with any override on record."""
    attendees = [(a.name, a.organisation) for a in notes.attendees.all()]
    overrides = {(o.matched, fold(o.sentence)): o for o in notes.overrides.all()}
    checked: list[CheckedFinding] = []
    for field in ("summary", "discussion_points", "decisions"):
        for finding in find_attributions(getattr(notes, field), attendees):
            override = overrides.get((finding.matched, fold(finding.sentence)))
            checked.append(CheckedFinding(finding, field, override))
    return checked


@transaction.atomic
def override_finding(
    notes: Notes, *, matched: str, sentence: str, reason: str, by: User
) -> FindingOverride:
    """Clear one finding by recording why it is not an attribution. Logged, because it
    lets a name through into published notes."""
    if not reason.strip():
        raise ValidationError({"reason": "Explain why this sentence does not attribute a view."})
    current = {(c.finding.matched, c.finding.sentence) for c in check_notes(notes)}
    if (matched, sentence) not in current:
        raise ValidationError("That finding is no longer in the notes; check them again.")
    override, created = FindingOverride.objects.get_or_create(
        notes=notes,
        matched=matched,
        sentence=sentence,
        defaults={"reason": reason.strip(), "created_by": by},
    )
    if created:
        audit.record(
            "meetings.finding_overridden",
            actor=by,
            target=notes.meeting,
            matched=matched,
            sentence=sentence,
            reason=override.reason,
        )
    return override


@transaction.atomic
def publish_notes(notes: Notes, *, by: User, change_note: str = "") -> NotesVersion:
    """Publish the draft as a new version, refused while the checker's findings stand.
    A correction after publication is a new version with a note saying what changed."""
    notes = Notes.objects.select_for_update().get(pk=notes.pk)
    if notes.meeting.starts_at > timezone.now():
        raise ValidationError("Notes can be published once the meeting has taken place.")
    if not (notes.summary.strip() or notes.points or notes.decisions.strip()):
        raise ValidationError("Write a summary, discussion points or decisions first.")
    blocking = [c for c in check_notes(notes) if c.blocks]
    if blocking:
        raise ValidationError(
            f"The notes attribute comments to named people or organisations in "
            f"{len(blocking)} place{'s' if len(blocking) != 1 else ''}. Reword them, or record "
            "why a finding is not an attribution."
        )
    latest = notes.versions.order_by("-number").first()
    if latest is not None and not change_note.strip():
        raise ValidationError({"change_note": "Say what you corrected in this new version."})
    attendees = [
        {"name": a.name, "organisation": a.organisation, "mode": a.mode}
        for a in notes.attendees.order_by("name", "id")
    ]
    if latest is not None and (
        latest.summary,
        latest.discussion_points,
        latest.decisions,
        latest.attendees,
    ) == (notes.summary, notes.discussion_points, notes.decisions, attendees):
        return latest
    version = NotesVersion.objects.create(
        notes=notes,
        number=(latest.number + 1) if latest else 1,
        summary=notes.summary,
        discussion_points=notes.discussion_points,
        decisions=notes.decisions,
        attendees=attendees,
        change_note=change_note.strip(),
        published_by=by,
    )
    audit.record("meetings.notes_published", actor=by, target=notes.meeting, version=version.number)
    return version


@transaction.atomic
def add_action(
    meeting: Meeting, *, description: str, owner: str, due_on: date | None, by: User
) -> Action:
    """An action from the meeting, owned by an organisation or role (never a quote)."""
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
def set_action_status(action: Action, *, status: str, by: User) -> Action:
    """Mark an action open or done (marking it again changes nothing)."""
    if status not in Action.Status.values:
        raise ValidationError("Choose open or done.")
    if action.status != status:
        action.status = status
        action.save(update_fields=["status", "updated_at"])
    return action
