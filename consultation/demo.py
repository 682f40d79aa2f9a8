"""Demo consultations: the seed's "Better Use of Data in Government" consultation (29 February
to 22 April 2016) with generated responses, analysts of a fictional External Advisory Group,
their coding and a published summary; and one consultation open now, to try responding.

Idempotent: rows are upserted on natural keys, and generated responses are created (with
bulk_create, so loading stays fast) only when the consultation has none. Rows carry the dates
they were written in 2016; the open consultation belongs to the practice process, whose dates
follow today's.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from documents.models import Document
from policyhub.demodata import days_from_today, upsert
from policyhub.models import Sector
from process.demo import PRACTICE
from process.models import Process

from .models import Analyst, Answer, AnswerReview, Consultation, Question, Response, Section, Theme

LONDON = ZoneInfo("Europe/London")
SLUG = "better-use-of-data-in-government"
ANALYST_PASSWORD = "demo-analyst-2016"

SUMMARY = """\
The government proposes new powers to share personal data between public bodies for six
purposes, each with safeguards. The proposals were developed in the open with civil society
organisations and experts through the data sharing open policy process.

We want to know whether you agree with each proposal, and what safeguards should apply.
"""

OTHER_WAYS = """\
Email your response to **datasharing@demo.policyhub.test**, or post it to:
Data Sharing Policy Team, Cabinet Office, 1 Horse Guards Road, London SW1A 2HQ.

Responses by email or post are entered by the secretariat and analysed with all the others.
"""

PRIVACY = """\
The Cabinet Office holds responses to analyse them and to publish a summary. Responses are
published only as their authors choose: with their name or organisation, anonymously, or not
at all. Email addresses are used only for receipts and save-and-return links and are never
published.
"""

CONTACT = "datasharing@demo.policyhub.test"

LATE_POLICY = "Late responses are not accepted. If you have a good reason, email the team."

PUBLISHED_SUMMARY = """\
We received responses from individuals and organisations across the UK. Most respondents
supported the proposals on research and statistics and on fuel poverty, provided strong
safeguards apply. Views on debt and fraud were more divided.

