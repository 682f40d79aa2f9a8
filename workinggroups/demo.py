"""Demo working groups: the seed's three original strands (2014), the same strands and three
new proposals reviewed when the process reconvened (2016), and two groups of the practice
process that runs whatever today is. Members come from each sector; the ten-task workplan is
in a plausible state, with proposals at every level of agreement, wider issues and concerns.

People and the non-government organisations are fictional. Everything is written with
`upsert`/`get_or_create` on natural keys and fixed dates (the practice groups' follow
today's date), and no service is called that writes the audit log, so loading twice changes
no row. Rows carry the dates they were written in the real process.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import import_module

from django.contrib.auth import get_user_model

from policyhub.demodata import days_from_today, on, upsert
from policyhub.models import Sector
from process.demo import PRACTICE
from process.models import Process, Step

from .models import (
    AgreementRecord,
    Alternative,
    Concern,
    DefaultTask,
    JoinRequest,
    Membership,
    Proposal,
    Signatory,
    SignOff,
    Task,
    WiderIssue,
    WorkingGroup,
)
from .services import add_default_tasks

GROUPS = [
    (
        "data-sharing-2014",
        2,
        "research-and-statistics",
        "Research & Statistics",
        "Agree when de-identified government data may be shared for research and official "
        "statistics, and the safeguards that should apply.",
    ),
    (
        "data-sharing-2014",
        2,
        "fraud-error-and-debt",
        "Fraud, Error & Debt",
        "Agree when data may be shared to reduce fraud, error and debt in the public sector, "
        "and the safeguards that should apply.",
    ),
    (
        "data-sharing-2014",
        2,
        "tailored-public-services",
        "Tailored Public Services for Individuals",
        "Agree when data may be shared to tailor public services to individuals and "
        "families, and the safeguards that should apply.",
    ),
    (
        "data-sharing-reconvened-2016",
        1,
        "debt-owed-to-government",
        "Better management of debt owed to government",
        "Review a new proposal: data sharing to support better management of debt owed to "
        "government.",
    ),
    (
        "data-sharing-reconvened-2016",
        1,
        "fuel-poverty",
        "Assisting citizens living in fuel poverty",
        "Review a new proposal: data sharing to assist citizens who are living in fuel poverty.",
    ),
    (
        "data-sharing-reconvened-2016",
        1,
        "civil-registration",
        "Sharing civil registration information",
        "Review a new proposal: sharing civil registration information to assist public "
        "bodies to fulfil their functions.",
    ),
    # The seed: the reconvened working groups "review and develop the original three strands".
    (
        "data-sharing-reconvened-2016",
        1,
        "research-and-statistics-review-2016",
        "Research & Statistics: 2016 review",
        "Review and develop the 2014 proposals on research and official statistics.",
    ),
    (
        "data-sharing-reconvened-2016",
        1,
        "fraud-error-and-debt-review-2016",
        "Fraud, Error & Debt: 2016 review",
        "Review and develop the 2014 proposals on fraud, error and debt.",
    ),
    (
        "data-sharing-reconvened-2016",
        1,
        "tailored-public-services-review-2016",
        "Tailored Public Services for Individuals: 2016 review",
        "Review and develop the 2014 proposals on tailoring public services to individuals "
        "and families.",
    ),
    # The practice process (process/demo.py): wider issues the 2014 groups logged.
    (
        PRACTICE,
        1,
        "commercial-access-practice",
        "Commercial access to government data (practice)",
        "Explore whether and how companies should get access to government data, a wider "
        "issue the Research & Statistics group took forward for future work.",
    ),
    (
        PRACTICE,
        1,
        "local-government-data-practice",
        "Data held by local government (practice)",
        "Explore sharing data held by local government, a wider issue parked in 2014 because "
        "local government was outside the process.",
    ),
]

# Every group of the two real processes has concluded, as the processes have; the practice
# groups are active so open membership (asking to join, approving, leaving) can be tried.
ACTIVE = {"commercial-access-practice", "local-government-data-practice"}


def group_dates(slug: str) -> tuple[datetime, datetime]:
    """When a group was set up and when its page last changed: 2014 strands from step 2
    until the concluding meeting, 2016 reviews from step 1 until the process concluded, the
    practice groups from when the practice process began."""
    if slug in ACTIVE:
        return days_from_today(-30), days_from_today(-3)
    if slug in {"research-and-statistics", "fraud-error-and-debt", "tailored-public-services"}:
        return on(date(2014, 4, 1)), on(date(2015, 3, 17))
    return on(date(2016, 1, 4)), on(date(2016, 7, 29))


SCOPES = {
    "research-and-statistics": (
        "In scope: de-identified and identifiable data held by government, used for research "
        "in the public interest and for official statistics.\n\n"
        "Out of scope: commercial use of data, and data held only by local government."
    ),
    "fraud-error-and-debt": (
        "In scope: sharing between public bodies to prevent, detect and recover fraud, error "
        "and debt.\n\nOut of scope: criminal investigations, which have their own powers."
    ),
}

# email local part, name, organisation, sector
PEOPLE = [
    ("amara.osei", "Amara Osei", "Office for National Statistics", Sector.GOVERNMENT),
    ("david.kerr", "David Kerr", "HM Revenue & Customs", Sector.GOVERNMENT),
    ("helen.marsh", "Helen Marsh", "Department for Work and Pensions", Sector.GOVERNMENT),
    ("raj.patel", "Raj Patel", "Cabinet Office", Sector.GOVERNMENT),
    ("grace.lindqvist", "Grace Lindqvist", "Northbridge Privacy Forum", Sector.CIVIL_SOCIETY),
    ("owen.price", "Owen Price", "Citizens' Data Trust", Sector.CIVIL_SOCIETY),
    ("fatima.rahman", "Fatima Rahman", "Fuel Fairness Network", Sector.CIVIL_SOCIETY),
    ("lucy.adeyemi", "Lucy Adeyemi", "University of Northbridge", Sector.EXPERT),
    ("martin.cole", "Martin Cole", "Institute for Statistical Ethics", Sector.EXPERT),
    ("nina.volkova", "Nina Volkova", "Eastfield Law School", Sector.EXPERT),
    ("joe.baxter", "Joe Baxter", "", Sector.PUBLIC),
]

# group slug -> [(email local part, role)]
MEMBERS = {
    "research-and-statistics": [
        ("amara.osei", "convenor"),
        ("grace.lindqvist", "member"),
        ("lucy.adeyemi", "member"),
        ("martin.cole", "member"),
        ("raj.patel", "member"),
    ],
    "fraud-error-and-debt": [
        ("david.kerr", "convenor"),
        ("owen.price", "convenor"),
        ("helen.marsh", "member"),
        ("nina.volkova", "member"),
        ("grace.lindqvist", "member"),
    ],
    "tailored-public-services": [
        ("helen.marsh", "convenor"),
        ("owen.price", "member"),
        ("lucy.adeyemi", "member"),
    ],
    "debt-owed-to-government": [
        ("david.kerr", "convenor"),
        ("owen.price", "member"),
        ("nina.volkova", "member"),
        ("joe.baxter", "member"),
    ],
    "fuel-poverty": [
        ("fatima.rahman", "member"),
        ("raj.patel", "member"),
        ("martin.cole", "member"),
    ],
    "civil-registration": [
        ("raj.patel", "convenor"),
        ("grace.lindqvist", "member"),
    ],
    "research-and-statistics-review-2016": [
        ("amara.osei", "convenor"),
        ("lucy.adeyemi", "member"),
        ("grace.lindqvist", "member"),
    ],
    "fraud-error-and-debt-review-2016": [
        ("david.kerr", "convenor"),
        ("owen.price", "member"),
        ("nina.volkova", "member"),
    ],
    "tailored-public-services-review-2016": [
        ("helen.marsh", "convenor"),
        ("owen.price", "member"),
        ("martin.cole", "member"),
    ],
    "commercial-access-practice": [
        ("raj.patel", "member"),
        ("fatima.rahman", "member"),
        ("martin.cole", "member"),
    ],
    "local-government-data-practice": [
        ("david.kerr", "convenor"),
        ("owen.price", "member"),
        ("nina.volkova", "member"),
        ("joe.baxter", "member"),
    ],
}

# How many of the ten tasks are done, and how many more are in progress, per group.
PROGRESS = {
    "research-and-statistics": (10, 0),
    "fraud-error-and-debt": (9, 1),
    "tailored-public-services": (7, 2),
    "debt-owed-to-government": (4, 2),
    "fuel-poverty": (6, 1),
    "civil-registration": (5, 1),
    "research-and-statistics-review-2016": (10, 0),
    "fraud-error-and-debt-review-2016": (10, 0),
    "tailored-public-services-review-2016": (8, 1),
    "commercial-access-practice": (3, 2),
    "local-government-data-practice": (2, 1),
}

FINDINGS = {
    1: "The group agreed that the purpose of data sharing in this strand is to {aim}.",
    2: "The group agreed to focus on data held by central government, within the time "
    "available, and to leave local government data for a later stage.",
    3: "Departments described the scale of the problem with published figures; civil "
    "society members asked for the uncertainty in those figures to be stated too.",
    4: "Legal gateways are complex and slow to use. Several departments described "
    "requests that took more than a year to agree.",
    5: "Members reviewed the risks of re-identification, function creep and loss of "
    "public trust, with examples from past programmes.",
    6: "Evidence from public dialogues shows support for sharing with clear public "
    "benefit and strong safeguards, and concern about commercial use.",
    7: "The group compared data sharing with alternatives, including better use of data "
    "already held and consent-based approaches.",
    8: "The group discussed independent oversight, transparency registers, time limits on "
    "access and criminal penalties for misuse.",
    9: "Issues outside the scope were logged as wider issues for future exploration.",
    10: "The group made proposals for the conditions under which data sharing should be "
    "allowed, recorded with their level of agreement.",
}

AIMS = {
    "research-and-statistics": "support research and official statistics in the public interest",
    "fraud-error-and-debt": "reduce fraud, error and debt against the public sector",
    "tailored-public-services": "offer people and families the public services they need "
    "without asking them for the same information again",
    "debt-owed-to-government": "manage debt owed to government fairly, and spot people "
    "who cannot pay rather than will not pay",
    "fuel-poverty": "help households living in fuel poverty receive support automatically",
    "civil-registration": "help public bodies use birth, death and marriage records to "
    "fulfil their functions",
    "research-and-statistics-review-2016": "support research and official statistics in the "
    "public interest, as agreed in 2014, in the light of new evidence",
    "fraud-error-and-debt-review-2016": "reduce fraud and error against the public sector, "
    "revisiting the 2014 proposals on pilots",
    "tailored-public-services-review-2016": "offer people and families the public services "
    "they need, revisiting the 2014 proposals",
    "commercial-access-practice": "decide when, if ever, companies may use government data",
    "local-government-data-practice": "decide when data held by councils may be shared",
}


REGISTRATION_PROPOSAL = (
    "Sharing civil registration information to assist public bodies to fulfil their functions"
)


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=UTC)


def load_people() -> dict[str, object]:
    user_model = get_user_model()
    people = {}
    for local, name, organisation, sector in PEOPLE:
        people[local] = upsert(
            user_model,
            {"email": f"{local}@demo.policyhub.test"},
            {"display_name": name, "organisation": organisation, "sector": sector},
        )
    return people


def load_groups() -> dict[str, WorkingGroup]:
    groups = {}
    for process_slug, step_number, slug, name, purpose in GROUPS:
        process = Process.objects.get(slug=process_slug)
        groups[slug] = upsert(
            WorkingGroup,
            {"slug": slug},
            {
                "process": process,
                "step": Step.objects.get(process=process, number=step_number),
                "name": name,
                "purpose": purpose,
                "scope": SCOPES.get(slug, ""),
                "status": (
                    WorkingGroup.Status.ACTIVE if slug in ACTIVE else WorkingGroup.Status.CONCLUDED
                ),
            },
            dated=group_dates(slug)[0],
            updated=group_dates(slug)[1],
        )
    return groups


def member(group: WorkingGroup, user, role: str) -> None:
    """Members joined when the group was set up (reminders go to members who had joined by
    the time a reminder fell due)."""
    joined = group_dates(group.slug)[0]
    upsert(
        Membership,
        {"group": group, "user": user},
        {"role": role, "joined_at": joined},
        dated=joined,
    )


def load_memberships(groups: dict[str, WorkingGroup], people: dict[str, object]) -> None:
    convenor = get_user_model().objects.get(email="convenor@demo.policyhub.test")
    member(groups["research-and-statistics"], convenor, "convenor")
    member(groups["fuel-poverty"], convenor, "convenor")
    # The demo convenor also convenes an active group, so they can decide join requests.
    member(groups["commercial-access-practice"], convenor, "convenor")
    for slug, members in MEMBERS.items():
        for local, role in members:
            member(groups[slug], people[local], role)
    asked = days_from_today(-4)
    upsert(
        JoinRequest,
        {
            "group": groups["commercial-access-practice"],
            "user": people["nina.volkova"],
            "status": "pending",
        },
        {
            "statement": "I research the law on data sharing between public bodies and have "
            "advised regulators on commercial re-use of public data.",
            "created_at": asked,
        },
        dated=asked,
    )


def load_workplans(groups: dict[str, WorkingGroup]) -> None:
    for slug, group in groups.items():
        add_default_tasks(group)
        done, in_progress = PROGRESS[slug]
        for task in Task.objects.filter(group=group):
            if task.position <= done:
                status = Task.Status.DONE
                summary = FINDINGS.get(task.position, "").format(aim=AIMS[slug])
            elif task.position <= done + in_progress:
                status = Task.Status.IN_PROGRESS
                summary = "The group has started this task and will report at its next meeting."
            else:
                status, summary = Task.Status.NOT_STARTED, ""
            created, updated = group_dates(slug)
            upsert(
                Task,
                {"pk": task.pk},
                {"status": status, "summary": summary},
                dated=created,
                updated=created if status == Task.Status.NOT_STARTED else updated,
            )


def proposal(group: WorkingGroup, title: str, written: datetime, **values) -> Proposal:
    """A proposal first written on `written`; `date_proposal` later dates its last change."""
    return upsert(Proposal, {"group": group, "title": title}, values, dated=written)


def history(item: Proposal, entries: list[tuple[int, datetime, str]], by) -> None:
    previous = None
    for level, when, note in entries:
        upsert(
            AgreementRecord,
            {"proposal": item, "recorded_at": when},
            {"level": level, "previous_level": previous, "note": note, "recorded_by": by},
        )
        previous = level


def signatory(user, track: str, side: str):
    """Each sign-off track is recorded by its own side (docs/decisions/0103)."""
    upsert(Signatory, {"track": track, "user": user}, {"note": side})
    return user


def sign_off(item: Proposal, track: str, state: str, when: datetime, by, reasons: str = ""):
    upsert(
        SignOff,
        {"proposal": item, "track": track},
        {"state": state, "recorded_at": when, "recorded_by": by, "reasons": reasons},
        dated=when,
    )


def alternative(item: Proposal, title: str, text: str, pros: str, cons: str) -> None:
    upsert(
        Alternative,
        {"proposal": item, "title": title},
        {"text": text, "pros": pros, "cons": cons},
        dated=item.created_at,
    )


def date_proposal(item: Proposal) -> None:
    """Last changed when its level of agreement or a sign-off was last recorded."""
    events = [item.created_at]
    events += [record.recorded_at for record in item.history.all()]
    events += [signed.recorded_at for signed in item.sign_offs.all()]
    upsert(Proposal, {"pk": item.pk}, {}, dated=item.created_at, updated=max(events))


def load_proposals(groups: dict[str, WorkingGroup], people: dict[str, object]) -> None:
    secretariat = get_user_model().objects.get(email="secretariat@demo.policyhub.test")
    convenor = get_user_model().objects.get(email="convenor@demo.policyhub.test")
    # The government track is recorded by the Cabinet Office side (Sam Okafor), the civil
    # society network's by the Involve side (Priya Hale).
    cabinet_office = signatory(secretariat, "government", "Cabinet Office")
    involve = signatory(convenor, "civil_society", "Involve")

    # Level 1, published, jointly signed off.
    research = proposal(
        groups["research-and-statistics"],
        "Access to de-identified data for research through accredited processors",
        at(2014, 5, 13),
        problem="Researchers cannot easily use government data, even when it is "
        "de-identified and the research is in the public interest.",
        conditions="- Data is de-identified before it leaves the department.\n"
        "- Only accredited researchers, in accredited secure environments, may use it.\n"
        "- Every project shows a public benefit and is listed in a public register.",
        safeguards="- Criminal penalty for re-identifying anyone.\n"
        "- Independent accreditation panel.\n- Outputs checked before release.",
        status=Proposal.Status.PUBLISHED,
        agreement_level=1,
        created_by=convenor,
    )
    history(
        research,
        [
            (3, at(2014, 5, 20), "Two models of access were on the table."),
            (2, at(2014, 7, 8), "Agreement on accredited processors; detail of the register open."),
            (1, at(2014, 9, 16), "The register's contents were agreed."),
        ],
        convenor,
    )
    alternative(
        research,
        "Researchers apply to each department separately",
        "Keep today's arrangement, with a standard application form across departments.",
        "- No new body is needed.\n- Departments keep full control of their data.",
        "- Slow and inconsistent decisions.\n- No single public register of projects.",
    )
    sign_off(research, "government", "signed_off", at(2015, 1, 28), cabinet_office)
    sign_off(research, "civil_society", "signed_off", at(2015, 2, 4), involve)

    # Level 2, agreed, signed off in the government track only.
    statistics = proposal(
        groups["research-and-statistics"],
        "Identifiable data for official statistics",
        at(2014, 8, 19),
        problem="The statistics authority needs identifiable records from departments to "
        "produce official statistics, such as population estimates, more cheaply.",
        conditions="The statistics authority may receive identifiable data from departments "
        "for the production of official statistics only, never for operational decisions "
        "about individuals.",
        safeguards="- Data is held separately from any operational system.\n"
        "- A code of practice is published and audited.",
        status=Proposal.Status.AGREED,
        agreement_level=2,
        created_by=convenor,
    )
    history(
        statistics,
        [(2, at(2014, 9, 16), "Agreement on the approach; two views on retention periods.")],
        convenor,
    )
    alternative(
        statistics,
        "Retain identifiers for no more than a year",
        "Identifiers are removed within twelve months of receipt.",
        "- Limits the harm of any breach.\n- Easy to explain to the public.",
        "- Makes longitudinal statistics impossible.\n- Data may need to be requested again.",
    )
    sign_off(statistics, "government", "signed_off", at(2015, 1, 28), cabinet_office)
    sign_off(statistics, "civil_society", "in_review", at(2015, 2, 4), involve)

    # Level 3, published, with two alternatives; civil society declined with reasons.
    fraud = proposal(
        groups["fraud-error-and-debt"],
        "Time-limited pilots of data sharing to reduce fraud and error",
        at(2014, 5, 27),
        problem="Public bodies lose money to fraud and error that shared data could "
        "reveal, but there is little evidence about which sharing works.",
        conditions="Pilots of up to three years, each approved by a minister, with a "
        "published business case and an evaluation before any pilot continues.",
        safeguards="- A public register of pilots.\n- Independent review of each evaluation.",
        status=Proposal.Status.PUBLISHED,
        agreement_level=3,
        created_by=people["david.kerr"],
    )
    history(
        fraud,
        [
            (4, at(2014, 6, 3), "Members set out three different approaches."),
            (3, at(2014, 8, 27), "Members agreed the pros and cons of each approach."),
        ],
        people["david.kerr"],
    )
    alternative(
        fraud,
        "Sharing only with a court order",
        "Data is shared for fraud investigations only when a court has ordered it.",
        "- Strong independent check on each case.\n- Clear to the public.",
        "- Slow, and cannot detect patterns across many cases.\n- Costly for courts.",
    )
    alternative(
        fraud,
        "A standing power without pilots",
        "A general power to share data to tackle fraud, with a code of practice.",
        "- Simple to use.\n- Benefits arrive sooner.",
        "- No evidence is gathered before the power is used widely.\n- Risk of function creep.",
    )
    sign_off(fraud, "government", "signed_off", at(2015, 1, 30), cabinet_office)
    sign_off(
        fraud,
        "civil_society",
        "declined",
        at(2015, 2, 6),
        involve,
        reasons="The network could not support pilots approved only by a minister; it asks "
        "for independent approval of each pilot.",
    )

    # Level 4, under discussion.
    tailored = proposal(
        groups["tailored-public-services"],
        "Sharing data to identify families who need support",
        at(2014, 8, 5),
        problem="Families with several problems deal with many services that do not know "
        "about each other.",
        conditions="Local services may receive data from departments to identify families "
        "eligible for support programmes.",
        safeguards="- Families are told how they were identified.",
        status=Proposal.Status.UNDER_DISCUSSION,
        agreement_level=4,
        created_by=people["helen.marsh"],
    )
    history(tailored, [(4, at(2014, 8, 12), "")], people["helen.marsh"])
    alternative(
        tailored,
        "Consent-based referral",
        "Families are referred only with their consent, through services they already use.",
        "- Respects autonomy.\n- Builds trust with the service.",
        "- Families most in need may be missed.",
    )

    # 2016 reviews.
    debt = proposal(
        groups["debt-owed-to-government"],
        "Sharing data to tell apart people who cannot pay from those who will not",
        at(2016, 1, 12),
        problem="Debt collection treats people who cannot pay like people who will not.",
        conditions="Departments may share data about debts owed to government to assess "
        "ability to pay, under a code of practice on fair treatment.",
        safeguards="- Vulnerable people are identified and offered support first.",
        status=Proposal.Status.UNDER_DISCUSSION,
        agreement_level=2,
        created_by=people["david.kerr"],
    )
    history(debt, [(2, at(2016, 1, 19), "")], people["david.kerr"])
    alternative(
        debt,
        "Include debts owed to local government",
        "Extend the proposal to council tax and other local debts.",
        "- One view of a person's debts.",
        "- Much larger scope, and local government was not part of the review.",
    )
    fuel = proposal(
        groups["fuel-poverty"],
        "Automatic help for households living in fuel poverty",
        at(2016, 1, 12),
        problem="Many eligible households never receive the rebates they are entitled to.",
        conditions="Energy suppliers receive a yes or no answer about eligibility, never "
        "the underlying benefit data.",
        safeguards="- Suppliers may use the answer only to apply the rebate.",
        status=Proposal.Status.AGREED,
        agreement_level=1,
        created_by=convenor,
    )
    history(fuel, [(1, at(2016, 2, 9), "Agreed at the final review meeting.")], convenor)
    sign_off(fuel, "government", "in_review", at(2016, 2, 20), cabinet_office)
    # Earlier versions of the demo kept this proposal as a draft under another title.
    earlier = "Sharing birth and death records with public bodies"
    Proposal.objects.filter(group=groups["civil-registration"], title=earlier).update(
        title=REGISTRATION_PROPOSAL
    )
    registration = proposal(
        groups["civil-registration"],
        REGISTRATION_PROPOSAL,
        at(2016, 1, 19),
        problem="Public bodies cannot use birth, death and marriage records they need, so "
        "they write to people who have died, causing distress, and ask families for "
        "certificates the state already holds.",
        conditions="Registration officials may share civil registration information with "
        "public bodies that need it to carry out their functions, listed in regulations.",
        safeguards="- Each body and purpose is listed in regulations.\n"
        "- Data is shared under a published code of practice.",
        status=Proposal.Status.UNDER_DISCUSSION,
        agreement_level=3,
        created_by=people["raj.patel"],
    )
    history(
        registration,
        [(3, at(2016, 1, 26), "Members agreed the pros and cons of a list in regulations.")],
        people["raj.patel"],
    )
    alternative(
        registration,
        "Share only death records",
        "Limit sharing to death registrations, to stop letters to people who have died.",
        "- Narrow and easy to explain.\n- Answers the most distressing problem.",
        "- Leaves families to send birth and marriage certificates again.",
    )
    proposals = [research, statistics, fraud, tailored, debt, fuel, registration]
    proposals += load_practice_proposals(groups, people, convenor, secretariat)
    for item in proposals:
        date_proposal(item)


def load_practice_proposals(
    groups: dict[str, WorkingGroup], people: dict[str, object], convenor, secretariat
) -> list[Proposal]:
    """An agreed proposal waiting for sign-off and one still under discussion, in the
    practice groups, so recording agreement and sign-off can be tried."""
    commercial = proposal(
        groups["commercial-access-practice"],
        "Companies may use de-identified government data only for public benefit",
        days_from_today(-20),
        problem="Companies ask for government data; there is no rule for when they may have it.",
        conditions="De-identified data only, in accredited secure environments, for projects "
        "with a published public benefit.",
        safeguards="- A public register of every company project.",
        status=Proposal.Status.AGREED,
        agreement_level=1,
        created_by=convenor,
    )
    history(commercial, [(1, days_from_today(-6), "Agreed at the group's meeting.")], convenor)
    sign_off(commercial, "government", "in_review", days_from_today(-5), secretariat)
    local = proposal(
        groups["local-government-data-practice"],
        "Councils may share data with each other to support families",
        days_from_today(-18),
        problem="Neighbouring councils cannot see that a family already receives help.",
        conditions="Councils may share data about support a family receives, with the "
        "family told how.",
        safeguards="- Families are told what was shared and why.",
        status=Proposal.Status.UNDER_DISCUSSION,
        agreement_level=4,
        created_by=people["david.kerr"],
    )
    history(local, [(4, days_from_today(-10), "")], people["david.kerr"])
    alternative(
        local,
        "Share only with the family's consent",
        "Councils share data only when the family agrees.",
        "- Respects autonomy.",
        "- Families most in need may be missed.",
    )
    return [commercial, local]


def load_wider_issues(groups: dict[str, WorkingGroup], people: dict[str, object]) -> None:
    secretariat = get_user_model().objects.get(email="secretariat@demo.policyhub.test")
    issues = [
        (
            "research-and-statistics",
            "Commercial access to government data",
            "martin.cole",
            "taken_forward",
            "Taken forward into the concluding policy paper as a question for future work.",
            at(2014, 6, 17),
        ),
        (
            "research-and-statistics",
            "Data held by local government",
            "lucy.adeyemi",
            "parked",
            "Parked: local government was outside this process. Revisit if the "
            "process is reconvened.",
            at(2014, 5, 6),
        ),
        (
            "fraud-error-and-debt",
            "Use of data by private debt collectors",
            "nina.volkova",
            "open",
            "",
            at(2014, 7, 22),
        ),
        (
            "tailored-public-services",
            "A single view of the citizen",
            "owen.price",
            "open",
            "",
            at(2014, 8, 12),
        ),
        (
            "fuel-poverty",
            "Data held by energy suppliers about customers' usage",
            "fatima.rahman",
            "open",
            "",
            at(2016, 1, 26),
        ),
        (
            "commercial-access-practice",
            "Data sold by companies back to government",
            "fatima.rahman",
            "open",
            "",
            days_from_today(-8),
        ),
    ]
    for slug, title, raiser, status, note, created_at in issues:
        decided_at = at(2015, 2, 10) if status != "open" else None
        upsert(
            WiderIssue,
            {"group": groups[slug], "title": title},
            {
                "description": f"{title} came up during the group's work but is outside its "
                "scope. It should be explored in future.",
                "raised_by": people[raiser],
                "status": status,
                "note": note,
                "decided_by": secretariat if status != "open" else None,
                "decided_at": decided_at,
                "created_at": created_at,
            },
            dated=created_at,
            updated=decided_at or created_at,
        )


def load_concerns(groups: dict[str, WorkingGroup], people: dict[str, object]) -> None:
    secretariat = get_user_model().objects.get(email="secretariat@demo.policyhub.test")
    convenor = get_user_model().objects.get(email="convenor@demo.policyhub.test")
    resolved = upsert(
        Concern,
        {"group": groups["fraud-error-and-debt"], "title": "Pilot evidence shared too late"},
        {
            "description": "Evidence for the pilots was circulated the evening before the "
            "meeting, too late for civil society members to read it.",
            "raised_by": people["grace.lindqvist"],
            "status": Concern.Status.RESOLVED,
            "outcome": "Convenors agreed to circulate papers at least five working days "
            "before each meeting.",
            "outcome_recorded_by": secretariat,
            "outcome_recorded_at": at(2014, 7, 2),
            "created_at": at(2014, 6, 4),
        },
        dated=at(2014, 6, 4),
        updated=at(2014, 7, 2),
    )
    resolved.mediators.add(secretariat, convenor)
    upsert(
        Concern,
        {"group": groups["debt-owed-to-government"], "title": "Scope is drifting to local debt"},
        {
            "description": "Discussion keeps returning to local government debt, which is "
            "outside the scope agreed for this review.",
            "raised_by": people["nina.volkova"],
            "status": Concern.Status.RESOLVED,
            "outcome": "The convenor restated the agreed scope, and local debt was logged "
            "for a future process.",
            "outcome_recorded_by": secretariat,
            "outcome_recorded_at": at(2016, 1, 27),
            "created_at": at(2016, 1, 20),
        },
        dated=at(2016, 1, 20),
        updated=at(2016, 1, 27),
    )
    raised = days_from_today(-2)
    upsert(
        Concern,
        {
            "group": groups["local-government-data-practice"],
            "title": "Papers arrive too late to read",
        },
        {
            "description": "The evidence for the next meeting was circulated the evening "
            "before, too late for members to read it.",
            "raised_by": people["nina.volkova"],
            "status": Concern.Status.RAISED,
            "created_at": raised,
        },
        dated=raised,
    )
    in_mediation = upsert(
        Concern,
        {"group": groups["tailored-public-services"], "title": "Consent options not explored"},
        {
            "description": "The group has not yet looked at consent-based alternatives to "
            "sharing data without consent, though members asked for this in May.",
            "raised_by": people["lucy.adeyemi"],
            "status": Concern.Status.IN_MEDIATION,
            "created_at": at(2014, 8, 12),
        },
        dated=at(2014, 8, 12),
        updated=at(2014, 8, 26),
    )
    in_mediation.mediators.add(secretariat)


def load_default_tasks() -> None:
    """The seed's ten tasks come from a data migration; a database emptied since (as the
    browser tests' transactional flush does) gets them back here, unchanged if present."""
    seed_tasks = import_module("workinggroups.migrations.0003_default_tasks").SEED_TASKS
    for position, title, hint in seed_tasks:
        DefaultTask.objects.get_or_create(
            position=position, defaults={"title": title, "hint": hint}
        )


def load() -> None:
    load_default_tasks()
    people = load_people()
    groups = load_groups()
    load_memberships(groups, people)
    load_workplans(groups)
    load_proposals(groups, people)
    load_wider_issues(groups, people)
    load_concerns(groups, people)
