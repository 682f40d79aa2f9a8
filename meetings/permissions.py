"""Who may see and do what with meetings: the one place this app decides access.

Meetings are public (open by default). What is not: the remote joining details (registered
attendees and the meeting's managers only) and the draft of the notes, with its actions,
attendance record and overrides (managers only, until a version publishes them). A working
group's meetings are managed by its convenors and the secretariat; whole-process meetings
by the secretariat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from policyhub import roles
from workinggroups import permissions as workinggroup_permissions
from workinggroups.models import WorkingGroup

from .models import Action, Meeting, Notes, NotesVersion, Registration

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from policyhub.models import User

    AnyUser = User | AnonymousUser


def meetings_visible_to(user: AnyUser) -> QuerySet[Meeting]:
    """Every meeting: the terms of reference make meetings open to anybody. Lists, detail
    pages and public calendars all start here so they cannot disagree."""
    return Meeting.objects.all()


def can_schedule(user: AnyUser, *, group: WorkingGroup | None) -> bool:
    """A group's convenor (or the secretariat) schedules its meetings; only the secretariat
    schedules whole-process meetings."""
    if roles.is_secretariat(user):
        return True
    # The working groups app answers (once per request and group: a page asks often).
    return group is not None and workinggroup_permissions.is_convenor(user, group)


def can_schedule_any(user: AnyUser) -> bool:
    """Whether to offer "Schedule a meeting" at all."""
    if roles.is_secretariat(user):
        return True
    return workinggroup_permissions.convenes_any_group(user)


def groups_managed_by(user: AnyUser) -> QuerySet[WorkingGroup]:
    """The working groups whose meetings this person may schedule."""
    if roles.is_secretariat(user):
        return WorkingGroup.objects.all()
    if not roles.is_participant(user):
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.filter(memberships__user=user, memberships__role="convenor")


def meetings_managed_by(user: AnyUser) -> QuerySet[Meeting]:
    """The meetings whose notes this person writes: all for the secretariat, a convenor's
    groups' meetings for a convenor, none for anyone else (as can_manage decides one)."""
    if roles.is_secretariat(user):
        return Meeting.objects.all()
    if not roles.is_participant(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(working_group__in=groups_managed_by(user))


def can_manage(user: AnyUser, meeting: Meeting) -> bool:
    """Edit, reschedule, cancel, write notes. Convening one group gives no power over
    another group's meetings."""
    return can_schedule(user, group=meeting.working_group)


def registration_of(user: AnyUser, meeting: Meeting) -> Registration | None:
    if not roles.is_participant(user):
        return None
    return Registration.objects.filter(meeting=meeting, user=user).first()


def registrations_visible_to(user: AnyUser) -> QuerySet[Registration]:
    """Who registered for a meeting is read by the meeting's managers (its attendance
    list) and the secretariat; anyone else reads only their own registrations."""
    if roles.is_secretariat(user):
        return Registration.objects.all()
    if not roles.is_participant(user):
        return Registration.objects.none()
    return Registration.objects.filter(Q(user=user) | _convened(user, "meeting")).distinct()


def can_register(user: AnyUser, meeting: Meeting) -> bool:
    """Registration is open to anyone signed in until the meeting starts, unless cancelled."""
    return roles.is_participant(user) and not meeting.is_cancelled and not meeting.has_started


_NOT_LOOKED_UP = object()


def can_see_remote_details(
    user: AnyUser, meeting: Meeting, registration: Registration | None | object = _NOT_LOOKED_UP
) -> bool:
    """The joining link and dial-in are for registered attendees (not people who sent
    apologies) and the meeting's managers; never for the public. Pass the person's
    registration (None for none) when it is already known, to save the query."""
    if not meeting.has_remote_participation or not roles.is_participant(user):
        return False
    if registration is _NOT_LOOKED_UP:
        registration = registration_of(user, meeting)
    if registration is not None and registration.is_attending:
        return True
    return can_manage(user, meeting)


def _convened(user: AnyUser, meeting_path: str) -> Q:
    """Rows of meetings of a group this person convenes."""
    return Q(
        **{
            f"{meeting_path}__working_group__memberships__user": user,
            f"{meeting_path}__working_group__memberships__role": "convenor",
        }
    )


def notes_visible_to(user: AnyUser) -> QuerySet[Notes]:
    """Notes with a published version (standing or withdrawn: the page then says when and
    why it was withdrawn) are public; notes never published are for the convenors and the
    secretariat."""
    published = Q(versions__isnull=False)
    if roles.is_secretariat(user):
        return Notes.objects.all()
    if not roles.is_participant(user):
        return Notes.objects.filter(published).distinct()
    return Notes.objects.filter(published | _convened(user, "meeting")).distinct()


def drafts_visible_to(user: AnyUser) -> QuerySet[Notes]:
    """Notes whose draft (its words, attendance record, actions and overrides) this person
    may read: the meeting's managers only, published or not, since the draft may already
    hold the next correction. Readers see what versions published."""
    if roles.is_secretariat(user):
        return Notes.objects.all()
    if not roles.is_participant(user):
        return Notes.objects.none()
    return Notes.objects.filter(_convened(user, "meeting")).distinct()


def actions_visible_to(user: AnyUser) -> QuerySet[Action]:
    """An action's words are public once a version still standing has published them (an
    action's words never change, so they are that version's); until then, and after its
    only version is withdrawn, the action is the draft's: for the meeting's managers."""
    published = Q(publications__version__in=NotesVersion.objects.standing())
    if roles.is_secretariat(user):
        return Action.objects.all()
    if not roles.is_participant(user):
        return Action.objects.filter(published).distinct()
    return Action.objects.filter(published | _convened(user, "meeting")).distinct()


def can_edit_notes(user: AnyUser, meeting: Meeting) -> bool:
    """The convenor drafts the notes (the secretariat for whole-process meetings)."""
    return can_manage(user, meeting)


def can_withdraw_notes(user: AnyUser, meeting: Meeting) -> bool:
    """A published version that breached the Chatham House Rule is withdrawn by a convenor
    of the meeting's group or the secretariat (for a whole-process meeting, the
    secretariat): the people who answer for the notes."""
    return can_manage(user, meeting)
