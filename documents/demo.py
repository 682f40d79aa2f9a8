"""Demo documents from the seed: the planning meeting note, the terms of reference, working
papers per strand, the interim and joint policy papers, the White Paper, the Better Use of
Data in Government consultation document and the External Advisory Group report; with
versions, small files made here in code, two restricted documents with their case, and the
evidence the groups cited for agreeing their scope.

Idempotent: rows are looked up by natural keys and written only when they differ. Rows carry
the dates they were published, and each restriction (and the sharing that goes with one) has
the access log entry its service would have written.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from meetings.models import Meeting
from policyhub import audit
from policyhub.demodata import date_row, on, upsert
from policyhub.models import AuditEntry
from process.demo import TERMS_OF_REFERENCE
from process.models import Process, Step
from workinggroups.models import Task, WorkingGroup

from .models import Document, DocumentFile, DocumentVersion, Evidence, Organisation, Restriction
from .services import refresh_search_index

ORGANISATIONS = [
    ("cabinet-office", "Cabinet Office"),
    ("involve", "Involve"),
    ("civil-society-network", "Data sharing civil society network"),
    ("external-advisory-group", "External Advisory Group"),
]

PLANNING_NOTE = """\
## Who attended

Representatives of government departments, civil society organisations and independent experts
(a list of attendees is kept with the meeting record; no comment is attributed to anyone).

## What was agreed

- The process will be open: anybody with the interest and expertise may take part.
- Three working groups will start: Research & Statistics; Fraud, Error & Debt; and Tailored
  Public Services for Individuals.
- Each group will first agree the purpose of data sharing in its strand, then review the
  evidence of barriers, risks and public views.
- Draft terms of reference will be circulated for comment and agreed at the next meeting.

## Next steps

Involve will invite civil society organisations and experts; the Cabinet Office will invite
government departments and agencies.
"""

WORKING_PAPERS = {
    "research-and-statistics": (
        "de-identified data for research and official statistics",
        "A trusted third party links de-identified records, and accredited researchers "
        "work with them in secure settings.",
    ),
    "fraud-error-and-debt": (
        "data sharing to reduce fraud, error and debt",
        "Time-limited pilots, each with a published business case, reviewed before any wider use.",
    ),
    "tailored-public-services": (
        "data sharing to tailor public services to individuals and families",
        "Sharing is allowed for a specified public service benefit, with clear notices "
        "to the people concerned.",
    ),
}


def _body(title: str, paragraphs: list[str]) -> str:
    return "\n\n".join([f"## {title}", *paragraphs]) + "\n"


def _tiny_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF with a few lines of text, made here so the demo needs no file."""
    text = (
        "BT /F1 12 Tf 72 770 Td 16 TL "
        + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        )
        + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _audited(action: str, document: Document, when: datetime, by, **payload: Any) -> None:
    """The access log entry the service (restrict_document, share_document) writes for a
    change the demo makes directly, dated when it happened; written once. The services
    themselves refuse review dates in the past, as every demo restriction's now is."""
    existing = AuditEntry.objects.filter(action=action, target_id=str(document.pk)).first()
    entry = existing or audit.record(action, actor=by, target=document, **payload)
    if entry.created_at != when:
        AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)


def _document(spec: dict[str, Any]) -> Document:
    process = Process.objects.get(slug=spec["process"])
    step = Step.objects.get(process=process, number=spec["step"]) if spec.get("step") else None
    document = upsert(
        Document,
        {"slug": spec["slug"]},
        {
            "process": process,
            "title": spec["title"],
            "summary": spec["summary"],
            "body": spec["body"],
            "kind": spec["kind"],
            "step": step,
            "status": Document.Status.PUBLISHED,
            "published_on": spec["published_on"],
        },
    )
    published = on(spec["published_on"])
    organisations = Organisation.objects.filter(slug__in=spec.get("organisations", []))
    if set(document.organisations.all()) != set(organisations):
        document.organisations.set(organisations)
    groups = WorkingGroup.objects.filter(slug__in=spec.get("groups", []))
    if set(document.working_groups.all()) != set(groups):
        document.working_groups.set(groups)
    versions = spec.get("versions") or [(spec["body"], "First published.")]
    changed = published
    for number, (body, note) in enumerate(versions, start=1):
        changed = on(spec["published_on"] + timedelta(days=7 * (number - 1)))
        upsert(
            DocumentVersion,
            {"document": document, "number": number},
            {
                "title": spec["title"],
                "summary": spec["summary"],
                "body": body,
                "change_note": note,
                "created_at": changed,
            },
        )
    for name, content, file_type, text in spec.get("files", []):
        if not document.files.filter(name=name).exists():
            attached = DocumentFile(
                document=document, name=name, file_type=file_type, size=len(content), text=text
            )
            attached.file.save(name, ContentFile(content), save=False)
            attached.save()
    for attached in document.files.filter(name__in=[f[0] for f in spec.get("files", [])]):
        date_row(attached, published)
    date_row(document, published, changed)
    return document


