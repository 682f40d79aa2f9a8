"""Meeting pages and actions, on the site's one access policy (policyhub/generic.py): lookups
start from permissions' querysets (404 for what you may not see); every meeting is public, so
someone who may see a meeting but not manage it is refused with a 403, and a signed-out
person is sent to sign in. Form pages are ServiceFormViews; single actions are POST-only,
call one service, flash a message and redirect."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from policyhub import roles
from policyhub.generic import AccessMixin, ServiceFormView, deny, show_errors
from policyhub.pagination import KeysFirstPaginator
from process.models import Process
from workinggroups.models import WorkingGroup

from . import calendars, permissions, services
from .filters import MeetingFilter
from .forms import (
    ActionForm,
    AttendeeForm,
    CancelForm,
    MeetingForm,
    NotesForm,
    OverrideForm,
    PublishForm,
    RegistrationForm,
    WithdrawNotesForm,
)
from .models import (
    Action,
    Attendee,
    CalendarToken,
    Meeting,
    Notes,
    NotesVersion,
    PublishedAction,
    Registration,
)

# Services speak of the meeting's fields; the form asks for a date and two times.
FORM_FIELD_FOR = {"starts_at": "start_time", "ends_at": "end_time"}
# A meeting's managers see who registered, a page at a time: a big meeting has hundreds.
REGISTRATIONS_PER_PAGE = 50
# The meetings list shows its managers this many of the meetings still waiting for notes.
AWAITING_NOTES_SHOWN = 20


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    # 404, not 403: lookups start from what this person may see.
    return get_object_or_404(
        permissions.meetings_visible_to(request.user).select_related("working_group", "process"),
        pk=pk,
    )


def _with_actions(versions: QuerySet[NotesVersion]) -> QuerySet[NotesVersion]:
    """Versions with the actions they published and, for each, the live action (for its
    status), in two more queries however many there are."""
    return versions.prefetch_related(
        Prefetch("actions", queryset=PublishedAction.objects.select_related("action"))
    )


def _notice_intro() -> str:
    return (
        f"Set meetings well in advance: at least {settings.MEETING_MINIMUM_NOTICE_DAYS} days, "
        "so people can arrange to attend. Times are UK time."
    )


class MeetingListView(FilterView):
    """Upcoming meetings (or past ones), filterable by group, region and attendance."""

    filterset_class = MeetingFilter
    template_name = "meetings/meeting_list.html"
    paginate_by = 20
    paginator_class = KeysFirstPaginator  # years of past meetings: deep pages stay cheap
    past = False

    def get_queryset(self) -> QuerySet[Meeting]:
        visible = permissions.meetings_visible_to(self.request.user).for_list()
        return visible.past() if self.past else visible.upcoming()

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            past=self.past,
            query_string=query.urlencode(),
            can_schedule=permissions.can_schedule_any(self.request.user),
            last_updated=max((m.updated_at for m in context["object_list"]), default=None),
        )
        if context["can_schedule"]:
            # Where a convenor schedules meetings, the notes they still owe readers.
            waiting = permissions.meetings_managed_by(self.request.user).awaiting_notes()
            context["awaiting_notes"] = list(
                waiting.select_related("working_group", "process")[:AWAITING_NOTES_SHOWN]
            )
            context["awaiting_notes_count"] = (
                len(context["awaiting_notes"])
                if len(context["awaiting_notes"]) < AWAITING_NOTES_SHOWN
                else waiting.count()
            )
        return context


class MeetingDetailView(DetailView):
    """A meeting's public page, with the person's own registration, and for its managers
    who registered."""

    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self) -> QuerySet[Meeting]:
        return permissions.meetings_visible_to(self.request.user).select_related(
            "working_group", "process", "notes"
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        registration = permissions.registration_of(user, meeting)
        can_manage = permissions.can_manage(user, meeting)
        notes = getattr(meeting, "notes", None)
        # Readers see the current version and the actions it published, never the draft's.
        published = _with_actions(notes.versions.current()).first() if notes else None
        context.update(
            registration=registration,
            can_manage=can_manage,
            can_register=permissions.can_register(user, meeting),
            can_see_remote=permissions.can_see_remote_details(user, meeting, registration),
            form=RegistrationForm(
                meeting=meeting, initial={"mode": registration.mode if registration else None}
            ),
            counts=meeting.registrations.counts(),
            revisions=list(meeting.revisions.all()),
            published=published,
            actions=list(published.actions.all()) if published else [],
            withdrawn=(
                notes.versions.order_by("-number").first() if notes and published is None else None
            ),
            minimum_notice_days=settings.MEETING_MINIMUM_NOTICE_DAYS,
            last_updated=meeting.updated_at,
        )
        if can_manage:
            context["page_obj"] = Paginator(
                meeting.registrations.select_related("user").order_by("status", "created_at", "pk"),
                REGISTRATIONS_PER_PAGE,
            ).get_page(self.request.GET.get("page"))
        return context


class ScheduleMeetingView(ServiceFormView):
    """Announce a meeting: a convenor for a group they convene, the secretariat for any group
    or for the whole process."""

    form_class = MeetingForm
    page_title = "Schedule a meeting"
    submit_label = "Schedule and announce"
    error_aliases = FORM_FIELD_FOR

    def allowed(self) -> bool:
        return permissions.can_schedule_any(self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        user = self.request.user
        kwargs["groups"] = permissions.groups_managed_by(user).order_by("name")
        kwargs["processes"] = (
            Process.objects.order_by("-starts_on") if roles.is_secretariat(user) else None
        )
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        slug = self.request.GET.get("group")
        if slug:
            initial["working_group"] = WorkingGroup.objects.filter(slug=slug).first()
        return initial

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["intro"] = _notice_intro()
        return context

    def perform(self, form: Form) -> Meeting:
        group = form.cleaned_data.get("working_group")
        meeting = services.schedule_meeting(
            process=form.cleaned_data.get("process") or (group.process if group else None),
            working_group=group,
            by=self.request.user,
            **form.service_fields(),
        )
        self.success_message = f"“{meeting.title}” has been scheduled and announced."
        return meeting

    def get_success_url(self) -> str:
        return self.result.get_absolute_url()

    def back_url(self) -> str:
        return reverse("meetings:list")


class ManageMeetingMixin:
    """Loads the meeting in the URL (any meeting may be seen) for a page only its managers
    may use: the group's convenors and the secretariat (403 for everyone else)."""

    request: HttpRequest
    kwargs: dict[str, Any]

    def load(self) -> None:
        self.meeting = _meeting_or_404(self.request, self.kwargs["pk"])

    def allowed(self) -> bool:
        return permissions.can_manage(self.request.user, self.meeting)

    def get_success_url(self) -> str:
        return self.meeting.get_absolute_url()


