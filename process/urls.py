from django.urls import path

from policyhub.pagecache import public_page

from . import views

app_name = "process"

urlpatterns = [
    path("", public_page(views.HomeView.as_view()), name="home"),
    path("terms-of-reference/", views.terms_of_reference_latest, name="terms-latest"),
    path("processes/<slug:slug>/", public_page(views.ProcessDetailView.as_view()), name="detail"),
    path(
        "processes/<slug:slug>/terms-of-reference/",
        public_page(views.TermsOfReferenceView.as_view()),
        name="terms",
    ),
]
