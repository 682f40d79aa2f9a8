"""Every write about meetings that matters, by concern: scheduling (announce, change,
cancel, notice), registration (attend, withdraw, waiting list), notes (the Chatham House
Rule, attendance, publishing and withdrawing versions, actions), reminders (the sweep,
delivery exactly once, the one-click stop) and calendar feeds (each person's private
address).

Each service is atomic, takes the actor keyword-only, raises ValidationError with a sentence a
person can act on, and writes an audit entry when it changes what is published or who is in.
Callers use the package (`services.register(...)`), so a service can move between modules
without them noticing.
"""

from .calendar_feeds import calendar_token_for, revoke_calendar_token
from .notes import (
    CheckedFinding,
    add_action,
    add_attendee,
    check_notes,
    override_finding,
    publish_notes,
    remove_action,
    remove_attendee,
    save_notes,
    set_action_status,
    start_notes,
    withdraw_notes_version,
)
from .registration import register, withdraw
from .reminders import (
    NOTES_REMINDER_DAYS,
    REMINDER_BATCH,
    SKIPPED,
    STOP_REMINDERS_SALT,
    deliver_reminders,
    due_reminders,
    queue_due_reminders,
    reminder_lease,
    reminder_message_id,
    restart_reminders,
    send_due_reminders,
    stop_reminders,
    stop_reminders_token,
    user_for_stop_token,
)
from .scheduling import cancel_meeting, schedule_meeting, update_meeting
from .your_data import forget_person, your_data

__all__ = [
    "NOTES_REMINDER_DAYS",
    "REMINDER_BATCH",
    "SKIPPED",
    "STOP_REMINDERS_SALT",
    "CheckedFinding",
    "add_action",
    "add_attendee",
    "calendar_token_for",
    "cancel_meeting",
    "check_notes",
    "deliver_reminders",
    "due_reminders",
    "forget_person",
    "override_finding",
    "publish_notes",
    "queue_due_reminders",
    "register",
    "reminder_lease",
    "reminder_message_id",
    "remove_action",
    "remove_attendee",
    "restart_reminders",
    "revoke_calendar_token",
    "save_notes",
    "schedule_meeting",
    "send_due_reminders",
    "set_action_status",
    "start_notes",
    "stop_reminders",
    "stop_reminders_token",
    "update_meeting",
    "user_for_stop_token",
    "withdraw",
    "withdraw_notes_version",
    "your_data",
]
