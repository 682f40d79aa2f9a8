from django.views.generic import ListView

from .models import Meeting


class MeetingListView(ListView):
    model = Meeting
    template_name = "meetings/meeting_list.html"
