from django.urls import path

from . import views

app_name = "workinggroups"

# Fixed words come before "<slug>/" so they can never be read as a group's slug.
urlpatterns = [
    path("", views.WorkingGroupListView.as_view(), name="list"),
    path("wider-issues/", views.WiderIssueListView.as_view(), name="wider-issues"),
    path(
        "wider-issues/<int:pk>/decide/",
        views.WiderIssueDecisionView.as_view(),
        name="wider-issue-decide",
    ),
    path("concerns/", views.ConcernListView.as_view(), name="concerns"),
    path("concerns/<int:pk>/", views.ConcernDetailView.as_view(), name="concern"),
    path("concerns/<int:pk>/mediators/", views.MediatorsView.as_view(), name="concern-mediators"),
    path("concerns/<int:pk>/outcome/", views.OutcomeView.as_view(), name="concern-outcome"),
    path("default-tasks/", views.DefaultTaskListView.as_view(), name="default-tasks"),
    path("default-tasks/new/", views.DefaultTaskFormView.as_view(), name="default-task-add"),
    path(
        "default-tasks/<int:pk>/edit/",
        views.DefaultTaskFormView.as_view(),
        name="default-task-edit",
    ),
    path("new/", views.WorkingGroupCreateView.as_view(), name="add"),
    path("<slug:slug>/", views.WorkingGroupDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.WorkingGroupEditView.as_view(), name="edit"),
    path(
        "<slug:slug>/members/<int:pk>/convenor/",
        views.appoint_convenor,
        name="appoint-convenor",
    ),
    path("<slug:slug>/join/", views.JoinView.as_view(), name="join"),
    path("<slug:slug>/leave/", views.LeaveView.as_view(), name="leave"),
    path("<slug:slug>/join-requests/", views.JoinRequestListView.as_view(), name="join-requests"),
    path(
        "<slug:slug>/join-requests/<int:pk>/",
        views.JoinDecisionView.as_view(),
        name="join-request-decide",
    ),
    path(
        "<slug:slug>/workplan/<int:position>/",
        views.TaskDetailView.as_view(),
        name="task",
    ),
    path(
        "<slug:slug>/workplan/<int:position>/edit/",
        views.TaskEditView.as_view(),
        name="task-edit",
    ),
    path("<slug:slug>/proposals/new/", views.ProposalCreateView.as_view(), name="proposal-add"),
    path(
        "<slug:slug>/proposals/<int:pk>/",
        views.ProposalDetailView.as_view(),
        name="proposal",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/edit/",
        views.ProposalEditView.as_view(),
        name="proposal-edit",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/status/",
        views.ProposalStatusView.as_view(),
        name="proposal-status",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/agreement/",
        views.AgreementView.as_view(),
        name="proposal-agreement",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/alternatives/new/",
        views.AlternativeFormView.as_view(),
        name="alternative-add",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/alternatives/<int:alternative>/edit/",
        views.AlternativeFormView.as_view(),
        name="alternative-edit",
    ),
    path(
        "<slug:slug>/proposals/<int:pk>/sign-off/<slug:track>/",
        views.SignOffView.as_view(),
        name="proposal-sign-off",
    ),
    path(
        "<slug:slug>/wider-issues/new/",
        views.WiderIssueCreateView.as_view(),
        name="wider-issue-add",
    ),
    path("<slug:slug>/concerns/new/", views.ConcernCreateView.as_view(), name="concern-add"),
]
