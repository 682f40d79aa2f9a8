"""Public pages of the process: home, a process's timeline, and its terms of reference."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, TemplateView

from .models import Process


class HomeView(TemplateView):
    """Introduces the process to a newcomer: every process with its current step."""

    template_name = "process/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        processes = list(Process.objects.with_steps())
        context["today"] = timezone.localdate()
        context["processes"] = processes
        context["last_updated"] = max((p.updated_at for p in processes), default=None)
        return context


class ProcessDetailView(DetailView):
    """The timeline: every step with its dates, the current one marked."""

    model = Process
    queryset = Process.objects.with_steps().prefetch_related("engagements", "consultations")
    template_name = "process/process_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        steps = list(self.object.steps.all())
        context["today"] = today
        context["steps"] = [(step, step.state(today)) for step in steps]
        context["current_step"] = self.object.current_step(today)
        context["last_updated"] = max(
            [self.object.updated_at, *(s.updated_at for s in steps)], default=None
        )
        return context


class TermsOfReferenceView(DetailView):
    model = Process
    template_name = "process/terms_of_reference.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["last_updated"] = self.object.updated_at
        return context


def _latest_process(processes: QuerySet[Process]) -> Process | None:
    """The process that started most recently: the one the site is about now."""
    return processes.order_by("-starts_on").first()


@require_safe
def about(request):
    """The footer's "About the process": the timeline of the most recent process, which says
    what it is for, its steps and how to take part."""
    process = _latest_process(Process.objects.all())
    if process is None:
        return redirect("process:home")
    return redirect(process)


@require_safe
def terms_of_reference_latest(request):
    """The footer's link: the terms of the most recent process that has them."""
    process = _latest_process(Process.objects.exclude(terms_of_reference=""))
    if process is None:
        return redirect("process:home")
    return redirect("process:terms", slug=process.slug)
