"""Builds the benchmark's dataset at a scale factor, fast (bulk_create), on the bench database.

Run by bench.run as `python -m bench.dataset SCALE`; prints JSON "facts" (slugs, ids, a
session cookie for the signed-in member) that bench.pages turns into URLs. Each app's part
is one function in BUILDERS, so the dataset grows with the product.
"""

from __future__ import annotations

import json
import os
import random
import sys
from collections.abc import Callable
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyhub.settings.production")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from documents.querysets import SEARCH_CONFIG  # noqa: E402
from policyhub.models import Sector, User  # noqa: E402
from process.models import Process, Step  # noqa: E402
from workinggroups.models import Membership, WorkingGroup  # noqa: E402

BENCH_CONSULTATION = "bench-consultation"

FULL = {
    "working_groups": 6,
    "members_per_group": 500,
    "documents": 10_000,
    "meetings": 2_000,
    "responses": 100_000,
}

# A policy vocabulary: each document draws its words from it with Zipf-like weights, so
# common words are everywhere and rare ones in few documents, as in a real archive.
VOCABULARY = """
data sharing public services safeguards research statistics fraud error debt tailored
consent trusted third party accredited researchers identified linkage evidence citizens
department agency local authority health education benefits tax records privacy transparency
oversight code practice legislation gateway power purpose specific proportionate necessary
pilot review sunset clause register publication secure environment access request agreement
controller processor impact assessment breach penalty criminal offence disclosure onward use
retention deletion anonymisation pseudonymisation aggregate microdata census survey
administrative longitudinal cohort household income employment housing energy fuel poverty
vulnerable support troubled families welfare civil registration births deaths marriages
archive national library ethics committee approval panel independent commissioner regulator
audit inspection complaint redress appeal tribunal parliament scrutiny minister secretary
consultation response working group meeting notes minutes draft proposal option
recommendation principle framework guidance standard protocol schedule annex chapter section
clause
""".split()  # noqa: SIM905 - prose reads better than a list
WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY))]
# The benchmark's search: words outside the vocabulary, in about 1 document in 100, as a
# specific term is in a real archive.
SEARCH_QUERY = "synthetic spine"


def scaled(name: str, scale: float) -> int:
    return max(1, round(FULL[name] * scale))


def build_process(scale: float, facts: dict) -> None:
    """The demo process (real steps) is the base every other builder hangs from."""
    from workinggroups.models import Proposal

    call_command("load_demo", verbosity=0)
    facts["process_slug"] = "data-sharing-2014"
    # The demo's proposals are the only ones: a published one, with its history and sign-offs.
    proposal = Proposal.objects.filter(status=Proposal.Status.PUBLISHED).order_by("pk").first()
    facts["proposal_path"] = proposal.get_absolute_url()


def build_workinggroups(scale: float, facts: dict) -> None:
    process = Process.objects.get(slug=facts["process_slug"])
    step = Step.objects.get(process=process, number=2)
    groups = [
        WorkingGroup(
            process=process,
            step=step,
            name=f"Bench working group {n}",
            slug=f"bench-group-{n}",
            purpose="Agree the purpose of data sharing in this strand.\n\n" * 5,
            status=WorkingGroup.Status.ACTIVE,
        )
        for n in range(scaled("working_groups", scale))
    ]
    WorkingGroup.objects.bulk_create(groups)
    sectors = [s for s, _ in Sector.choices]
    per_group = scaled("members_per_group", scale)
    users = [
        User(
            email=f"bench-member-{g}-{n}@example.org",
            display_name=f"Bench Member {g}-{n}",
            organisation=f"Organisation {n % 40}",
            sector=sectors[n % len(sectors)],
            password="!",  # unusable: these accounts never sign in
        )
        for g in range(len(groups))
        for n in range(per_group)
    ]
    User.objects.bulk_create(users, batch_size=2000)
    users = list(User.objects.filter(email__startswith="bench-member-").order_by("pk"))
    groups = list(WorkingGroup.objects.filter(slug__startswith="bench-group-").order_by("pk"))
    memberships = [
        Membership(
            group=groups[i // per_group],
            user=user,
            role=Membership.Role.CONVENOR if i % per_group == 0 else Membership.Role.MEMBER,
        )
        for i, user in enumerate(users)
    ]
    Membership.objects.bulk_create(memberships, batch_size=2000)
    facts["group_slug"] = groups[0].slug
    facts["member_id"] = users[1].pk


def words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=count))