class EditMeetingView(ManageMeetingMixin, ServiceFormView):
    """Change a meeting's details; moving its time or place is a reschedule (the service
    asks for the reason and keeps the history)."""

    form_class = MeetingForm
    page_title = "Change or reschedule the meeting"
    submit_label = "Save changes"
    success_message = "The meeting has been updated."
    error_aliases = FORM_FIELD_FOR

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(groups=WorkingGroup.objects.none(), processes=None, meeting=self.meeting)
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return MeetingForm.initial_for(self.meeting)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(caption=self.meeting.title, intro=_notice_intro())
        return context

    def perform(self, form: Form) -> Meeting:
        return services.update_meeting(
            self.meeting,
            by=self.request.user,
            change_reason=form.cleaned_data.get("change_reason", ""),
            **form.service_fields(),
        )


class CancelMeetingView(ManageMeetingMixin, ServiceFormView):
    """Cancel with a public reason; the meeting stays listed, marked as cancelled, and the
    reminder sweep sends attendees one notice."""

    form_class = CancelForm
    page_title = "Cancel the meeting"
    submit_label = "Cancel the meeting"
    success_message = "The meeting has been cancelled. Attendees will be told."

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            caption=self.meeting.title,
            intro=(
                "Everyone registered, and members of the group, will get one cancellation "
                "notice. The meeting stays listed, marked as cancelled, with your reason."
            ),
            warning=True,
            back_label="Keep the meeting",
        )
        return context

    def perform(self, form: Form) -> Meeting:
        return services.cancel_meeting(
            self.meeting, reason=form.cleaned_data["reason"], by=self.request.user
        )


