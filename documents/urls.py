from django.urls import path
from django.views.decorators.http import require_safe

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.DocumentListView.as_view(), name="list"),
    path("new/", views.DocumentCreateView.as_view(), name="create"),
    path("restricted/", views.RestrictionRegisterView.as_view(), name="register"),
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
    path("feed/", require_safe(views.LatestDocumentsFeed()), name="feed"),
    # Evidence for a working group's workplan: "workplan" is a reserved web address.
    path(
        "workplan/<slug:slug>/<int:position>/evidence/",
        views.AddEvidenceView.as_view(),
        name="add-evidence",
    ),
    path(
        "workplan/<slug:slug>/<int:position>/evidence/<int:pk>/remove/",
        views.remove_evidence,
        name="remove-evidence",
    ),
    path("<slug:slug>/", views.DocumentDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.DocumentUpdateView.as_view(), name="edit"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/withdraw/", views.WithdrawView.as_view(), name="withdraw"),
    path("<slug:slug>/files/new/", views.AddFileView.as_view(), name="add-file"),
    path("<slug:slug>/files/<int:pk>/remove/", views.remove_file, name="remove-file"),
    path("<slug:slug>/files/<int:pk>/<str:filename>", views.download_file, name="download"),
    path("<slug:slug>/versions/<int:number>/", views.version_detail, name="version"),
    path(
        "<slug:slug>/compare/<int:older>...<int:newer>/",
        views.compare_versions,
        name="compare",
    ),
    path("<slug:slug>/restrict/", views.RestrictView.as_view(), name="restrict"),
    path("<slug:slug>/lift-restriction/", views.LiftView.as_view(), name="lift"),
    path("<slug:slug>/review-restriction/", views.ReviewView.as_view(), name="review"),
    path("<slug:slug>/sharing/", views.ShareView.as_view(), name="share"),
]
