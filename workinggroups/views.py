"""Working group pages. Thin: look the object up through permissions.py (404 for what you
may not see), check the action is allowed, hand cleaned_data to a service, flash, redirect."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Prefetch, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from policyhub import roles
from policyhub.generic import AccessMixin, ServiceFormView, deny
from policyhub.models import Sector

from . import forms, permissions, services
from .filters import WiderIssueFilter
from .models import (
    AgreementLevel,
    AgreementRecord,
    Alternative,
    Concern,
    DefaultTask,
    JoinRequest,
    Membership,
    Proposal,
    SignOff,
    Task,
    WiderIssue,
    WorkingGroup,
)

# --- Helpers ---------------------------------------------------------------------------------

# A group may have hundreds of members: its page lists them this many at a time.
MEMBERS_PER_PAGE = 50
# What the page shows of a member: never more of a person's row (their email is private).
MEMBER_ROW_FIELDS = (
    "role",
    "group_id",
    "user__display_name",
    "user__email",  # the name shown when someone has not given one (User.__str__)
    "user__organisation",
    "user__sector",
)


def sector_balance(group: WorkingGroup) -> list[dict[str, Any]]:
    """How many members come from each sector, zeros included, so a missing sector shows.
    Counted by the database: the page must not load every member to count them."""
    counts = {
        row["user__sector"]: row["count"]
        for row in group.memberships.values("user__sector").annotate(count=Count("id"))
    }
    balance = [
        {"sector": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Sector.choices
    ]
    if counts.get(""):
        balance.append({"sector": "", "label": "Not stated", "count": counts[""]})
    return balance


class GroupMixin:
    """Loads the working group named in the URL (every group is public)."""

    def load_group(self) -> WorkingGroup:
        self.group = get_object_or_404(
            permissions.groups_visible_to(self.request.user).select_related("process"),
            slug=self.kwargs["slug"],
        )
        return self.group


class ProposalMixin(GroupMixin):
    """Loads a proposal the viewer may see (404 for a draft of a group they are not in)."""

    def load_proposal(self) -> Proposal:
        self.load_group()
        self.proposal = get_object_or_404(
            permissions.proposals_visible_to(self.request.user).select_related("group__process"),
            group=self.group,
            pk=self.kwargs["pk"],
        )
        return self.proposal

    def get_success_url(self) -> str:
        return self.proposal.get_absolute_url()


# --- Working groups ------------------------------------------------------------------------


class WorkingGroupListView(ListView):
    """Every group of every process, with membership and workplan progress."""

    template_name = "workinggroups/workinggroup_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[WorkingGroup]:
        return (
            permissions.groups_visible_to(self.request.user)
            .select_related("process")
            .with_counts()
            .order_by("process__starts_on", "name")
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["last_updated"] = max((g.updated_at for g in context["object_list"]), default=None)
        return context


class WorkingGroupDetailView(DetailView):
    """The group's public page: purpose, members and sector balance, workplan, proposals,
    wider issues. A constant number of queries, whatever the size of the group."""

    template_name = "workinggroups/workinggroup_detail.html"
    context_object_name = "workinggroup"

    def get_queryset(self) -> QuerySet[WorkingGroup]:
        return permissions.groups_visible_to(self.request.user).select_related("process", "step")

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        """Per-person answers (may I join, manage, add?) and the group's record
        (`details`, each part read once)."""
        context = super().get_context_data(**kwargs)
        group: WorkingGroup = self.object
        user = self.request.user
        can_manage = permissions.can_manage(user, group)
        viewer_is_member = permissions.is_member(user, group)
        # Drafts are for the group's members and the secretariat (proposals_visible_to).
        sees_drafts = viewer_is_member or roles.is_secretariat(user)
        details = GroupDetails(group, user, members_page=self.request.GET.get("page"))
        context.update(
            details=details,
            sees_drafts=sees_drafts,
            viewer_is_member=viewer_is_member,
            viewer_is_convenor=permissions.is_convenor(user, group),
            can_ask_to_join=permissions.can_ask_to_join(user, group),
            can_leave=permissions.can_leave(user, group),
            can_manage=can_manage,
            can_appoint_convenor=permissions.can_appoint_convenor(user, group),
            can_add_proposal=permissions.can_add_proposal(user, group),
            can_log_wider_issue=permissions.can_log_wider_issue(user, group),
            can_raise_concern=permissions.can_raise_concern(user, group),
            can_see_concerns=permissions.can_see_concerns_of(user, group),
            pending_request=(  # members have nothing to ask
                JoinRequest.objects.pending().filter(group=group, user=user).first()
                if roles.is_participant(user) and not viewer_is_member
                else None
            ),
            pending_count=(
                JoinRequest.objects.pending().filter(group=group).count() if can_manage else 0
            ),
            last_updated=details.last_updated,
        )
        return context


class GroupDetails:
    """A working group's record as its page shows it, each part read once and only if
    shown. `user` decides which proposals are listed (drafts for members only);
    `members_page` which page of the member table is shown."""

    def __init__(self, group: WorkingGroup, user: Any, members_page: str | None = None):
        self.group = group
        self.user = user
        self.members_page = members_page

    @cached_property
    def members(self) -> Page:
        """One page of the member table (a page number out of range shows the nearest)."""
        paginator = Paginator(
            self.group.memberships.select_related("user")
            .only(*MEMBER_ROW_FIELDS)
            .order_by("-role", "user__display_name", "pk"),
            MEMBERS_PER_PAGE,
        )
        # The sector counts have summed every member already: no second COUNT query.
        paginator.count = self.member_count
        return paginator.get_page(self.members_page)

    @cached_property
    def convenors(self) -> list[Membership]:
        return list(
            self.group.memberships.filter(role=Membership.Role.CONVENOR)
            .select_related("user")
            .only(*MEMBER_ROW_FIELDS)
            .order_by("user__display_name")
        )

    @cached_property
    def balance(self) -> list[dict[str, Any]]:
        return sector_balance(self.group)

    @cached_property
    def member_count(self) -> int:
        return sum(row["count"] for row in self.balance)

    @cached_property
    def tasks(self) -> list[Task]:
        return list(self.group.tasks.all())

    @cached_property
    def tasks_done(self) -> int:
        return sum(1 for t in self.tasks if t.status == Task.Status.DONE)

    @cached_property
    def proposals(self) -> list[Proposal]:
        proposals = list(
            permissions.proposals_visible_to(self.user)
            .filter(group=self.group)
            .prefetch_related("sign_offs")
            .order_by("created_at")
        )
        for proposal in proposals:
            proposal.group = self.group  # links need the slug; no query per proposal
            proposal.jointly_signed_off = services.jointly_signed_off(proposal)
        return proposals

    @cached_property
    def wider_issues(self) -> list[WiderIssue]:
        return list(self.group.wider_issues.order_by("-created_at"))

    @property
    def last_updated(self):
        return max(
            [self.group.updated_at, *(t.updated_at for t in self.tasks)]
            + [p.updated_at for p in self.proposals]
        )


class WorkingGroupCreateView(ServiceFormView):
    form_class = forms.NewWorkingGroupForm
    page_title = "Set up a working group"
    submit_label = "Set up group"
    success_message = "The working group has been set up with the default workplan."

    def load(self) -> None:
        pass

    def allowed(self) -> bool:
        return permissions.can_create_group(self.request.user)

    def perform(self, form: Form) -> WorkingGroup:
        return services.create_working_group(by=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        if hasattr(self, "result"):
            return self.result.get_absolute_url()
        return reverse("workinggroups:list")


class WorkingGroupEditView(GroupMixin, ServiceFormView):
    form_class = forms.WorkingGroupForm
    page_title = "Edit the working group"
    submit_label = "Save changes"
    success_message = "The working group has been updated."

    def load(self) -> None:
        self.load_group()

    def allowed(self) -> bool:
        return permissions.can_edit_group(self.request.user, self.group)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.group
        return kwargs

    def perform(self, form: Form) -> WorkingGroup:
        # The form edits a copy; the service decides what is saved.
        self.group.refresh_from_db()
        return services.update_working_group(self.group, by=self.request.user, **form.cleaned_data)

    def get_success_url(self) -> str:
        return reverse("workinggroups:detail", kwargs={"slug": self.group.slug})


@require_POST
def appoint_convenor(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """POST only: the secretariat makes a member a convenor."""
    group = get_object_or_404(permissions.groups_visible_to(request.user), slug=slug)
    if not permissions.can_appoint_convenor(request.user, group):
        return deny(request)
    membership = get_object_or_404(group.memberships.select_related("user"), pk=pk)
    try:
        services.appoint_convenor(group, user=membership.user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.user} is now a convenor of {group}.")
    return redirect(group.get_absolute_url() + "#members")


class JoinView(GroupMixin, ServiceFormView):
    form_class = forms.JoinRequestForm
    page_title = "Ask to join"
    submit_label = "Send request"
    success_message = "Your request has been sent. The convenors will email you their decision."

    def load(self) -> None:
        self.load_group()

    def allowed(self) -> bool:
        return permissions.can_ask_to_join(self.request.user, self.group)

    def perform(self, form: Form) -> JoinRequest:
        return services.ask_to_join(
            self.group, statement=form.cleaned_data["statement"], by=self.request.user
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.group.name
        context["intro"] = (
            "Working groups are open to anybody with the interest and expertise to take part. "
            "Your name, organisation and sector will be shown on the group's member list; "
            "your email address will not."
        )
        pending = (
            JoinRequest.objects.pending().filter(group=self.group, user=self.request.user).first()
        )
        if pending is not None:
            context["intro"] = (
                f"You asked to join on {timezone.localtime(pending.created_at):%d %B %Y} and the "
                "convenors have not decided yet. You do not need to ask again."
            )
        return context

    def get_success_url(self) -> str:
        return self.group.get_absolute_url()


class LeaveView(GroupMixin, ServiceFormView):
    form_class = Form
    page_title = "Leave this working group"
    submit_label = "Leave the group"
    success_message = "You have left the working group."

    def load(self) -> None:
        self.load_group()

    def allowed(self) -> bool:
        return permissions.is_member(self.request.user, self.group)

    def perform(self, form: Form) -> None:
        services.leave_group(self.group, by=self.request.user)
        permissions.forget_roles(self.request.user)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.group.name
        context["intro"] = (
            "You will no longer be listed as a member. Proposals and notes the group has "
            "already recorded stay as they are. You can ask to join again later."
        )
        context["warning"] = True
        return context

    def get_success_url(self) -> str:
        return self.group.get_absolute_url()


class JoinRequestListView(AccessMixin, GroupMixin, ListView):
    """Requests waiting for the convenors, and the last decisions made."""

    template_name = "workinggroups/joinrequest_list.html"
    paginate_by = 50

    def load(self) -> None:
        self.load_group()

    def allowed(self) -> bool:
        return permissions.can_decide_join_requests(self.request.user, self.group)

    def get_queryset(self) -> QuerySet[JoinRequest]:
        return self.group.join_requests.pending().select_related("user").order_by("created_at")

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["workinggroup"] = self.group
        context["decided"] = (
            self.group.join_requests.exclude(status=JoinRequest.Status.PENDING)
            .select_related("user", "decided_by")
            .order_by("-decided_at")[:20]
        )
        return context


class JoinDecisionView(GroupMixin, ServiceFormView):
    form_class = forms.JoinDecisionForm
    template_name = "workinggroups/joinrequest_decide.html"
    page_title = "Decide on a request to join"
    submit_label = "Save decision"

    def load(self) -> None:
        self.load_group()
        self.join_request = get_object_or_404(
            self.group.join_requests.select_related("user"), pk=self.kwargs["pk"]
        )

    def allowed(self) -> bool:
        return permissions.can_decide_join_requests(self.request.user, self.group)

    def perform(self, form: Form) -> JoinRequest:
        approve = form.cleaned_data["decision"] == "approve"
        decided = services.decide_join_request(
            self.join_request,
            approve=approve,
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )
        who = decided.user
        self.success_message = (
            f"{who} is now a member. We have emailed them."
            if approve
            else f"You declined {who}'s request. We have emailed them your reason."
        )
        return decided

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["join_request"] = self.join_request
        context["caption"] = self.group.name
        return context

    def get_success_url(self) -> str:
        return reverse("workinggroups:join-requests", kwargs={"slug": self.group.slug})


# --- The workplan ---------------------------------------------------------------------------


class TaskMixin(GroupMixin):
    def load_task(self) -> Task:
        self.load_group()
        self.task = get_object_or_404(
            self.group.tasks.select_related("updated_by"), position=self.kwargs["position"]
        )
        return self.task

    def get_success_url(self) -> str:
        return self.task.get_absolute_url()


class TaskDetailView(TaskMixin, DetailView):
    template_name = "workinggroups/task_detail.html"
    context_object_name = "task"

    def get_object(self, queryset=None) -> Task:
        return self.load_task()

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["workinggroup"] = self.group
        context["can_edit"] = permissions.can_edit_workplan(self.request.user, self.group)
        context["last_updated"] = self.task.updated_at
        return context


class TaskEditView(TaskMixin, ServiceFormView):
    form_class = forms.TaskForm
    submit_label = "Save task"
    success_message = "The task has been updated."

    def load(self) -> None:
        self.load_task()
        self.page_title = self.task.title

    def allowed(self) -> bool:
        return permissions.can_edit_workplan(self.request.user, self.group)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.task
        return kwargs

    def perform(self, form: Form) -> Task:
        data = form.cleaned_data
        return services.update_task(
            self.task, status=data["status"], summary=data["summary"], by=self.request.user
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = f"{self.group.name}: task {self.task.position} of the workplan"
        context["intro"] = self.task.hint
        return context


class DefaultTaskListView(AccessMixin, ListView):
    """The workplan every new group starts with; the secretariat edits it."""

    template_name = "workinggroups/defaulttask_list.html"
    queryset = DefaultTask.objects.order_by("position")

    def allowed(self) -> bool:
        return permissions.can_edit_default_tasks(self.request.user)


class DefaultTaskFormView(ServiceFormView):
    form_class = forms.DefaultTaskForm
    submit_label = "Save task"
    success_message = "The default workplan has been updated. Existing groups keep theirs."

    def load(self) -> None:
        self.default_task = None
        if "pk" in self.kwargs:
            self.default_task = get_object_or_404(DefaultTask, pk=self.kwargs["pk"])
        self.page_title = "Change a default task" if self.default_task else "Add a default task"

    def allowed(self) -> bool:
        return permissions.can_edit_default_tasks(self.request.user)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.default_task
        return kwargs

    def perform(self, form: Form) -> DefaultTask:
        data = form.cleaned_data
        return services.save_default_task(
            position=data["position"],
            title=data["title"],
            hint=data["hint"],
            task=self.default_task,
            by=self.request.user,
        )

    def get_success_url(self) -> str:
        return reverse("workinggroups:default-tasks")


# --- Proposals ----------------------------------------------------------------------------


class ProposalDetailView(ProposalMixin, DetailView):
    """A proposal with its level of agreement in plain words, alternatives with pros and
    cons, the history of its level, and both sign-off tracks. Constant queries."""

    template_name = "workinggroups/proposal_detail.html"
    context_object_name = "proposal"

    def get_object(self, queryset=None) -> Proposal:
        self.load_group()
        return get_object_or_404(
            permissions.proposals_visible_to(self.request.user)
            .select_related("group__process", "created_by")
            .prefetch_related(
                "alternatives",
                Prefetch(
                    "history",
                    queryset=AgreementRecord.objects.select_related("recorded_by", "meeting"),
                ),
                Prefetch("sign_offs", queryset=SignOff.objects.select_related("recorded_by")),
            ),
            group=self.group,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        proposal: Proposal = self.object
        user = self.request.user
        history = list(proposal.history.all())
        alternatives = list(proposal.alternatives.all())
        context.update(
            workinggroup=self.group,
            alternatives=alternatives,
            history=list(reversed(history)),
            sign_offs=list(services.sign_off_states(proposal).values()),
            jointly_signed_off=services.jointly_signed_off(proposal),
            can_edit=permissions.can_edit_proposal(user, proposal),
            can_change_status=permissions.can_change_status(user, proposal),
            can_record_agreement=permissions.can_record_agreement(user, proposal),
            recordable_tracks=permissions.tracks_recordable_by(user, proposal),
            levels=[(level, AgreementLevel.meaning(level)) for level in AgreementLevel.values],
            last_updated=max(
                [proposal.updated_at]
                + [r.recorded_at for r in history]
                + [a.updated_at for a in alternatives]
            ),
        )
        return context


class ProposalCreateView(GroupMixin, ServiceFormView):
    form_class = forms.ProposalForm
    page_title = "Add a proposal"
    submit_label = "Save as draft"
    success_message = "The proposal has been saved as a draft. Only the group can see it."

    def load(self) -> None:
        self.load_group()

    def allowed(self) -> bool:
        return permissions.can_add_proposal(self.request.user, self.group)

    def perform(self, form: Form) -> Proposal:
        return services.create_proposal(self.group, by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.group.name
        return context

    def get_success_url(self) -> str:
        if hasattr(self, "result"):
            return self.result.get_absolute_url()
        return self.group.get_absolute_url()


class ProposalEditView(ProposalMixin, ServiceFormView):
    form_class = forms.ProposalForm
    page_title = "Edit the proposal"
    submit_label = "Save changes"
    success_message = "The proposal has been updated."

    def load(self) -> None:
        self.load_proposal()

    def allowed(self) -> bool:
        return permissions.can_edit_proposal(self.request.user, self.proposal)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.proposal
        return kwargs

    def perform(self, form: Form) -> Proposal:
        return services.update_proposal(self.proposal, by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.group.name
        return context


class ProposalStatusView(ProposalMixin, ServiceFormView):
    form_class = forms.ProposalStatusForm
    page_title = "Change the proposal's status"
    submit_label = "Change status"

    def load(self) -> None:
        self.load_proposal()

    def allowed(self) -> bool:
        return permissions.can_change_status(self.request.user, self.proposal)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["allowed"] = sorted(services.PROPOSAL_TRANSITIONS[self.proposal.status])
        return kwargs

    def perform(self, form: Form) -> Proposal:
        proposal = services.change_proposal_status(
            self.proposal, status=form.cleaned_data["status"], by=self.request.user
        )
        self.success_message = f"The proposal is now {proposal.get_status_display().lower()}."
        return proposal

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.proposal.title
        context["intro"] = f"It is {self.proposal.get_status_display().lower()} now."
        return context


class AlternativeFormView(ProposalMixin, ServiceFormView):
    form_class = forms.AlternativeForm
    submit_label = "Save alternative"

    def load(self) -> None:
        self.load_proposal()
        self.alternative = None
        if "alternative" in self.kwargs:
            self.alternative = get_object_or_404(
                Alternative, proposal=self.proposal, pk=self.kwargs["alternative"]
            )
        self.page_title = "Edit an alternative" if self.alternative else "Add an alternative"
        self.success_message = (
            "The alternative has been updated." if self.alternative else "Alternative added."
        )

    def allowed(self) -> bool:
        return permissions.can_edit_proposal(self.request.user, self.proposal)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.alternative
        return kwargs

    def perform(self, form: Form) -> Alternative:
        if self.alternative:
            return services.update_alternative(
                self.alternative, by=self.request.user, **form.cleaned_data
            )
        return services.add_alternative(self.proposal, by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.proposal.title
        context["intro"] = (
            "Record an alternative proposal with its pros and cons. Levels of agreement 2 to 4 "
            "need at least one."
        )
        return context


class AgreementView(ProposalMixin, ServiceFormView):
    form_class = forms.AgreementForm
    template_name = "workinggroups/proposal_agreement.html"
    page_title = "Record the level of agreement"
    submit_label = "Record level"

    def load(self) -> None:
        self.load_proposal()

    def allowed(self) -> bool:
        return permissions.can_record_agreement(self.request.user, self.proposal)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "group": self.proposal.group}

    def perform(self, form: Form) -> AgreementRecord:
        data = form.cleaned_data
        record = services.record_agreement_level(
            self.proposal,
            level=data["level"],
            meeting=data["meeting"],
            note=data["note"],
            by=self.request.user,
        )
        self.success_message = f"Level {record.level} recorded. {record.meaning}"
        return record

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.proposal.title
        context["proposal"] = self.proposal
        context["levels"] = [(lv, AgreementLevel.meaning(lv)) for lv in AgreementLevel.values]
        context["alternative_count"] = self.proposal.alternatives.count()
        return context


class SignOffView(ProposalMixin, ServiceFormView):
    form_class = forms.SignOffForm
    submit_label = "Record sign-off"

    def load(self) -> None:
        self.load_proposal()
        track = self.kwargs["track"].replace("-", "_")
        if track not in SignOff.Track.values:
            raise Http404("No such sign-off track.")
        self.track = SignOff.Track(track)
        self.page_title = f"Sign-off: {self.track.label.lower()} track"

    def allowed(self) -> bool:
        return permissions.can_record_sign_off(self.request.user, self.proposal, self.track)

    def get_form_kwargs(self) -> dict[str, Any]:
        current = services.sign_off_states(self.proposal)[self.track.value].state
        return {**super().get_form_kwargs(), "current": current}

    def perform(self, form: Form) -> SignOff:
        sign_off = services.record_sign_off(
            self.proposal,
            track=self.track.value,
            state=form.cleaned_data["state"],
            reasons=form.cleaned_data.get("reasons", ""),
            by=self.request.user,
        )
        self.success_message = (
            f"The {self.track.label.lower()} track is now “{sign_off.get_state_display().lower()}”."
        )
        return sign_off

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        current = services.sign_off_states(self.proposal)[self.track.value]
        context["caption"] = self.proposal.title
        context["intro"] = (
            f"This track is “{current.get_state_display().lower()}” now. Each track records "
            "its own view; the proposal is jointly signed off only when both have signed off."
        )
        return context


# --- Wider issues -------------------------------------------------------------------------


class WiderIssueListView(ListView):
    """Every group's wider issues in one public list, filtered by group and status."""

    template_name = "workinggroups/widerissue_list.html"
    paginate_by = 25

    def get_queryset(self) -> QuerySet[WiderIssue]:
        issues = permissions.wider_issues_visible_to(self.request.user).select_related(
            "group", "decided_by"
        )
        self.filterset = WiderIssueFilter(self.request.GET or None, queryset=issues)
        return self.filterset.qs if self.filterset.is_bound else issues

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter=self.filterset,
            query_string=query.urlencode(),
            can_decide=permissions.can_decide_wider_issue(self.request.user),
            last_updated=WiderIssue.objects.aggregate(latest=Max("updated_at"))["latest"],
        )
        return context