@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register, change the answer, or send apologies; form errors are shown on the meeting's
    page with what was chosen."""
    meeting = _meeting_or_404(request, pk)
    if not roles.is_participant(request.user):
        return deny(request)
    form = RegistrationForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            registration = services.register(
                meeting, mode=form.cleaned_data["mode"], by=request.user
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            if registration.status == Registration.Status.WAITING:
                messages.info(
                    request,
                    "All in-person places are taken, so you are on the waiting list. "
                    "We will confirm your place if one becomes free.",
                )
            elif registration.mode == Registration.Mode.APOLOGIES:
                messages.success(request, "Your apologies have been recorded.")
            else:
                messages.success(
                    request,
                    f"You are registered to attend {registration.get_mode_display().lower()}.",
                )
            return redirect(meeting)
    view = MeetingDetailView()
    view.setup(request, pk=pk)
    view.object = meeting
    context = view.get_context_data(object=meeting)
    context["form"] = form
    return render(request, "meetings/meeting_detail.html", context, status=200)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not roles.is_participant(request.user):
        return deny(request)
    try:
        services.withdraw(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Your registration has been withdrawn.")
    return redirect(meeting)


# --- Notes -------------------------------------------------------------------------------


@require_safe
def notes_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Published notes with their attendance record and actions, and the list of versions.
    By default the current version (the latest still standing); `?version=N` for another.
    A withdrawn version shows only when and why it was withdrawn, and a correction is
    compared with the last version still standing before it."""
    meeting = _meeting_or_404(request, pk)
    notes = get_object_or_404(permissions.notes_visible_to(request.user), meeting=meeting)
    versions = list(_with_actions(notes.versions.order_by("-number")))
    standing = [v for v in versions if not v.is_withdrawn]
    number = request.GET.get("version")
    version = (standing or versions or [None])[0]
    if number and number.isdigit():
        version = next((v for v in versions if v.number == int(number)), None)
        if version is None:
            raise Http404
    previous = None
    if version is not None and not version.is_withdrawn:
        previous = next((v for v in standing if v.number < version.number), None)
    context = {
        "meeting": meeting,
        "notes": notes,
        "versions": versions,
        "standing": standing,
        "previous": previous,
        "changes": version.changes_from(previous) if previous else [],
        "version": version,
        "is_latest": version is not None and bool(standing) and version == standing[0],
        "can_edit": permissions.can_edit_notes(request.user, meeting),
        "can_withdraw": permissions.can_withdraw_notes(request.user, meeting),
        "can_manage": permissions.can_manage(request.user, meeting),
        "actions": list(version.actions.all()) if version else [],
        "last_updated": (
            (version.withdrawn_at or version.published_at) if version else notes.updated_at
        ),
    }
    return render(request, "meetings/notes_detail.html", context)


def _notes_context(
    request: HttpRequest, meeting: Meeting, notes: Notes, **forms: Form
) -> dict[str, Any]:
    """The notes page: the draft's form, the checker's findings, the attendance record, the
    draft's actions and publishing. `forms` are the ones posted with errors; the rest start
    empty. The findings in what was corrected are the publish form's errors."""
    checked = services.check_notes(notes)
    forms_with_errors = [form for form in forms.values() if form.errors]
    versions = list(notes.versions.order_by("-number"))
    return {
        "meeting": meeting,
        "notes": notes,
        "form": forms.get("form") or NotesForm(initial=NotesForm.initial_for(notes)),
        "publish_form": forms.get("publish_form") or PublishForm(),
        "attendee_form": forms.get("attendee_form") or AttendeeForm(prefix="attendee"),
        "action_form": forms.get("action_form") or ActionForm(prefix="action"),
        "findings": checked,
        "blocking": [c for c in checked if c.blocks],
        "forms_with_errors": forms_with_errors,
        "attendees": list(notes.attendees.all()),
        "actions": list(meeting.actions.all()),
        "latest": versions[0] if versions else None,
        "standing": [v for v in versions if not v.is_withdrawn],
        "can_withdraw": permissions.can_withdraw_notes(request.user, meeting),
        "last_updated": notes.updated_at,
    }


class NotesEditView(ManageMeetingMixin, ServiceFormView):
    """The convenor's draft: summary, points, decisions, attendance, actions, and the
    checker's findings shown inline so they can be reworded before publishing."""

    form_class = NotesForm
    template_name = "meetings/notes_form.html"
    success_message = "Your draft has been saved."

    def allowed(self) -> bool:
        return permissions.can_edit_notes(self.request.user, self.meeting)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.notes = Notes.objects.filter(meeting=self.meeting).first()
        if self.notes is None:
            # Starting the notes writes the attendance record, so it is a POST of its own.
            return render(request, "meetings/notes_start.html", {"meeting": self.meeting})
        return super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.notes = services.start_notes(self.meeting, by=request.user)
        return super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return NotesForm.initial_for(self.notes)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(_notes_context(self.request, self.meeting, self.notes, form=context["form"]))
        return context

    def perform(self, form: Form) -> Notes:
        notes = services.save_notes(self.notes, by=self.request.user, **form.cleaned_data)
        if any(finding.blocks for finding in services.check_notes(notes)):
            # Saved, but not publishable as it stands: a warning says what to do next.
            self.success_message = ""
            messages.warning(
                self.request,
                "Your draft has been saved. The checker found sentences that attribute "
                "comments; reword them before publishing.",
            )
        return notes

    def get_success_url(self) -> str:
        return reverse("meetings:notes_edit", args=[self.meeting.pk])


