from django.urls import path

from . import views

app_name = "consultation"

urlpatterns = [
    path("", views.ConsultationListView.as_view(), name="list"),
    path("<slug:slug>/", views.ConsultationDetailView.as_view(), name="detail"),
    path("<slug:slug>/responses/", views.PublishedResponsesView.as_view(), name="published"),
    # Responding (no account needed)
    path("<slug:slug>/respond/start/", views.start_response, name="start"),
    path("<slug:slug>/respond/about-you/", views.AboutYouView.as_view(), name="about-you"),
    path("<slug:slug>/respond/section/<int:number>/", views.SectionView.as_view(), name="section"),
    path("<slug:slug>/respond/check/", views.CheckAnswersView.as_view(), name="check"),
    path("<slug:slug>/respond/save/", views.SaveForLaterView.as_view(), name="save-for-later"),
    path("<slug:slug>/respond/sent/", views.confirmation, name="confirmation"),
    path("<slug:slug>/respond/new-link/", views.NewLinkView.as_view(), name="new-link"),
    path("<slug:slug>/resume/<str:token>/", views.resume, name="resume"),
    # Analysis (analysts of this consultation, and the secretariat)
    path("<slug:slug>/analysis/", views.analysis, name="analysis"),
    path("<slug:slug>/analysis/agreement/", views.agreement, name="agreement"),
    path("<slug:slug>/analysis/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/analysis/export.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/analysis/publish/", views.PublishView.as_view(), name="publish"),
    path("<slug:slug>/analysis/enter/", views.EnterResponseView.as_view(), name="enter"),
    path(
        "<slug:slug>/analysis/questions/<int:question_id>/",
        views.CodebookView.as_view(),
        name="codebook",
    ),
    path(
        "<slug:slug>/analysis/questions/<int:question_id>/campaign/",
        views.code_campaign,
        name="code-campaign",
    ),
    path("<slug:slug>/analysis/themes/<int:theme_id>/", views.theme_edit, name="theme-edit"),
    path(
        "<slug:slug>/analysis/responses/<str:reference>/",
        views.response_detail,
        name="response",
    ),
    path(
        "<slug:slug>/analysis/responses/<str:reference>/answers/<int:answer_id>/code/",
        views.code_answer,
        name="code",
    ),
    path(
        "<slug:slug>/analysis/responses/<str:reference>/answers/<int:answer_id>/redact/",
        views.redact,
        name="redact",
    ),
]