class WiderIssueCreateView(GroupMixin, ServiceFormView):
    form_class = forms.WiderIssueForm
    page_title = "Log a wider issue"
    submit_label = "Log issue"
    success_message = "The wider issue has been logged for further exploration in future."

    def load(self) -> None:
        self.load_group()

    def allowed(self) -> bool:
        return permissions.can_log_wider_issue(self.request.user, self.group)

    def perform(self, form: Form) -> WiderIssue:
        return services.log_wider_issue(self.group, by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.group.name
        context["intro"] = (
            "A wider issue is outside this group's scope but should be explored in future. "
            "The list of wider issues is public."
        )
        return context

    def get_success_url(self) -> str:
        return self.group.get_absolute_url()


class WiderIssueDecisionView(ServiceFormView):
    form_class = forms.WiderIssueDecisionForm
    page_title = "Take forward or park"
    submit_label = "Save decision"

    def load(self) -> None:
        self.issue = get_object_or_404(
            permissions.wider_issues_visible_to(self.request.user).select_related("group"),
            pk=self.kwargs["pk"],
        )

    def allowed(self) -> bool:
        return permissions.can_decide_wider_issue(self.request.user, self.issue)

    def get_initial(self) -> dict[str, Any]:
        if self.issue.status == WiderIssue.Status.OPEN:
            return {}
        return {"status": self.issue.status, "note": self.issue.note}

    def perform(self, form: Form) -> WiderIssue:
        issue = services.decide_wider_issue(self.issue, by=self.request.user, **form.cleaned_data)
        self.success_message = f"“{issue.title}” is now {issue.get_status_display().lower()}."
        return issue

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = f"{self.issue.group.name}: {self.issue.title}"
        context["quote"] = self.issue.description
        return context

    def get_success_url(self) -> str:
        return reverse("workinggroups:wider-issues")


# --- Concerns -----------------------------------------------------------------------------


class ConcernListView(AccessMixin, ListView):
    """The concerns this person may see: not public (see permissions.concerns_visible_to)."""

    template_name = "workinggroups/concern_list.html"
    paginate_by = 25
    sign_in_required = True

    def get_queryset(self) -> QuerySet[Concern]:
        concerns = permissions.concerns_visible_to(self.request.user).select_related("group")
        group = self.request.GET.get("group")
        if group:
            concerns = concerns.filter(group__slug=group)
        return concerns


class ConcernMixin:
    sign_in_required = True

    def load_concern(self) -> Concern:
        self.concern = get_object_or_404(
            permissions.concerns_visible_to(self.request.user)
            .select_related("group", "raised_by", "outcome_recorded_by")
            .prefetch_related("mediators"),
            pk=self.kwargs["pk"],
        )
        return self.concern

    def get_success_url(self) -> str:
        return self.concern.get_absolute_url()


class ConcernDetailView(AccessMixin, ConcernMixin, DetailView):
    template_name = "workinggroups/concern_detail.html"
    context_object_name = "concern"
    sign_in_required = True

    def get_object(self, queryset=None) -> Concern:
        return self.load_concern()

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            can_assign_mediators=permissions.can_assign_mediators(user, self.concern),
            can_record_outcome=permissions.can_record_outcome(user, self.concern),
            last_updated=self.concern.updated_at,
        )
        return context


