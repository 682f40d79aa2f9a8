"""Consultation pages: the public pages and response journey, and the analysts' pages.

Thin views: lookups start from `permissions`, writes go through `services`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.forms import Form
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from policyhub.client import client_address
from policyhub.generic import AccessMixin, ServiceFormView, deny, show_errors
from policyhub.pagination import KeysFirstPaginator

from . import permissions, services
from .forms import (
    AboutYouForm,
    CheckAnswersForm,
    CodingForm,
    NewLinkForm,
    OfflineResponseForm,
    PublishForm,
    RedactionForm,
    ResponseFilterForm,
    SaveForLaterForm,
    SectionForm,
    ThemeForm,
)
from .models import Answer, AnswerReview, Consultation, Question, Response, Section, Theme

# Session: {slug: [response id, holder key]} of the draft in progress (a bare response id in
# sessions from before drafts had holders).
DRAFTS = "consultation_drafts"
SENT = "consultation_sent"  # session: {slug: reference} of the response just sent


# --- Public pages ---------------------------------------------------------------------------


class ConsultationListView(ListView):
    """Open consultations first, then upcoming, then closed: what a newcomer can do now."""

    template_name = "consultation/consultation_list.html"
    context_object_name = "consultations"

    def get_queryset(self):
        return permissions.consultations_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        consultations = list(context["consultations"])
        groups = [
            ("open", _("Open for responses"), _("There are no open for responses consultations.")),
            ("upcoming", _("Upcoming"), _("There are no upcoming consultations.")),
            ("closed", _("Closed"), _("There are no closed consultations.")),
        ]
        context["groups"] = [
            (heading, [c for c in consultations if c.state(now) == state], empty)
            for state, heading, empty in groups
        ]
        context["last_updated"] = max((c.updated_at for c in consultations), default=None)
        return context


class ConsultationDetailView(DetailView):
    template_name = "consultation/consultation_detail.html"
    context_object_name = "consultation"

    def get_queryset(self):
        return permissions.consultations_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.object
        user = self.request.user
        now = timezone.now()
        context["now"] = now
        context["state"] = consultation.state(now)
        context["accepts_responses"] = permissions.can_respond(user, consultation, now)
        context["in_late_window"] = consultation.in_late_window(now)
        context["time_left"] = consultation.closes_at - now
        context["documents"] = [
            (doc, _document_url(doc)) for doc in permissions.documents_of(user, consultation)
        ]
        context["draft"] = _draft(self.request, consultation)
        context["can_analyse"] = permissions.can_analyse(user, consultation)
        context["retention_days"] = settings.CONSULTATION_RETENTION_DAYS
        context["last_updated"] = consultation.updated_at
        return context


def _document_url(document: Any) -> str | None:
    """The documents app may not give documents a page yet: then the title is shown unlinked."""
    try:
        return document.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return None


class PublishedResponsesView(ListView):
    """The summary of responses and the responses whose respondents consented."""

    template_name = "consultation/published_responses.html"
    context_object_name = "responses"
    paginate_by = 20

    def get_queryset(self):
        self.consultation = get_object_or_404(
            permissions.consultations_visible_to(self.request.user), slug=self.kwargs["slug"]
        )
        if not self.consultation.is_summary_published:
            raise Http404("The summary of responses has not been published.")
        return (
            permissions.published_responses(self.consultation)
            .order_by("submitted_at", "pk")
            .prefetch_related(
                Prefetch(
                    "answers",
                    queryset=Answer.objects.not_empty()
                    .select_related("question__section")
                    .prefetch_related("redactions"),
                )
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["consultation"] = self.consultation
        context["statistics"] = services.question_statistics(self.consultation)
        context["public_answers"] = {
            r.pk: [(a, services.public_text(a)) for a in r.answers.all()]
            for r in context["responses"]
        }
        context["last_updated"] = self.consultation.summary_published_at
        return context


# --- Responding -----------------------------------------------------------------------------


def _consultation(request: HttpRequest, slug: str) -> Consultation:
    """The consultation a response or analysis page is for (404 for what you may not see)."""
    return get_object_or_404(permissions.consultations_visible_to(request.user), slug=slug)


def _draft(request: HttpRequest, consultation: Consultation) -> Response | None:
    """The draft this browser is filling in, if any (no account: the browser's cookie holds
    its key), while the browser still holds it: once its save-and-return link is opened in
    another browser, the draft is that browser's alone."""
    kept = request.session.get(DRAFTS, {}).get(consultation.slug)
    if kept is None:
        return None
    response_id, holder_key = kept if isinstance(kept, list) else (kept, None)
    draft = Response.objects.draft(response_id, consultation.pk)
    if draft is None or not services.holds_draft(draft, holder_key):
        return None
    draft.consultation = consultation  # the same row, already read: no second query
    return draft


