from django.views.generic import DetailView, ListView

from .models import WorkingGroup


class WorkingGroupListView(ListView):
    queryset = WorkingGroup.objects.select_related("process").order_by("process__starts_on", "name")
    template_name = "workinggroups/workinggroup_list.html"


class WorkingGroupDetailView(DetailView):
    queryset = WorkingGroup.objects.select_related("process", "step")
    template_name = "workinggroups/workinggroup_detail.html"