class ConcernCreateView(GroupMixin, ServiceFormView):
    form_class = forms.ConcernForm
    page_title = "Raise a concern"
    submit_label = "Raise concern"
    success_message = (
        "Your concern has been raised. The secretariat will assign mediators and keep you informed."
    )

    def load(self) -> None:
        self.load_group()

    def allowed(self) -> bool:
        return permissions.can_raise_concern(self.request.user, self.group)

    def perform(self, form: Form) -> Concern:
        return services.raise_concern(self.group, by=self.request.user, **form.cleaned_data)

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.group.name
        context["intro"] = (
            "The terms of reference ask everyone to raise issues as early as possible. Where "
            "there is significant disagreement, Involve and the Cabinet Office mediate. Your "
            "concern is not public: only the group's convenors, the secretariat and the "
            "mediators will see it."
        )
        return context

    def get_success_url(self) -> str:
        if hasattr(self, "result"):
            return self.result.get_absolute_url()
        return self.group.get_absolute_url()


class MediatorsView(ConcernMixin, ServiceFormView):
    form_class = forms.MediatorsForm
    page_title = "Assign mediators"
    submit_label = "Assign mediators"
    success_message = "Mediators assigned. The concern is now in mediation."

    def load(self) -> None:
        self.load_concern()

    def allowed(self) -> bool:
        return permissions.can_assign_mediators(self.request.user, self.concern)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["concern"] = self.concern
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        return {"mediators": list(self.concern.mediators.all())}

    def perform(self, form: Form) -> Concern:
        return services.assign_mediators(
            self.concern, mediators=form.cleaned_data["mediators"], by=self.request.user
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.concern.title
        return context


class OutcomeView(ConcernMixin, ServiceFormView):
    form_class = forms.OutcomeForm
    page_title = "Record the outcome"
    submit_label = "Record outcome"
    success_message = "The outcome has been recorded and the concern closed."

    def load(self) -> None:
        self.load_concern()

    def allowed(self) -> bool:
        return permissions.can_record_outcome(self.request.user, self.concern)

    def perform(self, form: Form) -> Concern:
        return services.record_concern_outcome(
            self.concern, outcome=form.cleaned_data["outcome"], by=self.request.user
        )

    def get_context_data(self, **kwargs) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["caption"] = self.concern.title
        return context
