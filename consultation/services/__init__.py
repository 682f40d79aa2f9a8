"""Every write that matters in a consultation, as domain verbs, one module per concern:

- `responses`: a respondent's draft from "Start now" to "Send", save-and-return links, and
  responses entered from email or post;
- `limits`: ceilings per network and per email address;
- `building`: analysts and questions, set up by the secretariat;
- `analysis`: themes, coding, campaigns, agreement, statistics, redaction and publication;
- `export`: every submitted response as CSV or JSON;
- `retention`: forgetting contact details once they are no longer needed;
- `your_data`: what a person's download holds from consultations.

Callers use the package (`from consultation import services; services.submit_response(...)`),
so a service can move between modules without any caller changing.
"""

from .analysis import (
    add_theme,
    agreement_report,
    campaign_groups,
    code_answer,
    code_campaign_group,
    cohen_kappa,
    normalise_text,
    public_text,
    publish_summary,
    question_statistics,
    redact_passage,
    remove_theme,
    rename_theme,
)
from .building import (
    assign_analyst,
    question_change_problems,
    remove_question,
    revise_question,
    unassign_analyst,
)
from .export import export_rows, spreadsheet_safe
from .limits import check_resume_link_rate, check_start_rate, check_submission_rate
from .responses import (
    LinkExpired,
    LinkNotValid,
    answer_too_long,
    check_received_on,
    continue_url,
    ensure_accepts_responses,
    enter_offline_response,
    hash_token,
    holds_draft,
    issue_resume_link,
    journey,
    new_holder_key,
    new_reference,
    open_resume_link,
    problems_before_submission,
    resume_link_expiry,
    save_about_you,
    save_section_answers,
    send_new_resume_link,
    send_receipt,
    send_resume_link,
    start_response,
    submit_response,
    unstarted_sections,
)
from .retention import remove_expired_personal_data
from .your_data import your_data

__all__ = [
    "LinkExpired",
    "LinkNotValid",
    "add_theme",
    "agreement_report",
    "answer_too_long",
    "assign_analyst",
    "campaign_groups",
    "check_received_on",
    "check_resume_link_rate",
    "check_start_rate",
    "check_submission_rate",
    "code_answer",
    "code_campaign_group",
    "cohen_kappa",
    "continue_url",
    "ensure_accepts_responses",
    "enter_offline_response",
    "export_rows",
    "hash_token",
    "holds_draft",
    "issue_resume_link",
    "journey",
    "new_holder_key",
    "new_reference",
    "normalise_text",
    "open_resume_link",
    "problems_before_submission",
    "public_text",
    "publish_summary",
    "question_change_problems",
    "question_statistics",
    "redact_passage",
    "remove_expired_personal_data",
    "remove_question",
    "remove_theme",
    "rename_theme",
    "resume_link_expiry",
    "revise_question",
    "save_about_you",
    "save_section_answers",
    "send_new_resume_link",
    "send_receipt",
    "send_resume_link",
    "spreadsheet_safe",
    "start_response",
    "submit_response",
    "unassign_analyst",
    "unstarted_sections",
    "your_data",
]