The External Advisory Group, drawn from civil society and academia, reviewed how responses
were coded and recommended that free-text answers be double-coded and the agreement between
analysts reported. Their recommendations were adopted.
"""

# (title, introduction, free-text safeguard prompt, campaign text or None)
SECTIONS = [
    (
        "Improving public services",
        "A power for specified public bodies to share data to improve the welfare of "
        "individuals and families, for example through the Troubled Families programme.",
    ),
    (
        "Tackling fraud against the public sector",
        "A power to share data to prevent, detect and prosecute fraud against the public "
        "sector, piloted for three years and then reviewed.",
    ),
    (
        "Better management of debt owed to the public sector",
        "A power to share data to identify and manage debt owed to government, and to help "
        "people in financial difficulty.",
    ),
    (
        "Providing assistance to citizens living in fuel poverty",
        "A power to share data so that energy suppliers can automatically give help to "
        "households living in fuel poverty.",
    ),
    (
        "Access to civil registration data",
        "A power for civil registration officials to share birth, death and marriage "
        "information with public bodies to help them fulfil their functions.",
    ),
    (
        "Research and official statistics",
        "A power to share de-identified data for research in the public interest, and to "
        "give the UK Statistics Authority access to data for official statistics.",
    ),
]

CAMPAIGN_TEXT = (
    "I do not consent to my personal data being shared without my knowledge. Any data "
    "sharing must be transparent, limited to the stated purpose and subject to independent "
    "oversight."
)

# Near-identical: the campaign text with a few words changed, grouped with it for coding.
CAMPAIGN_VARIANT = CAMPAIGN_TEXT.replace("must be transparent", "must always be transparent")

FREE_TEXT_SAMPLES = [
    "The proposal is reasonable if there is a clear public register of every data share.",
    "People should be told when their data is shared and be able to object.",
    "Independent oversight by the Information Commissioner is essential.",
    "I worry that data shared for one purpose will be reused for another.",
    "Data should be de-identified wherever possible and kept only as long as needed.",
    "Strong penalties for misuse would give the public more confidence.",
    "This will help vulnerable families get support earlier.",
    "The codes of practice must be statutory, not voluntary.",
    "A sunset clause and a review after three years would be sensible.",
    "Small charities need guidance, not just powers, to take part safely.",
]

THEMES = [
    "Transparency",
    "Independent oversight",
    "Purpose limitation",
    "Support for the proposal",
    "Public trust",
]

ORGANISATIONS = [
    "Northfield Citizens Advice",
    "Open Rights Network (demo)",
    "Warm Homes Alliance",
    "Riverside Borough Council",
    "Centre for Data Ethics Studies",
    "Families First Trust",
    "Statistics Users Forum (demo)",
    "Privacy Matters UK (demo)",
]

ANALYSTS = [
    ("eag.analyst1@demo.policyhub.test", "Dr Ruth Adeyemi", "University of Bristol (demo)"),
    ("eag.analyst2@demo.policyhub.test", "Marcus Lindqvist", "Civic Data Trust (demo)"),
]

RESPONSE_COUNT = 320
CAMPAIGN_SIZE = 45


def _london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


# The consultation was written the week before it opened on 29 February 2016.
WRITTEN = _london(2016, 2, 22, 10, 0)


def load() -> None:
    process = Process.objects.get(slug="data-sharing-reconvened-2016")
    consultation = upsert(
        Consultation,
        {"slug": SLUG},
        {
            "process": process,
            "title": "Better Use of Data in Government",
            "summary": SUMMARY,
            "opens_at": _london(2016, 2, 29, 9, 0),
            "closes_at": _london(2016, 4, 22, 23, 59),
            "run_by": "Cabinet Office",
            "contact_email": CONTACT,
            "other_ways_to_respond": OTHER_WAYS,
            "privacy_notice": PRIVACY,
            "late_response_policy": LATE_POLICY,
            "summary_of_responses": PUBLISHED_SUMMARY,
            "summary_published_at": _london(2016, 9, 15, 9, 30),
        },
        dated=WRITTEN,
        updated=_london(2016, 9, 15, 9, 30),
    )
    _link_documents(consultation)
    questions = _load_questions(consultation, WRITTEN)
    analysts = _load_analysts(consultation)
    _load_themes(questions)
    if not consultation.responses.exists():
        _generate_responses(consultation, questions, analysts)
    # Last changed when submitted (bulk_create stamps updated_at with the load time).
    consultation.responses.filter(reference__startswith="BUD-").exclude(
        updated_at=F("created_at")
    ).update(updated_at=F("created_at"))
    _load_open_consultation(Process.objects.get(slug=PRACTICE))


def _link_documents(consultation: Consultation) -> None:
    """Link the consultation document if the documents app's demo has one."""
    matching = Document.objects.filter(title__icontains="better use of data")
    missing = matching.exclude(pk__in=consultation.documents.values("pk"))
    if missing.exists():
        consultation.documents.add(*missing)


def _load_questions(consultation: Consultation, written: datetime) -> list[Question]:
    questions = []
    for number, (title, introduction) in enumerate(SECTIONS, start=1):
        section = upsert(
            Section,
            {"consultation": consultation, "number": number},
            {"title": title, "introduction": introduction},
            dated=written,
        )
        specs = [
            (
                1,
                f"Do you agree with the proposal on {title[0].lower()}{title[1:]}?",
                "",
                Question.Kind.AGREEMENT_SCALE,
                "",
                True,
            ),
            (
                2,
                "What safeguards should apply to this proposal?",
                "For example oversight, transparency, time limits or penalties for misuse.",
                Question.Kind.FREE_TEXT,
                "",
                False,
            ),
        ]
        if number == 1:
            specs.append(
                (
                    3,
                    "Which public bodies should be able to use this power?",
                    "Select all that apply.",
                    Question.Kind.MULTIPLE_CHOICE,
                    "Local authorities\nNHS bodies\nPolice\nSchools\nCharities delivering "
                    "public services",
                    False,
                )
            )
        if number == 6:
            specs.append(
                (
                    3,
                    "Should accredited researchers be able to link de-identified data?",
                    "",
                    Question.Kind.SINGLE_CHOICE,
                    "Yes\nYes, with ethics approval only\nNo\nNot sure",
                    False,
                )
            )
        for q_number, text, hint, kind, options, required in specs:
            questions.append(
                upsert(
                    Question,
                    {"section": section, "number": q_number},
                    {
                        "text": text,
                        "hint": hint,
                        "kind": kind,
                        "options": options,
                        "max_length": 2000,
                        "is_required": required,
                    },
                    dated=written,
                )
            )
    return questions


