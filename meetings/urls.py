from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.MeetingListView.as_view(), name="list"),
    path("past/", views.MeetingListView.as_view(past=True), name="past"),
    path("new/", views.ScheduleMeetingView.as_view(), name="schedule"),
    path("calendar.ics", views.public_ics, name="calendar"),
    path("calendar/", views.CalendarFeedView.as_view(), name="calendar_feed"),
    path("calendar/new/", views.calendar_feed_create, name="calendar_feed_create"),
    path("calendar/<str:token>.ics", views.private_ics, name="private_calendar"),
    path("groups/<slug:slug>/calendar.ics", views.group_ics, name="group_calendar"),
    path("reminders/stop/<str:token>/", views.stop_reminders, name="stop_reminders"),
    path("reminders/restart/", views.restart_reminders, name="restart_reminders"),
    path("<int:pk>/", views.MeetingDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EditMeetingView.as_view(), name="edit"),
    path("<int:pk>/cancel/", views.CancelMeetingView.as_view(), name="cancel"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/calendar.ics", views.meeting_ics, name="meeting_calendar"),
    path("<int:pk>/notes/", views.notes_view, name="notes"),
    path("<int:pk>/notes/edit/", views.NotesEditView.as_view(), name="notes_edit"),
    path("<int:pk>/notes/start/", views.notes_start, name="notes_start"),
    path("<int:pk>/notes/publish/", views.notes_publish, name="notes_publish"),
    path("<int:pk>/notes/override/", views.notes_override, name="notes_override"),
    path(
        "<int:pk>/notes/versions/<int:number>/withdraw/",
        views.WithdrawNotesView.as_view(),
        name="notes_withdraw",
    ),
    path("<int:pk>/notes/attendees/", views.attendee_add, name="attendee_add"),
    path(
        "<int:pk>/notes/attendees/<int:attendee_pk>/remove/",
        views.attendee_remove,
        name="attendee_remove",
    ),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("<int:pk>/actions/<int:action_pk>/remove/", views.action_remove, name="action_remove"),
]