@require_POST
def notes_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the draft, prefilling the attendance record from registrations (idempotent)."""
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_notes(request.user, meeting):
        return deny(request)
    services.start_notes(meeting, by=request.user)
    return redirect("meetings:notes_edit", pk=meeting.pk)


@require_POST
def notes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_notes(request.user, meeting):
        return deny(request)
    notes = services.start_notes(meeting, by=request.user)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            version = services.publish_notes(
                notes, by=request.user, change_note=form.cleaned_data["change_note"]
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, f"Version {version.number} of the notes is published.")
            return redirect("meetings:notes", pk=meeting.pk)
    return render(
        request,
        "meetings/notes_form.html",
        _notes_context(request, meeting, notes, publish_form=form),
    )


class WithdrawNotesView(ManageMeetingMixin, ServiceFormView):
    """Withdraw a published version that breached the Chatham House Rule (or was published
    by mistake): a question page asking why, warning that its words will be erased. A
    version already withdrawn has nothing left to ask: back to where it was."""

    form_class = WithdrawNotesForm
    submit_label = "Withdraw and erase this version"

    def load(self) -> None:
        super().load()
        notes = get_object_or_404(
            permissions.notes_visible_to(self.request.user), meeting=self.meeting
        )
        self.version = get_object_or_404(notes.versions, number=self.kwargs["number"])
        self.page_title = f"Withdraw version {self.version.number} of the notes"

    def allowed(self) -> bool:
        return permissions.can_withdraw_notes(self.request.user, self.meeting)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._back_if_withdrawn() or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._back_if_withdrawn() or super().post(request, *args, **kwargs)

    def _back_if_withdrawn(self) -> HttpResponse | None:
        if not self.version.is_withdrawn:
            return None
        messages.info(self.request, self.version.withdrawal_notice)
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            caption=self.meeting.title,
            intro=(
                f"Its words will be erased: the summary, discussion points, decisions, "
                f"actions, attendance record and change note of version "
                f"{self.version.number}. This cannot be undone. Readers will see when it "
                "was withdrawn and the reason you choose here. To keep the notes published, "
                "correct the draft and publish a new version as well."
            ),
            warning=True,
            back_label=f"Keep version {self.version.number}",
        )
        return context

    def perform(self, form: Form) -> NotesVersion:
        version = services.withdraw_notes_version(
            self.version, by=self.request.user, **form.cleaned_data
        )
        self.success_message = f"Version {version.number} has been withdrawn and its words erased."
        return version

    def get_success_url(self) -> str:
        notes_url = reverse("meetings:notes", args=[self.meeting.pk])
        return f"{notes_url}?version={self.version.number}"


@require_POST
def notes_override(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_notes(request.user, meeting):
        return deny(request)
    notes = services.start_notes(meeting, by=request.user)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_finding(notes, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Your reason has been recorded and the finding cleared.")
    else:
        messages.error(request, "Explain why this sentence does not attribute a view.")
    return redirect("meetings:notes_edit", pk=meeting.pk)


@require_POST
def attendee_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_notes(request.user, meeting):
        return deny(request)
    notes = services.start_notes(meeting, by=request.user)
    form = AttendeeForm(request.POST, prefix="attendee")
    if form.is_valid():
        services.add_attendee(notes, by=request.user, **form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['name']} is on the attendance record.")
        return redirect("meetings:notes_edit", pk=meeting.pk)
    return render(
        request,
        "meetings/notes_form.html",
        _notes_context(request, meeting, notes, attendee_form=form),
    )


@require_POST
def attendee_remove(request: HttpRequest, pk: int, attendee_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_notes(request.user, meeting):
        return deny(request)
    # Looked up only once allowed: a draft's record is not public.
    attendee = get_object_or_404(Attendee, pk=attendee_pk, notes__meeting=meeting)
    services.remove_attendee(attendee, by=request.user)
    messages.success(request, f"{attendee.name} has been removed from the attendance record.")
    return redirect("meetings:notes_edit", pk=meeting.pk)


@require_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_manage(request.user, meeting):
        return deny(request)
    notes = services.start_notes(meeting, by=request.user)
    form = ActionForm(request.POST, prefix="action")
    if form.is_valid():
        services.add_action(meeting, by=request.user, **form.cleaned_data)
        messages.success(request, "The action has been added.")
        return redirect("meetings:notes_edit", pk=meeting.pk)
    return render(
        request,
        "meetings/notes_form.html",
        _notes_context(request, meeting, notes, action_form=form),
    )


@require_POST
def action_remove(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """Take an action out of the draft; a published version keeps its own copy."""
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_edit_notes(request.user, meeting):
        return deny(request)
    # Looked up only once allowed: a draft's action is not public.
    action = get_object_or_404(Action, pk=action_pk, meeting=meeting)
    services.remove_action(action, by=request.user)
    messages.success(
        request,
        "The action has been removed from the draft. Publish a new version to take it out "
        "of the published notes.",
    )
    return redirect("meetings:notes_edit", pk=meeting.pk)


@require_POST
def action_status(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not permissions.can_manage(request.user, meeting):
        return deny(request)
    action = get_object_or_404(Action, pk=action_pk, meeting=meeting)
    status = request.POST.get("status", "")
    try:
        services.set_action_status(action, status=status, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"The action is now marked {action.get_status_display().lower()}."
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = meeting.get_absolute_url()
    return redirect(target)


# --- Calendars ------------------------------------------------------------------------------


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting, public: never the joining details (use the private feed for those)."""
    meeting = _meeting_or_404(request, pk)
    return _ics(calendars.meeting_calendar([meeting]), f"meeting-{meeting.pk}.ics")


