from django.views.generic import ListView

from .models import Document


class DocumentListView(ListView):
    model = Document
    template_name = "documents/document_list.html"
