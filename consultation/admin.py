"""The secretariat builds consultations here: sections, questions, analysts.

Once a question has answers the admin goes through `services`: rewording is versioned,
and changes that would break answers (type, removed options, removal) are refused.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from policyhub.admin import HIDDEN, SiteRulesMixin, sees_everything

from . import services
from .models import (
    Analyst,
    Answer,
    AnswerReview,
    Consultation,
    Question,
    QuestionVersion,
    Redaction,
    Response,
    Section,
    Theme,
)
from .permissions import can_analyse, documents_of, responses_analysable_by, themes_visible_to


class AnalystInline(admin.TabularInline):
    model = Analyst
    extra = 0
    autocomplete_fields = ["user"]


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["number", "title"]
    show_change_link = True


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "process", "opens_at", "closes_at", "summary_published_at"]
    list_filter = ["process"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["documents"]
    readonly_fields = ["summary_published_at"]
    inlines = [SectionInline, AnalystInline]

    def get_exclude(self, request: HttpRequest, obj: Consultation | None = None) -> list[str]:
        """Outside the secretariat the documents consulted on are listed as on the
        consultation's page (`readable_documents`): a restricted or draft one is not named."""
        excluded = list(super().get_exclude(request, obj) or ())
        return excluded if sees_everything(request) else [*excluded, "documents"]

    def get_readonly_fields(self, request: HttpRequest, obj: Consultation | None = None) -> list:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly if sees_everything(request) else [*readonly, "readable_documents"]

    def get_inlines(self, request: HttpRequest, obj: Consultation | None) -> list:
        """Who analyses a consultation is for its analysts and the secretariat."""
        if obj is None or sees_everything(request) or can_analyse(request.user, obj):
            return self.inlines
        return [SectionInline]

    def get_object(self, request: HttpRequest, object_id: str, from_field=None):
        consultation = super().get_object(request, object_id, from_field)
        if consultation is not None:  # for `readable_documents`, which is not given the request
            consultation.readable = list(documents_of(request.user, consultation).only("title"))
        return consultation

    @admin.display(description="documents")
    def readable_documents(self, consultation: Consultation) -> str:
        readable = getattr(consultation, "readable", [])
        return format_html_join(", ", "{}", ((document.title,) for document in readable))

    def save_formset(self, request, form, formset, change):
        """Analyst rows go through the services, so granting access is audited."""
        if formset.model is not Analyst:
            return super().save_formset(request, form, formset, change)
        for analyst in formset.save(commit=False):
            if analyst.pk is None:
                services.assign_analyst(form.instance, user=analyst.user, by=request.user)
        for analyst in formset.deleted_objects:
            services.unassign_analyst(analyst, by=request.user)


class QuestionAdminForm(forms.ModelForm):
    """Refuses changes that would break existing answers, next to the fields."""

    class Meta:
        model = Question
        fields = [
            "section",
            "number",
            "text",
            "hint",
            "kind",
            "options",
            "max_length",
            "is_required",
        ]

    def clean(self):
        data = super().clean()
        if self.instance.pk is not None:
            problems = services.question_change_problems(
                Question.objects.get(pk=self.instance.pk),
                kind=data.get("kind", self.instance.kind),
                options=data.get("options", ""),
            )
            if problems:
                raise ValidationError(problems)
        return data


class QuestionInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.answers.exists():
                raise ValidationError(
                    f"Question {form.instance.label} has answers, so it cannot be removed."
                )


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionAdminForm
    formset = QuestionInlineFormSet
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "consultation", "number"]
    list_filter = ["consultation"]
    search_fields = ["title"]
    inlines = [QuestionInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Question:
            return super().save_formset(request, form, formset, change)
        for question in formset.save(commit=False):
            services.revise_question(question, by=request.user)
        for question in formset.deleted_objects:
            services.remove_question(question, by=request.user)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionAdminForm
    list_display = ["__str__", "section", "kind", "is_required"]
    list_filter = ["kind", "is_required", "section__consultation"]
    search_fields = ["text", "hint"]

    def save_model(self, request, obj, form, change):
        services.revise_question(obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.answers.exists():
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        try:
            services.remove_question(obj, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])


@admin.register(QuestionVersion)
class QuestionVersionAdmin(admin.ModelAdmin):
    """Read-only: earlier wordings are written by `services.revise_question`. (An add form
    here had no question to attach to, so saving it failed.)"""

    list_display = ["question", "text", "replaced_at", "replaced_by"]
    list_filter = ["question__section__consultation"]
    search_fields = ["text"]
    readonly_fields = ["question", "text", "hint", "replaced_at", "replaced_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class AnswerInline(admin.TabularInline):
    """Read-only: what a respondent sent is never edited, only redacted for publication."""

    model = Answer
    extra = 0
    fields = ["question", "text", "selected"]
    readonly_fields = ["question", "text", "selected"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(SiteRulesMixin, admin.ModelAdmin):
    """Staff view of responses. Postal and email responses are entered with their channel
    and the day they arrived; emails are shown only here, to the secretariat, never
    published. The save-and-return token (even hashed) and the entry key are nobody's to
    read."""

    secret_fields = ["resume_token_hash", "entry_key"]

    list_display = [
        "reference",
        "consultation",
        "status",
        "channel",
        "respondent_type",
        "publication",
        "is_late",
        "submitted_at",
    ]
    list_filter = ["consultation", "status", "channel", "respondent_type", "publication", "is_late"]
    search_fields = ["reference", "organisation_name", "name"]
    readonly_fields = ["save_and_return_token", "resume_token_expires_at", "entered_by"]
    inlines = [AnswerInline]

    @admin.display(description="save-and-return token")
    def save_and_return_token(self, response: Response) -> str:
        return HIDDEN

    def get_queryset(self, request: HttpRequest) -> QuerySet[Response]:
        """Responses hold personal data: a staff account sees only what it may analyse."""
        return super().get_queryset(request).filter(pk__in=responses_analysable_by(request.user))

    def has_add_permission(self, request):
        # Postal and email responses are entered on the analysis pages, through a service.
        return False


class AnalysableResponsesMixin:
    """Reviews and redactions quote or point at answers: scoped like the responses."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        visible = responses_analysable_by(request.user)
        return super().get_queryset(request).filter(answer__response__in=visible)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "question"]
    list_filter = ["question__section__consultation"]
    search_fields = ["name", "description"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Theme]:
        """A codebook is its consultation's analysts' until the summary is published."""
        visible = themes_visible_to(request.user)
        return super().get_queryset(request).filter(pk__in=visible.values("pk"))


@admin.register(AnswerReview)
class AnswerReviewAdmin(AnalysableResponsesMixin, admin.ModelAdmin):
    raw_id_fields = ["answer", "analyst"]  # a select of every answer took seconds to draw
    list_display = ["answer", "analyst", "reviewed_at"]
    list_filter = ["answer__question__section__consultation", "analyst"]
    search_fields = ["answer__response__reference"]


@admin.register(Redaction)
class RedactionAdmin(AnalysableResponsesMixin, admin.ModelAdmin):
    raw_id_fields = ["answer", "redacted_by"]  # a select of every answer took seconds to draw
    list_display = ["answer", "reason", "redacted_by", "created_at"]
    list_filter = ["reason"]
    search_fields = ["passage", "note"]
