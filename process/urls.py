from django.urls import path

from . import views

app_name = "process"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.about, name="about"),
    path("terms-of-reference/", views.terms_of_reference_latest, name="terms-latest"),
    path("processes/<slug:slug>/", views.ProcessDetailView.as_view(), name="detail"),
    path(
        "processes/<slug:slug>/terms-of-reference/",
        views.TermsOfReferenceView.as_view(),
        name="terms",
    ),
]