def load() -> None:
    secretariat = get_user_model().objects.get(email="secretariat@demo.policyhub.test")
    for slug, name in ORGANISATIONS:
        upsert(Organisation, {"slug": slug}, {"name": name}, dated=on(date(2014, 3, 11)))

    terms_first = TERMS_OF_REFERENCE.split("## Parallel sign-off")[0].rstrip() + "\n"
    note_text = "Planning the open policy process: meeting note, 31 March 2014\n\n" + PLANNING_NOTE
    specs: list[dict[str, Any]] = [
        {
            "slug": "planning-meeting-note-31-march-2014",
            "process": "data-sharing-2014",
            "step": 1,
            "title": "Planning the open policy process: 31 March 2014 meeting note",
            "summary": "The note of the planning meeting that scoped out the process and agreed "
            "to start three working groups.",
            "body": PLANNING_NOTE,
            "kind": Document.Kind.MEETING_PAPERS,
            "published_on": date(2014, 4, 3),
            "organisations": ["involve", "cabinet-office"],
            "files": [
                (
                    "planning-meeting-note-2014-03-31.txt",
                    note_text.encode("utf-8"),
                    "txt",
                    note_text,
                )
            ],
        },
        {
            "slug": "terms-of-reference",
            "process": "data-sharing-2014",
            "step": 1,
            "title": "Terms of reference",
            "summary": "How everyone taking part agrees to work: open documents, the Chatham "
            "House Rule, open participation, levels of agreement and sign-off. Last updated "
            "11 March 2014.",
            "body": TERMS_OF_REFERENCE,
            "kind": Document.Kind.TERMS_OF_REFERENCE,
            "published_on": date(2014, 3, 4),
            "organisations": ["involve", "cabinet-office"],
            "versions": [
                (terms_first, "First published for comment."),
                (TERMS_OF_REFERENCE, "Added parallel sign-off, as agreed on 11 March 2014."),
            ],
        },
    ]
    for group_slug, (topic, idea) in WORKING_PAPERS.items():
        group = WorkingGroup.objects.get(slug=group_slug)
        specs.append(
            {
                "slug": f"working-paper-{group_slug}",
                "process": "data-sharing-2014",
                "step": 2,
                "title": f"{group.name}: working paper",
                "summary": f"The {group.name} group's working paper on {topic}: the purpose "
                "it agreed, the evidence it reviewed and its emerging proposals.",
                "body": _body(
                    "Purpose",
                    [
                        f"This paper sets out the group's current thinking on {topic}.",
                        "## Evidence reviewed\n\nBarriers to sharing, the risks of sharing, "
                        "and public views on data sharing.",
                        f"## Emerging proposal\n\n{idea}",
                    ],
                ),
                "kind": Document.Kind.WORKING_PAPER,
                "published_on": date(2014, 9, 1),
                "organisations": ["involve", "cabinet-office"],
                "groups": [group_slug],
            }
        )
    interim_v1 = _body(
        "Interim findings",
        [
            "The three strands are brought together into one paper, co-drafted by government "
            "departments, civil society organisations and experts.",
            "Each strand sets out its purpose, the options explored and the safeguards proposed.",
        ],
    )
    interim_v2 = interim_v1 + (
        "\n## Wider issues\n\nIssues outside the scope of the groups, collected for future "
        "work, are listed in an annex.\n"
    )
    specs += [
        {
            "slug": "interim-policy-paper-october-2014",
            "process": "data-sharing-2014",
            "step": 3,
            "title": "Interim policy paper",
            "summary": "The interim findings of the open policy process, bringing the three "
            "strands together.",
            "body": interim_v2,
            "kind": Document.Kind.POLICY_PAPER,
            "published_on": date(2014, 10, 28),
            "organisations": ["cabinet-office", "involve", "civil-society-network"],
            "groups": list(WORKING_PAPERS),
            "versions": [
                (interim_v1, "First published."),
                (interim_v2, "Added the list of wider issues collected so far."),
            ],
        },
        {
            "slug": "joint-policy-paper-february-2015",
            "process": "data-sharing-2014",
            "step": 4,
            "title": "Joint policy paper on data sharing",
            "summary": "Proposals for the conditions under which data sharing should be "
            "allowed and the safeguards that should be in place, mapping where the civil "
            "society, expert and government groups agree and where they disagree.",
            "body": _body(
                "What this paper does",
                [
                    "It focuses on immediate policy issues where government controls personal "
                    "data. Some proposals have broad consensus; others set out competing "
                    "ideas.",
                    "## Levels of agreement\n\nEach proposal is marked with the level of "
                    "agreement reached, from agreement on approach and detail to alternative "
                    "proposals.",
                ],
            ),
            "kind": Document.Kind.POLICY_PAPER,
            "published_on": date(2015, 2, 16),
            "organisations": ["cabinet-office", "involve", "civil-society-network"],
            "groups": list(WORKING_PAPERS),
            "files": [
                (
                    "joint-policy-paper-summary.pdf",
                    _tiny_pdf(
                        [
                            "Joint policy paper on data sharing (February 2015)",
                            "Summary of proposals and levels of agreement.",
                        ]
                    ),
                    "pdf",
                    "",
                )
            ],
        },
        {
            "slug": "white-paper-data-sharing-2015",
            "process": "data-sharing-2014",
            "step": 4,
            "title": "White Paper on data sharing",
            "summary": "The joint policy paper developed into a joint White Paper.",
            "body": _body(
                "From joint paper to White Paper",
                [
                    "The White Paper sets out proposals for legislation on data sharing and "
                    "the safeguards that should accompany it.",
                ],
            ),
            "kind": Document.Kind.WHITE_PAPER,
            "published_on": date(2015, 3, 24),
            "organisations": ["cabinet-office", "civil-society-network"],
        },
        {
            "slug": "better-use-of-data-consultation",
            "process": "data-sharing-reconvened-2016",
            "step": 2,
            "title": "Better Use of Data in Government: consultation document",
            "summary": "The proposals put to public consultation for 8 weeks, from 29 February "
            "to 22 April 2016.",
            "body": _body(
                "Proposals",
                [
                    "- Better management of debt owed to government\n- Assisting citizens "
                    "living in fuel poverty\n- Sharing civil registration information\n- "
                    "Research and official statistics\n- Fraud and error",
                ],
            ),
            "kind": Document.Kind.CONSULTATION_DOCUMENT,
            "published_on": date(2016, 2, 29),
            "organisations": ["cabinet-office"],
            "groups": ["debt-owed-to-government", "fuel-poverty", "civil-registration"],
        },
        {
            "slug": "external-advisory-group-report",
            "process": "data-sharing-reconvened-2016",
            "step": 2,
            "title": "External Advisory Group: working process and recommendations",
            "summary": "How the External Advisory Group of civil society and academic "
            "representatives worked, and its recommendations to the Cabinet Office for "
            "analysing consultation responses.",
            "body": _body(
                "Recommendations",
                [
                    "1. Publish the method of analysis before analysing responses.\n2. Report "
                    "the number of responses for each proposal.\n3. Give weight to argument "
                    "and evidence, not only to numbers.",
                ],
            ),
            "kind": Document.Kind.REPORT,
            "published_on": date(2016, 7, 1),
            "organisations": ["external-advisory-group"],
        },
        {
            "slug": "civil-registration-draft-under-negotiation",
            "process": "data-sharing-reconvened-2016",
            "step": 1,
            "title": "Civil registration data sharing: draft clauses under negotiation",
            "summary": "Draft clauses being negotiated with the registration services.",
            "body": _body(
                "Draft clauses",
                ["Clause wording is still being negotiated and is not yet agreed."],
            ),
            "kind": Document.Kind.WORKING_PAPER,
            "published_on": date(2016, 1, 20),
            "organisations": ["cabinet-office"],
            "groups": ["civil-registration"],
        },
        {
            "slug": "correspondence-with-data-supplier",
            "process": "data-sharing-reconvened-2016",
            "step": 1,
            "title": "Correspondence with Acme Energy Data Ltd on fuel poverty matching",
            "summary": "Letters about the commercial terms of matching energy account data.",
            "body": _body(
                "Letters",
                ["The letters set out pricing and contract terms offered by the supplier."],
            ),
            "kind": Document.Kind.CORRESPONDENCE,
            "published_on": date(2016, 2, 10),
            "organisations": ["cabinet-office"],
            "groups": ["fuel-poverty"],
        },
    ]
    documents = {spec["slug"]: _document(spec) for spec in specs}

    planning_meeting = Meeting.objects.filter(starts_at__date=date(2014, 3, 31)).first()
    note = documents["planning-meeting-note-31-march-2014"]
    if planning_meeting is not None and not note.meetings.filter(pk=planning_meeting.pk).exists():
        note.meetings.add(planning_meeting)

    negotiation = documents["civil-registration-draft-under-negotiation"]
    group = WorkingGroup.objects.get(slug="civil-registration")
    _restrict(
        negotiation,
        date(2016, 1, 20),
        secretariat,
        grounds=[Restriction.Ground.NEGOTIATION],
        justification="The clauses are being negotiated with the registration services. "
        "Publishing wording that is not yet agreed would harm the negotiation and could "
        "mislead readers about what is proposed. The agreed text will be published.",
        public_title="Draft clauses on sharing civil registration information",
        review_on=date(2016, 4, 22),
    )
    if not negotiation.shared_with_groups.filter(pk=group.pk).exists():
        negotiation.shared_with_groups.add(group)
    _audited(
        "documents.sharing_changed",
        negotiation,
        on(date(2016, 1, 20)),
        secretariat,
        access_from={"people": [], "groups": []},
        access_to={"people": [], "groups": [str(group)]},
    )

    _restrict(
        documents["correspondence-with-data-supplier"],
        date(2016, 2, 10),
        secretariat,
        grounds=[Restriction.Ground.COMMERCIAL, Restriction.Ground.PERSONAL_DATA],
        justification="The letters contain a supplier's prices and contract terms, which "
        "are commercially confidential, and the names and direct contact details of its "
        "staff. A summary of the proposal is in the consultation document.",
        public_title="Correspondence with a commercial data supplier",
        review_on=date(2016, 8, 10),
    )
    for document in documents.values():
        refresh_search_index(document)
    load_evidence()


