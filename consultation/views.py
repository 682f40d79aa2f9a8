from django.views.generic import ListView

from .models import Consultation


class ConsultationListView(ListView):
    model = Consultation
    template_name = "consultation/consultation_list.html"