def build_documents(scale: float, facts: dict) -> None:
    """Published documents, each with 1–3 versions and a text file, linked to groups and
    authors; the search vector is computed in one UPDATE, as services.refresh_search_index
    would for each document."""
    from documents.models import Document, DocumentFile, DocumentVersion, Organisation
    from documents.views import DocumentListView

    rng = random.Random(8)
    process = Process.objects.get(slug=facts["process_slug"])
    steps = list(Step.objects.filter(process=process).order_by("number"))
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"Bench organisation {n}", slug=f"bench-org-{n}") for n in range(40)]
    )
    organisations = list(Organisation.objects.filter(slug__startswith="bench-org-"))
    groups = list(WorkingGroup.objects.filter(slug__startswith="bench-group-").order_by("pk"))
    kinds = [k for k, _ in Document.Kind.choices]
    count = scaled("documents", scale)
    first_day = date(2014, 1, 6)
    documents = []
    for n in range(count):
        summary = words(rng, 25)
        body = words(rng, 400)
        if n % 100 == 7:  # the rare phrase the benchmark searches for
            body += " linked through a synthetic spine of identifiers"
        documents.append(
            Document(
                process=process,
                step=steps[n % len(steps)],
                title=f"Bench paper {n}: {words(rng, 5)}",
                slug=f"bench-paper-{n}",
                summary=summary,
                body=body,
                kind=kinds[n % len(kinds)],
                status=Document.Status.PUBLISHED,
                published_on=first_day + timedelta(days=n % 3000),
            )
        )
    Document.objects.bulk_create(documents, batch_size=1000)
    documents = list(
        Document.objects.filter(slug__startswith="bench-paper-").only("pk", "title", "summary")
    )
    DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=document,
                number=number,
                title=document.title,
                summary=document.summary,
                body=words(rng, 60),
                change_note=f"Version {number}: corrections after comments.",
            )
            for i, document in enumerate(documents)
            for number in range(1, 2 + i % 3)
        ],
        batch_size=2000,
    )
    DocumentFile.objects.bulk_create(
        [
            DocumentFile(
                document=document,
                file=f"documents/bench{document.pk:08x}",
                name=f"paper-{document.pk}.csv",
                file_type="csv",
                size=20_000 + document.pk,
                text=words(rng, 80),
            )
            for document in documents
        ],
        batch_size=2000,
    )
    through = Document.organisations.through
    through.objects.bulk_create(
        [
            through(document_id=d.pk, organisation_id=organisations[i % len(organisations)].pk)
            for i, d in enumerate(documents)
        ],
        batch_size=5000,
    )
    group_through = Document.working_groups.through
    group_through.objects.bulk_create(
        [
            group_through(document_id=d.pk, workinggroup_id=groups[i % len(groups)].pk)
            for i, d in enumerate(documents)
            if i % 4 == 0
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE documents_document d SET search_vector =
                setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(d.title, '')), 'A')
                || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(d.summary, '')), 'B')
                || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce(d.body, '')), 'C')
                || setweight(to_tsvector('{SEARCH_CONFIG}', coalesce((
                    SELECT string_agg(f.text, E'\n') FROM documents_documentfile f
                    WHERE f.document_id = d.id), '')), 'D')
            """
        )
    facts["document_slug"] = documents[len(documents) // 2].slug
    # Document i has 1 + i % 3 versions: compare the first and third of one in the middle.
    compared = documents[len(documents) // 2 // 3 * 3 + 2]
    facts["compare_path"] = f"/documents/{compared.slug}/compare/1...3/"
    facts["documents"] = len(documents)
    facts["documents_page_size"] = DocumentListView.paginate_by
    facts["document_kind"] = "evidence"
    facts["search_query"] = SEARCH_QUERY


def build_meetings(scale: float, facts: dict) -> None:
    """Three quarters past (with published notes and an attendance record), a quarter to
    come (with registrations), spread over the working groups and the whole process."""
    from meetings.models import Attendee, Meeting, Notes, NotesVersion, Region, Registration

    process = Process.objects.get(slug=facts["process_slug"])
    groups = list(WorkingGroup.objects.filter(slug__startswith="bench-group-").order_by("pk"))
    members = {
        group.pk: list(
            User.objects.filter(memberships__group=group)
            .order_by("pk")
            .values_list("pk", "display_name", "organisation")
        )
        for group in groups
    }
    regions = [r for r, _ in Region.choices]
    count = scaled("meetings", scale)
    past = count * 3 // 4
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    meetings = []
    for n in range(count):
        # Past meetings every ~half day back from yesterday; upcoming ones every ~half day on.
        offset = (
            -timedelta(hours=12 * (past - n) + 24)
            if n < past
            else timedelta(hours=12 * (n - past) + 24)
        )
        starts = now + offset
        group = groups[n % len(groups)] if n % 7 else None
        meetings.append(
            Meeting(
                process=process,
                working_group=group,
                title=f"Bench meeting {n}",
                purpose="Discuss the options paper and agree next steps.\n\n* Item one\n* Item two",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                venue=f"Venue {n % 30}",
                region=regions[n % len(regions)],
                joining_link=f"https://meet.example.org/bench-{n}",
                capacity=40,
                announced_at=starts - timedelta(days=21),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=1000)
    meetings = list(
        Meeting.objects.filter(title__startswith="Bench meeting ").order_by("starts_at")
    )
    held, coming = meetings[:past], meetings[past:]
    notes = Notes.objects.bulk_create(
        [
            Notes(
                meeting=m,
                summary="The group discussed the options paper.",
                discussion_points="Scope of the power\nSafeguards\nReview clause",
                decisions="Agreed to draft the code of practice.",
            )
            for m in held
        ],
        batch_size=1000,
    )
    notes = list(Notes.objects.filter(meeting__in=held).select_related("meeting"))
    attendees, versions = [], []
    for note in notes:
        group_id = note.meeting.working_group_id or groups[0].pk
        people = members[group_id][note.pk % 50 :][:12]
        record = []
        for i, (pk, name, organisation) in enumerate(people):
            mode = ["in_person", "remote", "apologies"][i % 3]
            attendees.append(
                Attendee(notes=note, user_id=pk, name=name, organisation=organisation, mode=mode)
            )
            record.append({"name": name, "organisation": organisation, "mode": mode})
        versions.append(
            NotesVersion(
                notes=note,
                number=1,
                summary=note.summary,
                discussion_points=note.discussion_points,
                decisions=note.decisions,
                attendees=record,
                published_at=note.meeting.ends_at + timedelta(days=3),
            )
        )
    Attendee.objects.bulk_create(attendees, batch_size=5000)
    NotesVersion.objects.bulk_create(versions, batch_size=2000)
    registrations = []
    for m in coming:
        group_id = m.working_group_id or groups[0].pk
        for i, (pk, _, _) in enumerate(members[group_id][m.pk % 100 :][:20]):
            registrations.append(
                Registration(meeting=m, user_id=pk, mode="in_person" if i % 2 else "remote")
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    facts["meeting_with_notes_id"] = held[-1].pk


def build_consultation(scale: float, facts: dict) -> None:
    """An open consultation (two proposals, an agreement scale and a free-text question
    each) with its responses, an analyst, and a respondent part-way through."""
    from consultation.models import Analyst, Answer, Consultation, Question, Response, Section

    rng = random.Random(6)
    process = Process.objects.get(slug=facts["process_slug"])
    now = timezone.now()
    consultation = Consultation.objects.create(
        process=process,
        title="Bench consultation on data sharing",
        slug=BENCH_CONSULTATION,
        summary="We want your views on **three** proposals.",
        opens_at=now - timedelta(days=60),
        closes_at=now + timedelta(days=30),
        run_by="Cabinet Office",
    )
    questions = []
    for number in (1, 2):
        section = Section.objects.create(
            consultation=consultation, number=number, title=f"Proposal {number}",
            introduction="The proposal would create a permissive power.",
        )  # fmt: skip
        questions += [
            Question.objects.create(
                section=section,
                number=1,
                text="Do you agree with the proposal?",
                kind="agreement_scale",
                is_required=True,
            ),  # fmt: skip
            Question.objects.create(
                section=section,
                number=2,
                text="Which safeguards would you want?",
                kind="free_text",
                max_length=2000,
            ),  # fmt: skip
        ]
    scale_values = [value for value, _ in Question.SCALE]
    count = scaled("responses", scale)
    batch = 10_000
    for first in range(0, count, batch):
        rows = Response.objects.bulk_create(
            [
                Response(
                    consultation=consultation,
                    reference=f"BENCH{n:07d}",
                    status=Response.Status.SUBMITTED,
                    respondent_type="individual",
                    name=f"Respondent {n}",
                    email=f"respondent{n}@example.org" if n % 3 == 0 else "",
                    publication=["named", "anonymous", "none"][n % 3],
                    submitted_at=now - timedelta(seconds=(count - n) * 40),
                )
                for n in range(first, min(count, first + batch))
            ]
        )
        Answer.objects.bulk_create(
            [
                Answer(
                    response=r,
                    question=q,
                    selected=[rng.choice(scale_values)] if q.kind == "agreement_scale" else [],
                    text="" if q.kind == "agreement_scale" else words(rng, rng.randint(5, 60)),
                )
                for r in rows
                for q in questions
            ],
            batch_size=10_000,
        )
    analyst = User.objects.create(
        email="bench-analyst@example.org", display_name="Bench Analyst", password="!"
    )
    Analyst.objects.create(consultation=consultation, user=analyst)
    draft = Response.objects.create(consultation=consultation, reference="BENCHDRAFT")
    facts["consultation_slug"] = consultation.slug
    facts["analyst_id"] = analyst.pk
    facts["draft_response_id"] = draft.pk
    facts["section_one_fields"] = {
        f"q{q.pk}": ("Agree" if q.kind == "agreement_scale" else "Independent oversight.")
        for q in questions
        if q.section.number == 1
    }
    facts["questions"] = [
        {"field": f"q{q.pk}", "section": q.section.number, "kind": q.kind} for q in questions
    ]


BUILDERS: list[Callable[[float, dict], None]] = [
    build_process,
    build_workinggroups,
    build_documents,
    build_meetings,
    build_consultation,
]


def member_session(user_id: int | None, **data) -> str:
    """A real session (signed in when `user_id` is given), without a password round trip."""
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    if user_id is not None:
        user = User.objects.get(pk=user_id)
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.update(data)
    store.set_expiry(timedelta(days=1))
    store.save()
    return store.session_key


def main() -> None:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    facts: dict = {"scale": scale, "built_on": date.today().isoformat()}
    with transaction.atomic():
        for build in BUILDERS:
            build(scale, facts)
    facts["member_session"] = member_session(facts["member_id"])
    facts["analyst_session"] = member_session(facts["analyst_id"])
    # A respondent part-way through: the session holds their draft, as the journey leaves it.
    facts["respondent_session"] = member_session(
        None, consultation_drafts={facts["consultation_slug"]: facts["draft_response_id"]}
    )
    # The CSRF secret the benchmark's POSTs carry in the cookie and in the header.
    facts["csrf_token"] = get_random_string(32)
    json.dump(facts, sys.stdout)


if __name__ == "__main__":
    main()