def _load_analysts(consultation: Consultation) -> list:
    user_model = get_user_model()
    users = []
    for email, name, organisation in ANALYSTS:
        user, created = user_model.objects.get_or_create(
            email=email,
            defaults={"display_name": name, "organisation": organisation, "sector": Sector.EXPERT},
        )
        if created:
            user.set_password(ANALYST_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Analyst.objects.get_or_create(consultation=consultation, user=user)
        users.append(user)
    return users


def _load_themes(questions: list[Question]) -> None:
    """The analysts agreed their themes before coding began in May 2016."""
    for question in questions:
        if question.kind == Question.Kind.FREE_TEXT:
            for name in THEMES:
                upsert(Theme, {"question": question, "name": name}, {}, dated=answer_time(0))


def _generate_responses(consultation: Consultation, questions: list[Question], analysts) -> None:
    """A few hundred responses spread over the eight weeks, with a campaign group."""
    rng = random.Random(2016)
    start, end = consultation.opens_at, consultation.closes_at
    span = (end - start).total_seconds()
    responses = []
    for i in range(RESPONSE_COUNT):
        is_org = rng.random() < 0.25
        submitted = start + timedelta(seconds=int(span * (i + rng.random()) / RESPONSE_COUNT))
        responses.append(
            Response(
                consultation=consultation,
                reference=f"BUD-{i + 1:04d}",
                status=Response.Status.SUBMITTED,
                channel=Response.Channel.POST if i % 40 == 7 else Response.Channel.ONLINE,
                received_on=timezone.localtime(submitted).date() if i % 40 == 7 else None,
                respondent_type="organisation" if is_org else "individual",
                name=f"Respondent {i + 1}",
                organisation_name=rng.choice(ORGANISATIONS) if is_org else "",
                publication=rng.choices(["named", "anonymous", "none"], [5, 3, 2])[0],
                submitted_at=submitted,
                created_at=submitted,
            )
        )
    responses = Response.objects.bulk_create(responses)
    if responses[0].pk is None:  # backends that do not return ids
        responses = list(consultation.responses.order_by("reference"))
    scale = [value for value, _ in Question.SCALE]
    answers = []
    campaign = set(range(20, 20 + CAMPAIGN_SIZE))
    section_of = {q.pk: q.section.number for q in questions}
    for i, response in enumerate(responses):
        for question in questions:
            if question.kind == Question.Kind.AGREEMENT_SCALE:
                answers.append(
                    Answer(response=response, question=question, selected=[rng.choice(scale)])
                )
            elif question.kind == Question.Kind.FREE_TEXT:
                if i in campaign and section_of[question.pk] == 6:
                    text = [CAMPAIGN_TEXT, CAMPAIGN_TEXT.upper(), CAMPAIGN_VARIANT][i % 3]
                elif rng.random() < 0.6:
                    text = rng.choice(FREE_TEXT_SAMPLES)
                else:
                    continue
                answers.append(Answer(response=response, question=question, text=text))
            elif question.kind == Question.Kind.MULTIPLE_CHOICE:
                options = [value for value, _ in question.choices()]
                picked = rng.sample(options, rng.randint(1, 3))
                answers.append(Answer(response=response, question=question, selected=picked))
            else:
                options = [value for value, _ in question.choices()]
                answers.append(
                    Answer(response=response, question=question, selected=[rng.choice(options)])
                )
    Answer.objects.bulk_create(answers, batch_size=1000)
    _generate_coding(consultation, analysts, rng)


def _generate_coding(consultation: Consultation, analysts, rng: random.Random) -> None:
    """The first analyst codes the first 80 answers to each safeguards question; the
    second codes half of those again, mostly agreeing, so agreement can be measured."""
    first, second = analysts
    free_text = Question.objects.filter(
        section__consultation=consultation, kind=Question.Kind.FREE_TEXT
    )
    themes_by_question = {}
    for theme in Theme.objects.filter(question__in=free_text):
        themes_by_question.setdefault(theme.question_id, []).append(theme)
    reviews, picks = [], []
    for question in free_text:
        themes = themes_by_question.get(question.pk, [])
        for n, answer in enumerate(
            Answer.objects.filter(question=question).exclude(text="").order_by("pk")[:80]
        ):
            chosen = rng.sample(themes, rng.randint(1, 2))
            reviews.append(AnswerReview(answer=answer, analyst=first, reviewed_at=answer_time(n)))
            picks.append(chosen)
            if n % 2 == 0:
                other = chosen if rng.random() < 0.75 else rng.sample(themes, 1)
                reviews.append(
                    AnswerReview(answer=answer, analyst=second, reviewed_at=answer_time(n + 1))
                )
                picks.append(other)
    reviews = AnswerReview.objects.bulk_create(reviews)
    if reviews and reviews[0].pk is None:
        reviews = list(AnswerReview.objects.filter(answer__question__in=free_text).order_by("pk"))
    through = AnswerReview.themes.through
    through.objects.bulk_create(
        [
            through(answerreview_id=review.pk, theme_id=theme.pk)
            for review, chosen in zip(reviews, picks, strict=True)
            for theme in chosen
        ],
        batch_size=1000,
    )


def answer_time(n: int) -> datetime:
    """Coding happened in May 2016, after the consultation closed."""
    return _london(2016, 5, 3, 10, 0) + timedelta(minutes=7 * n)


def _load_open_consultation(process: Process) -> None:
    """Open now, whatever today is, so a newcomer can try responding. Dates are derived
    from today's date (not the current second), so reloading on one day changes nothing."""
    today = timezone.localdate()
    written = days_from_today(-8)
    opens = datetime.combine(today - timedelta(days=7), time(9, 0), tzinfo=LONDON)
    closes = datetime.combine(today + timedelta(days=42), time(23, 59), tzinfo=LONDON)
    consultation = upsert(
        Consultation,
        {"slug": "wider-issues-for-the-next-process"},
        {
            "process": process,
            "title": "Wider issues for the next open policy process (demo)",
            "summary": (
                "Working groups collected wider issues that were out of scope for data "
                "sharing. Tell us which the next open policy process should take on. "
                "This demo consultation is always open so you can try responding."
            ),
            "opens_at": opens,
            "closes_at": closes,
            "run_by": "Involve and the Cabinet Office",
            "contact_email": CONTACT,
            "privacy_notice": PRIVACY,
        },
        dated=written,
    )
    section = upsert(
        Section,
        {"consultation": consultation, "number": 1},
        {"title": "Wider issues", "introduction": "Two short questions."},
        dated=written,
    )
    upsert(
        Question,
        {"section": section, "number": 1},
        {
            "text": "Which wider issue should the next process look at first?",
            "hint": "",
            "kind": Question.Kind.SINGLE_CHOICE,
            "options": "Data ethics\nOpen data and transparency\nAlgorithmic decisions\n"
            "Data skills in government",
            "max_length": 2000,
            "is_required": True,
        },
        dated=written,
    )
    upsert(
        Question,
        {"section": section, "number": 2},
        {
            "text": "Why does it matter to you?",
            "hint": "In 1000 characters or fewer.",
            "kind": Question.Kind.FREE_TEXT,
            "options": "",
            "max_length": 1000,
            "is_required": False,
        },
        dated=written,
    )
    upsert(
        Section,
        {"consultation": consultation, "number": 2},
        {"title": "Taking part", "introduction": ""},
        dated=written,
    )
    upsert(
        Question,
        {"section": Section.objects.get(consultation=consultation, number=2), "number": 1},
        {
            "text": "Taking part in open policy making is worth the time it takes.",
            "hint": "",
            "kind": Question.Kind.AGREEMENT_SCALE,
            "options": "",
            "max_length": 2000,
            "is_required": False,
        },
        dated=written,
    )
