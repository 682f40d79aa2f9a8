from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("", views.ConsultationListView.as_view(), name="list"),
]