def _remember_draft(request: HttpRequest, response: Response, holder_key: str) -> None:
    drafts = dict(request.session.get(DRAFTS, {}))
    drafts[response.consultation.slug] = [response.pk, holder_key]
    request.session[DRAFTS] = drafts


def _closed(request: HttpRequest, consultation: Consultation) -> HttpResponse:
    """The clear page shown when responses are refused, even for drafts started earlier."""
    return render(
        request,
        "consultation/respond_closed.html",
        {"consultation": consultation, "state": consultation.state()},
        status=403,
    )


def _progress(sections: list[Section], position: int) -> dict[str, int]:
    """Step n of m, "About you" being step 1."""
    return {"step": position, "total": len(sections) + 2}


class RespondMixin:
    """Shared by the response pages: finds the consultation and the draft, refuses when
    responses are no longer accepted, and never lets a browser cache a half-typed answer.
    Pages are drawn on the shared question page (consultation/respond_page.html)."""

    request: HttpRequest
    template_name: str
    page_title = ""
    submit_label = _("Save and continue")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.consultation = _consultation(request, kwargs["slug"])
        if not permissions.can_respond(request.user, self.consultation):
            return _closed(request, self.consultation)
        self.response = _draft(request, self.consultation)
        if self.response is None:
            messages.info(
                request, _("Start a response first. Nothing you type is lost once started.")
            )
            return redirect(self.consultation)
        result = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        result["Cache-Control"] = "no-store"
        return result

    def question_page(self, form: Form, *, status: int = 200, **context: Any) -> HttpResponse:
        """This page with `form`: its title, step and buttons, and `context`."""
        return render(
            self.request,
            self.template_name,
            {
                "consultation": self.consultation,
                "form": form,
                "page_title": self.page_title,
                "submit_label": self.submit_label,
                **context,
            },
            status=status,
        )