def _restrict(
    document: Document,
    day: date,
    by,
    *,
    grounds: list[str],
    justification: str,
    public_title: str,
    review_on: date,
) -> None:
    """A restriction as restrict_document records it: the row with its case, and the
    access log's entry."""
    when = on(day)
    upsert(
        Restriction,
        {"document": document, "restricted_at": when},
        {
            "grounds": ",".join(grounds),
            "justification": justification,
            "public_title": public_title,
            "restricted_by": by,
            "review_on": review_on,
        },
        dated=when,
    )
    _audited(
        "documents.restricted",
        document,
        when,
        by,
        access_from="open",
        access_to="restricted",
        grounds=[str(ground) for ground in grounds],
        justification=justification,
        review_on=review_on.isoformat(),
    )


def load_evidence() -> None:
    """The seed's own record of how the process was scoped, as evidence for agreeing scope
    (task 2 of the workplans that working groups' demo data made)."""
    for slug in ("research-and-statistics", "fraud-error-and-debt", "tailored-public-services"):
        upsert(
            Evidence,
            {
                "task": Task.objects.get(group__slug=slug, position=2),
                "title": "Planning the open policy process: note of the 31 March 2014 meeting",
            },
            {
                "url": "http://datasharing.org.uk/2014/04/03/"
                "planning-the-open-policy-process-31-mar-2014-meeting-note/"
            },
            dated=on(date(2014, 5, 6)),
        )