@require_safe
def public_ics(request: HttpRequest) -> HttpResponse:
    """Every meeting of the feed's window, public: kept until a meeting changes (see
    calendars.public_calendar)."""
    meetings = permissions.meetings_visible_to(request.user).in_feeds().order_by("starts_at")
    return _ics(calendars.public_calendar(meetings, name="PolicyHub meetings"), "meetings.ics")


@require_safe
def group_ics(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(WorkingGroup, slug=slug)
    meetings = permissions.meetings_visible_to(request.user).in_feeds().filter(working_group=group)
    return _ics(
        calendars.meeting_calendar(meetings.order_by("starts_at"), name=f"{group.name} meetings"),
        f"{group.slug}-meetings.ics",
    )


@require_safe
def private_ics(request: HttpRequest, token: str) -> HttpResponse:
    """A person's own feed: meetings they registered for and their groups' meetings, with
    joining details for those they attend. The token in the URL is the only credential."""
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token).user
    if not owner.is_active:
        raise Http404
    meetings = (
        permissions.meetings_visible_to(owner)
        .in_feeds()
        .filter(Q(registrations__user=owner) | Q(working_group__memberships__user=owner))
        .distinct()
        .order_by("starts_at")
    )
    return _ics(
        calendars.meeting_calendar(meetings, include_remote_for=owner, name="My meetings"),
        "my-meetings.ics",
    )


class CalendarFeedView(AccessMixin, TemplateView):
    """Where a person finds (and can revoke) their private calendar feed URL."""

    template_name = "meetings/calendar_feed.html"
    sign_in_required = True

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        token = CalendarToken.objects.filter(user=self.request.user).first()
        context["token"] = token
        if token:
            context["feed_url"] = self.request.build_absolute_uri(
                reverse("meetings:private_calendar", args=[token.token])
            )
        return context


@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    """Make the person's feed address, or replace it when they ask (the old one stops)."""
    if not roles.is_participant(request.user):
        return deny(request)
    existing = CalendarToken.objects.filter(user=request.user).exists()
    if existing and request.POST.get("revoke"):
        services.revoke_calendar_token(by=request.user)
        messages.success(request, "Your old calendar address no longer works. Here is a new one.")
    else:
        services.calendar_token_for(request.user)
        messages.success(request, "Your private calendar address is ready.")
    return redirect("meetings:calendar_feed")


# --- Reminder emails' one-click stop ------------------------------------------------------


@csrf_exempt  # one-click unsubscribe posts come from mail programs; the signed token is the key
def stop_reminders(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation (link scanners must not unsubscribe people); POST stops,
    which is also what mail programs' one-click unsubscribe sends (RFC 8058). Not a
    ServiceFormView: there is no account to check and no form, and the POST answers with
    the confirmation itself, since it may come from a mail program rather than a person."""
    user = services.user_for_stop_token(token)
    if user is None:
        raise Http404
    if request.method == "POST":
        services.stop_reminders(user)
        return render(request, "meetings/reminders_stopped.html", {"stopped": True})
    return render(request, "meetings/reminders_stopped.html", {"stopped": False})


@require_POST
def restart_reminders(request: HttpRequest) -> HttpResponse:
    if not roles.is_participant(request.user):
        return deny(request)
    services.restart_reminders(by=request.user)
    messages.success(request, "You will get meeting reminders again.")
    return redirect("meetings:calendar_feed")