@require_POST
def start_response(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Start now": one draft per browser; a second click continues the same draft, and
    clicks sent together start one. New drafts are limited per network (429 with a page
    saying what to do)."""
    consultation = _consultation(request, slug)
    if not permissions.can_respond(request.user, consultation):
        return _closed(request, consultation)
    if _draft(request, consultation) is None:
        try:
            services.check_start_rate(_client_ip(request))
        except ValidationError as error:
            return render(
                request,
                "consultation/respond_too_many.html",
                {"consultation": consultation, "reason": error.messages[0]},
                status=429,
            )
        # The session's own key, when it has one, is what presses sent together share.
        holder_key = request.session.session_key or services.new_holder_key()
        try:
            response = services.start_response(consultation, holder_key=holder_key)
        except ValidationError:
            return _closed(request, consultation)
        _remember_draft(request, response, holder_key)
    return redirect("consultation:about-you", slug=slug)


class AboutYouView(RespondMixin, View):
    """Who is responding, how to reach them (optional) and what may be published."""

    template_name = "consultation/respond_about_you.html"
    page_title = _("About you")

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        r = self.response
        form = AboutYouForm(
            initial={
                "respondent_type": r.respondent_type,
                "name": r.name,
                "organisation_name": r.organisation_name,
                "email": r.email,
                "publication": r.publication,
            }
        )
        return self.render(form)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        form = AboutYouForm(request.POST)
        data = request.POST
        services.save_about_you(
            self.response,
            respondent_type=data.get("respondent_type", ""),
            name=data.get("name", ""),
            organisation_name=data.get("organisation_name", ""),
            email=data.get("email", ""),
            publication=data.get("publication", ""),
        )
        if data.get("action") == "save-later":
            return redirect("consultation:save-for-later", slug=slug)
        if not form.is_valid():
            return self.render(form)
        sections = services.journey(self.consultation)
        if sections:
            return redirect("consultation:section", slug=slug, number=sections[0].number)
        return redirect("consultation:check", slug=slug)

    def render(self, form: AboutYouForm) -> HttpResponse:
        return self.question_page(
            form,
            progress=_progress(services.journey(self.consultation), 1),
            back_url=self.consultation.get_absolute_url(),
        )


class SectionView(RespondMixin, View):
    """One section per page (GOV.UK question pages)."""

    template_name = "consultation/respond_section.html"

    def setup_section(self, number: int) -> None:
        self.sections = services.journey(self.consultation)
        self.section = next((s for s in self.sections if s.number == number), None)
        if self.section is None:
            raise Http404("No such section.")
        self.questions = list(self.section.questions.all())
        self.page_title = self.section.title

    def get(self, request: HttpRequest, slug: str, number: int) -> HttpResponse:
        self.setup_section(number)
        answers = self.response.answers_by_question()
        initial = {}
        for q in self.questions:
            answer = answers.get(q.pk)
            if answer is None:
                continue
            if q.kind == Question.Kind.MULTIPLE_CHOICE:
                initial[SectionForm.field_name(q)] = answer.selected
            elif q.is_choice:
                initial[SectionForm.field_name(q)] = answer.selected[0] if answer.selected else ""
            else:
                initial[SectionForm.field_name(q)] = answer.text
        form = SectionForm(initial=initial, section=self.section, questions=self.questions)
        return self.render(form)

    def post(self, request: HttpRequest, slug: str, number: int) -> HttpResponse:
        self.setup_section(number)
        form = SectionForm(request.POST, section=self.section, questions=self.questions)
        # Saved before the other checks, so leaving a page loses nothing; an answer over its
        # length is refused unsaved, the page showing it again to be shortened.
        try:
            services.save_section_answers(self.response, self.section, answers=form.raw_answers())
        except ValidationError as error:
            if form.is_valid():  # the form checks lengths too; in case it ever does not
                show_errors(form, error)
            return self.render(form)
        if request.POST.get("action") == "save-later":
            return redirect("consultation:save-for-later", slug=slug)
        if not form.is_valid():
            return self.render(form)
        if request.GET.get("return") == "check":
            return redirect("consultation:check", slug=slug)
        later = [s for s in self.sections if s.number > self.section.number]
        if later:
            return redirect("consultation:section", slug=slug, number=later[0].number)
        return redirect("consultation:check", slug=slug)

    def render(self, form: SectionForm) -> HttpResponse:
        position = self.sections.index(self.section) + 2
        earlier = [s for s in self.sections if s.number < self.section.number]
        if self.request.GET.get("return") == "check":
            back = reverse("consultation:check", kwargs={"slug": self.consultation.slug})
        elif earlier:
            back = reverse(
                "consultation:section",
                kwargs={"slug": self.consultation.slug, "number": earlier[-1].number},
            )
        else:
            back = reverse("consultation:about-you", kwargs={"slug": self.consultation.slug})
        return self.question_page(
            form,
            section=self.section,
            progress=_progress(self.sections, position),
            back_url=back,
        )


class CheckAnswersView(RespondMixin, View):
    """Check your answers, with change links; the send button submits atomically."""

    template_name = "consultation/respond_check.html"
    page_title = _("Check your answers before sending your response")
    submit_label = _("Send response")

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return self.render(CheckAnswersForm())

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        if request.POST.get("action") == "save-later":
            return redirect("consultation:save-for-later", slug=slug)
        form = CheckAnswersForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            services.check_submission_rate(_client_ip(request))
            response = services.submit_response(self.response)
        except ValidationError as error:
            if not self.response.consultation.accepts_responses():
                return _closed(request, self.consultation)
            for message in error.messages:
                form.add_error(None, message)
            return self.render(form)
        sent = dict(request.session.get(SENT, {}))
        sent[slug] = response.reference
        request.session[SENT] = sent
        return redirect("consultation:confirmation", slug=slug)

    def render(self, form: CheckAnswersForm, status: int = 200) -> HttpResponse:
        sections = services.journey(self.consultation)
        answers = self.response.answers_by_question()
        unstarted = services.unstarted_sections(self.response, sections, answers=answers)
        rows = [
            (
                section,
                section in unstarted,
                [(q, answers.get(q.pk)) for q in section.questions.all()],
            )
            for section in sections
        ]
        return self.question_page(
            form,
            status=status,
            response=self.response,
            sections=rows,
            continue_at=unstarted[0] if unstarted else None,
            problems=services.problems_before_submission(self.response, answers=answers),
            progress=_progress(sections, len(sections) + 2),
        )


class ResumeLinkFormMixin:
    """What the two pages that email a save-and-return link share: the limit on links (a
    refusal is the form's error, with 429 so scripts can tell), the link's lifetime on the
    page, and the way back to the consultation."""

    status = 200

    def check_link_rate(self, email: str) -> None:
        try:
            services.check_resume_link_rate(_client_ip(self.request), email)
        except ValidationError as error:
            self.status = 429
            raise ValidationError({"email": error.messages}) from error

    def form_invalid(self, form: Form) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=self.status)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["consultation"] = self.consultation
        context["days"] = settings.CONSULTATION_RESUME_LINK_DAYS
        return context

    def get_success_url(self) -> str:
        return self.consultation.get_absolute_url()


class SaveForLaterView(RespondMixin, ResumeLinkFormMixin, ServiceFormView):
    """GOV.UK "save and return": email a link that brings this draft back, on any device."""

    form_class = SaveForLaterForm
    template_name = "consultation/respond_save.html"
    page_title = _("Save and come back later")
    submit_label = _("Email me a link")

    def get_initial(self) -> dict[str, Any]:
        return {"email": self.response.email}

    def perform(self, form: Form) -> None:
        email = form.cleaned_data["email"]
        self.check_link_rate(email)
        services.issue_resume_link(
            self.response, email=email, base_url=self.request.build_absolute_uri("/").rstrip("/")
        )
        self.success_message = gettext(
            "We have emailed a link to {email}. Use it to come back to your response within "
            "{days} days, before the consultation closes. The link works once."
        ).format(email=email, days=settings.CONSULTATION_RESUME_LINK_DAYS)

    def back_url(self) -> str:
        return reverse("consultation:check", kwargs={"slug": self.consultation.slug})


@never_cache
@require_safe
def confirmation(request: HttpRequest, slug: str) -> HttpResponse:
    """Shown only to the browser that sent the response: the reference is not guessable."""
    consultation = _consultation(request, slug)
    reference = request.session.get(SENT, {}).get(slug)
    response = (
        Response.objects.filter(consultation=consultation, reference=reference).first()
        if reference
        else None
    )
    if response is None:
        return redirect(consultation)
    return render(
        request,
        "consultation/respond_confirmation.html",
        {"consultation": consultation, "response": response},
    )


@never_cache
@require_safe
def resume(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """Exchange the emailed token for the session, then redirect at once, so the token is
    on no page that loads anything or links anywhere; no-referrer besides. A link works
    once: a used or unknown link is a 404, an expired one a 410, each on a page offering a
    new link and never showing the draft."""
    consultation = _consultation(request, slug)
    try:
        response, holder_key = services.open_resume_link(consultation, token)
    except ValidationError as error:
        page = render(
            request,
            "consultation/resume_invalid.html",
            {
                "consultation": consultation,
                "reason": error.messages[0],
                "accepts_responses": consultation.accepts_responses(),
            },
            status=410 if isinstance(error, services.LinkExpired) else 404,
        )
        page["Referrer-Policy"] = "no-referrer"
        return page
    _remember_draft(request, response, holder_key)
    request.session.cycle_key()
    # Back where they stopped, not at "Check your answers" with pages never reached.
    result = HttpResponseRedirect(services.continue_url(response, services.journey(consultation)))
    result["Referrer-Policy"] = "no-referrer"
    return result


class NewLinkView(ResumeLinkFormMixin, ServiceFormView):
    """ "Get a new link": the save-and-return link again, to the address the draft was
    saved with. The page says the same whether or not there is such a draft, so it tells
    nobody who has responded."""

    form_class = NewLinkForm
    template_name = "consultation/respond_new_link.html"
    page_title = _("Get a new link to your saved response")
    submit_label = _("Email me a new link")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.consultation = _consultation(request, kwargs["slug"])
        if not permissions.can_respond(request.user, self.consultation):
            return _closed(request, self.consultation)
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: Form) -> None:
        email = form.cleaned_data["email"]
        self.check_link_rate(email)
        services.send_new_resume_link(
            self.consultation,
            email=email,
            base_url=self.request.build_absolute_uri("/").rstrip("/"),
        )
        self.success_message = gettext(
            "If you saved a response to this consultation with {email}, we have emailed a "
            "new link to that address. It works once, within {days} days. Any earlier link "
            "no longer works."
        ).format(email=email, days=settings.CONSULTATION_RESUME_LINK_DAYS)


def _client_ip(request: HttpRequest) -> str:
    # One rule for every limit (policyhub/client.py); behind a proxy, TRUSTED_PROXY_COUNT.
    return client_address(request) or "unknown"


# --- Analysis -------------------------------------------------------------------------------


def _analysable(request: HttpRequest, slug: str) -> Consultation:
    """404 for consultations this person does not analyse: don't confirm what exists."""
    consultation = _consultation(request, slug)
    if not permissions.can_analyse(request.user, consultation):
        raise Http404("No such consultation.")
    return consultation


class AnalysisMixin(AccessMixin):
    """An analysis page (a form page): the consultation is looked up as `_analysable` does,
    so what this person does not analyse is a 404; `allowed()` says whether they may act."""

    kwargs: dict[str, Any]

    def load(self) -> None:
        self.consultation = _analysable(self.request, self.kwargs["slug"])

    def back_url(self) -> str:
        return reverse("consultation:analysis", kwargs={"slug": self.consultation.slug})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context.update(consultation=self.consultation, caption=self.consultation.title)
        return context


def _questions(consultation: Consultation) -> list[Question]:
    """The questions with their themes, which every analysis page starts from."""
    return list(
        Question.objects.filter(section__consultation=consultation)
        .select_related("section")
        .prefetch_related("themes")
    )


@require_safe
def analysis(request: HttpRequest, slug: str) -> HttpResponse:
    """Every submitted response, filtered, 50 to a page, in a constant number of queries;
    `?page=last` is the last page."""
    consultation = _analysable(request, slug)
    questions = _questions(consultation)
    form = ResponseFilterForm(request.GET or None, questions=questions)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "consultation": consultation,
        "form": form,
        "query_string": query.urlencode(),
        "filter_query": query.urlencode(),
        "questions": questions,
        "can_export": permissions.can_export(request.user, consultation),
        "can_publish": permissions.can_publish(request.user, consultation),
        "can_enter": permissions.can_manage_responses(request.user, consultation),
    }
    responses = (
        permissions.responses_visible_to(request.user, consultation)
        .filtered(**form.filters())
        .order_by("submitted_at", "pk")
    )
    paginator = KeysFirstPaginator(responses, 50)
    number = request.GET.get("page")
    page = paginator.get_page(paginator.num_pages if number == "last" else number)
    # Codings counted for this page only: one query, however many responses there are. It
    # starts from the page's answers, so the database reads their codings by index.
    coded = dict(
        Answer.objects.filter(response__in=[r.pk for r in page.object_list])
        .order_by()
        .values("response")
        .annotate(n=Count("reviews"))
        .values_list("response", "n")
    )
    for response in page.object_list:
        response.coded = coded.get(response.pk, 0)
    context.update(page_obj=page, responses=page.object_list, total=page.paginator.count)
    return render(request, "consultation/analysis_list.html", context)


@require_safe
def response_detail(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    """One response, its answers, this analyst's coding, and next/previous links."""
    consultation = _analysable(request, slug)
    visible = permissions.responses_visible_to(request.user, consultation)
    response = get_object_or_404(visible, reference=reference)
    return _response_page(request, consultation, response)


def _response_page(
    request: HttpRequest,
    consultation: Consultation,
    response: Response,
    *,
    refused: tuple[int, RedactionForm] | None = None,
) -> HttpResponse:
    """The response page; `refused` is (answer id, its redaction form) when a redaction was
    refused, so the page shows the form again with the typed passage and the error next to
    it (and in the error summary at the top) rather than in a banner away from it."""
    visible = permissions.responses_visible_to(request.user, consultation)
    answers = list(
        response.answers.select_related("question__section").prefetch_related(
            "question__themes",
            "redactions",
            Prefetch(
                "reviews",
                queryset=AnswerReview.objects.select_related("analyst").prefetch_related("themes"),
            ),
        )
    )
    rows = []
    for answer in answers:
        mine = next((r for r in answer.reviews.all() if r.analyst_id == request.user.pk), None)
        form = None
        if not answer.question.is_choice:
            form = CodingForm(
                question=answer.question,
                initial={"themes": [t.pk for t in mine.themes.all()] if mine else []},
                prefix=f"a{answer.pk}",
            )
        rows.append(
            {
                "answer": answer,
                "mine": mine,
                "form": form,
                "redaction_form": (
                    refused[1]
                    if refused and refused[0] == answer.pk
                    else RedactionForm(prefix=f"r{answer.pk}")
                ),
            }
        )
    # Next/previous move through the list as the analyst filtered it.
    order = visible.order_by("submitted_at", "pk")
    if request.GET:
        filters = ResponseFilterForm(request.GET, questions=_questions(consultation))
        order = order.filtered(**filters.filters())
    query = request.GET.urlencode()
    previous = (
        order.filter(
            Q(submitted_at__lt=response.submitted_at)
            | Q(submitted_at=response.submitted_at, pk__lt=response.pk)
        )
        .order_by("-submitted_at", "-pk")
        .values_list("reference", flat=True)
        .first()
    )
    following = (
        order.filter(
            Q(submitted_at__gt=response.submitted_at)
            | Q(submitted_at=response.submitted_at, pk__gt=response.pk)
        )
        .values_list("reference", flat=True)
        .first()
    )
    return render(
        request,
        "consultation/analysis_response.html",
        {
            "consultation": consultation,
            "response": response,
            "rows": rows,
            "previous": previous,
            "next": following,
            "query_string": query,
            "can_redact": permissions.can_manage_responses(request.user, consultation),
            "refused_form": refused[1] if refused else None,
            "last_updated": response.updated_at,
        },
    )


@require_POST
def code_answer(request: HttpRequest, slug: str, reference: str, answer_id: int) -> HttpResponse:
    """Save this analyst's themes for one answer, then back to the same answer."""
    consultation = _analysable(request, slug)
    response = get_object_or_404(
        permissions.responses_visible_to(request.user, consultation), reference=reference
    )
    answer = get_object_or_404(response.answers.select_related("question"), pk=answer_id)
    form = CodingForm(request.POST, question=answer.question, prefix=f"a{answer.pk}")
    if form.is_valid():
        services.code_answer(answer, themes=form.cleaned_data["themes"], by=request.user)
        messages.success(request, f"Your coding of question {answer.question.label} is saved.")
    else:
        messages.error(request, "Choose themes from this question's codebook.")
    target = reverse("consultation:response", kwargs={"slug": slug, "reference": reference})
    return redirect(f"{target}#answer-{answer.pk}")


@require_POST
def redact(request: HttpRequest, slug: str, reference: str, answer_id: int) -> HttpResponse:
    """The secretariat hides a passage from the public copy (403 for analysts, who see the
    response but may not change what is published)."""
    consultation = _analysable(request, slug)
    if not permissions.can_manage_responses(request.user, consultation):
        return deny(request)
    response = get_object_or_404(
        permissions.responses_visible_to(request.user, consultation), reference=reference
    )
    answer = get_object_or_404(response.answers, pk=answer_id)
    form = RedactionForm(request.POST, prefix=f"r{answer.pk}")
    if form.is_valid():
        try:
            services.redact_passage(answer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "The passage is redacted from the published response.")
            target = reverse("consultation:response", kwargs={"slug": slug, "reference": reference})
            return redirect(f"{target}#answer-{answer.pk}")
    return _response_page(request, consultation, response, refused=(answer.pk, form))


class CodebookView(AnalysisMixin, ServiceFormView):
    """A question's themes; analysts add themes here (and rename or remove them with
    `theme_edit`), and code campaigns of identical answers at once."""

    form_class = ThemeForm
    template_name = "consultation/analysis_codebook.html"
    submit_label = "Add theme"
    # (theme id, its change form) when a change was refused: shown again with its errors.
    refused: tuple[int, ThemeForm] | None = None

    def load(self) -> None:
        super().load()
        self.question = get_object_or_404(
            Question.objects.filter(section__consultation=self.consultation).select_related(
                "section"
            ),
            pk=self.kwargs["question_id"],
        )
        self.page_title = f"Question {self.question.label}: themes"

    def perform(self, form: Form) -> Theme:
        theme = services.add_theme(self.question, by=self.request.user, **form.cleaned_data)
        self.success_message = f"Theme “{form.cleaned_data['name']}” added."
        return theme

    def get_success_url(self) -> str:
        return reverse(
            "consultation:codebook",
            kwargs={"slug": self.consultation.slug, "question_id": self.question.pk},
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        question = self.question
        themes = list(question.themes.annotate(uses=Count("reviews")).order_by("name"))
        for theme in themes:
            if self.refused and self.refused[0] == theme.pk:
                theme.change_form = self.refused[1]
            else:
                theme.change_form = ThemeForm(
                    initial={"name": theme.name, "description": theme.description},
                    auto_id=f"theme-{theme.pk}-%s",
                )
        context.update(
            question=question,
            themes=themes,
            groups=services.campaign_groups(question) if not question.is_choice else [],
            summary_form=self.refused[1] if self.refused else context["form"],
        )
        return context


@require_POST
def theme_edit(request: HttpRequest, slug: str, theme_id: int) -> HttpResponse:
    """Rename or remove a theme of the codebook (action=remove)."""
    consultation = _analysable(request, slug)
    theme = get_object_or_404(
        Theme.objects.filter(question__section__consultation=consultation), pk=theme_id
    )
    target = reverse(
        "consultation:codebook", kwargs={"slug": slug, "question_id": theme.question_id}
    )
    if request.POST.get("action") == "remove":
        services.remove_theme(theme, by=request.user)
        messages.success(request, f"Theme “{theme.name}” removed.")
        return redirect(target)
    form = ThemeForm(request.POST, auto_id=f"theme-{theme.pk}-%s")
    if form.is_valid():
        try:
            services.rename_theme(theme, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, "Theme saved.")
            return redirect(target)
    # The codebook again, the refused change open with its errors and what was typed.
    page = CodebookView(refused=(theme.pk, form))
    page.setup(request, slug=slug, question_id=theme.question_id)
    page.load()
    return page.render_to_response(page.get_context_data(form=ThemeForm()))


@require_POST
def code_campaign(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    """Code every answer of a campaign group at once."""
    consultation = _analysable(request, slug)
    question = get_object_or_404(
        Question.objects.filter(section__consultation=consultation), pk=question_id
    )
    form = CodingForm(request.POST, question=question)
    target = reverse("consultation:codebook", kwargs={"slug": slug, "question_id": question.pk})
    if not form.is_valid():
        messages.error(request, "Choose themes from this question's codebook.")
        return redirect(target)
    try:
        count = services.code_campaign_group(
            question,
            digest=request.POST.get("digest", ""),
            themes=form.cleaned_data["themes"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(target)
    messages.success(request, f"Your coding is applied to all {count} identical answers.")
    return redirect(target)


@require_safe
def agreement(request: HttpRequest, slug: str) -> HttpResponse:
    """Cohen's kappa per question and theme, and the disagreements to resolve."""
    consultation = _analysable(request, slug)
    return render(
        request,
        "consultation/analysis_agreement.html",
        {"consultation": consultation, "report": services.agreement_report(consultation)},
    )


@require_safe
def statistics(request: HttpRequest, slug: str) -> HttpResponse:
    """Counts and percentages per question, by respondent type, before publication."""
    consultation = _analysable(request, slug)
    return render(
        request,
        "consultation/analysis_statistics.html",
        {"consultation": consultation, "statistics": services.question_statistics(consultation)},
    )


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream one by one."""

    def write(self, value: str) -> str:
        return value


@require_safe
def export(request: HttpRequest, slug: str, fmt: str) -> StreamingHttpResponse:
    """CSV or JSON of every submitted response, streamed so memory stays flat."""
    consultation = _analysable(request, slug)
    if fmt not in {"csv", "json"} or not permissions.can_export(request.user, consultation):
        raise Http404
    rows = services.export_rows(consultation, by=request.user, fmt=fmt)
    filename = f"{consultation.slug}-responses.{fmt}"
    if fmt == "csv":
        writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)  # separators inside stay inside
        body: Iterator[str] = (
            writer.writerow([services.spreadsheet_safe(cell) for cell in row]) for row in rows
        )
        content_type = "text/csv; charset=utf-8"
    else:
        body = _json_lines(rows)
        content_type = "application/json"
    result = StreamingHttpResponse(body, content_type=content_type)
    result["Content-Disposition"] = f'attachment; filename="{filename}"'
    return result


def _json_lines(rows: Any) -> Iterator[str]:
    """A JSON array of objects, written one object at a time."""
    header = next(rows)
    yield "[\n"
    first = True
    for row in rows:
        yield ("" if first else ",\n") + json.dumps(dict(zip(header, row, strict=True)))
        first = False
    yield "\n]\n"


class PublishView(AnalysisMixin, ServiceFormView):
    """The secretariat publishes the summary (and with it the consented responses), once
    the consultation has closed."""

    form_class = PublishForm
    template_name = "consultation/analysis_publish.html"
    page_title = "Publish the summary of responses"
    success_message = "The summary and the consented responses are published."

    def allowed(self) -> bool:
        return permissions.can_publish(self.request.user, self.consultation)

    def get_initial(self) -> dict[str, Any]:
        return {"summary": self.consultation.summary_of_responses}

    def perform(self, form: Form) -> Consultation:
        return services.publish_summary(
            self.consultation, summary=form.cleaned_data["summary"], by=self.request.user
        )

    def get_success_url(self) -> str:
        return reverse("consultation:published", kwargs={"slug": self.consultation.slug})

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["submit_label"] = (
            "Update the published summary" if self.consultation.is_summary_published else "Publish"
        )
        context["counts"] = (
            Response.objects.filter(consultation=self.consultation)
            .submitted()
            .aggregate(
                named=Count("pk", filter=Q(publication="named")),
                anonymous=Count("pk", filter=Q(publication="anonymous")),
                withheld=Count("pk", filter=Q(publication="none")),
            )
        )
        return context


class EnterResponseView(AnalysisMixin, ServiceFormView):
    """The secretariat types in a response that arrived by email or post. Every section's
    questions are on one page, since the whole paper response is at hand."""

    form_class = OfflineResponseForm
    template_name = "consultation/analysis_enter.html"
    page_title = "Enter a response received by email or post"
    submit_label = "Enter response"

    def allowed(self) -> bool:
        return permissions.can_manage_responses(self.request.user, self.consultation)

    @cached_property
    def section_forms(self) -> list[SectionForm]:
        data = self.request.POST if self.request.method == "POST" else None
        section_forms = [
            SectionForm(
                data,
                section=section,
                questions=list(section.questions.select_related("section")),
                prefix=f"s{section.number}",
            )
            for section in self.consultation.sections.all()
        ]
        for section_form in section_forms:  # paper responses often skip questions
            for field in section_form.fields.values():
                field.required = False
        return section_forms

    def form_valid(self, form: Form) -> HttpResponse:
        if not all(section_form.is_valid() for section_form in self.section_forms):
            return self.form_invalid(form)
        return super().form_valid(form)

    def perform(self, form: Form) -> Response:
        answers: dict[int, str | list[str]] = {}
        for section_form in self.section_forms:
            answers.update(
                {
                    q.pk: section_form.cleaned_data[SectionForm.field_name(q)]
                    for q in section_form.questions
                }
            )
        response = services.enter_offline_response(
            self.consultation, answers=answers, by=self.request.user, **form.cleaned_data
        )
        self.success_message = f"Response {response.reference} is entered."
        return response

    def get_success_url(self) -> str:
        return reverse(
            "consultation:response",
            kwargs={"slug": self.consultation.slug, "reference": self.result.reference},
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["section_forms"] = self.section_forms
        context["has_errors"] = bool(context["form"].errors) or any(
            section_form.errors for section_form in self.section_forms
        )
        context["intro"] = (
            "It is analysed and exported like any other response. If it arrived after the "
            "closing day, it is marked as late."
        )
        return context
