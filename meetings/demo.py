"""Demo meetings from the seed: the 31 March 2014 planning meeting, working group meetings
around the UK with remote participation, the March 2015 concluding meeting with the Minister
for the Cabinet Office, Francis Maude, the 2016 consultation events, and two upcoming meetings
of the practice process (relative to today) to try registration and reminders. Attendees
other than the Minister are fictional; organisations are plausible.

Idempotent: natural keys and `upsert`, and upcoming dates depend on today's date only. Rows
carry the dates they were announced and published, not the day the demo was loaded.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from policyhub.demodata import date_row, upsert
from process.demo import PRACTICE
from process.models import Process
from workinggroups.models import WorkingGroup

from .models import (
    Action,
    Attendee,
    Meeting,
    Notes,
    NotesVersion,
    PublishedAction,
    Region,
    Registration,
)

LONDON = ZoneInfo(settings.TIME_ZONE)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


PEOPLE = [
    ("Alison Grant", "Cabinet Office", "in_person"),
    ("Ben Osei", "Office for National Statistics", "in_person"),
    ("Chloe Marsh", "Citizens Advice", "remote"),
    ("Daniel Rees", "Cardiff University", "remote"),
    ("Fiona McKay", "Scottish Government", "in_person"),
    ("Hamid Karimi", "Open Rights Group", "in_person"),
    ("Joanna Price", "Department for Work and Pensions", "in_person"),
    ("Kieran Doyle", "Northern Ireland Statistics and Research Agency", "remote"),
    ("Laura Bennett", "Involve", "in_person"),
    ("Martin Achebe", "Her Majesty's Revenue and Customs", "apologies"),
    ("Nadia Rahman", "Royal Statistical Society", "in_person"),
    ("Owen Hughes", "University of Manchester", "remote"),
]

MEETINGS = [
    {
        "process": "data-sharing-2014",
        "group": None,
        "title": "Planning the open policy process",
        "start": at(date(2014, 3, 31), 10),
        "end": at(date(2014, 3, 31), 13),
        "announced": at(date(2014, 3, 11), 12),
        "venue": "Conference room 1, 70 Whitehall",
        "address": "70 Whitehall\nLondon\nSW1A 2AS",
        "region": Region.LONDON,
        "purpose": (
            "Scope out and agree the open policy process on data sharing.\n\n"
            "1. Welcome and purpose of the process\n"
            "2. Terms of reference\n"
            "3. Which strands need working groups\n"
            "4. Timetable and next steps"
        ),
        "attendees": PEOPLE[:10],
        "notes": {
            "summary": (
                "Participants from government, civil society and academia met to plan an open "
                "policy process on data sharing. The meeting agreed the terms of reference and "
                "three strands of work."
            ),
            "points": (
                "Several participants stressed that documents should be open by default.\n"
                "One participant argued that meetings outside London would broaden engagement.\n"
                "Some members felt that the scope should include safeguards as well as "
                "purposes.\n"
                "It was noted that remote participation should be possible for every meeting."
            ),
            "decisions": (
                "- Working groups will be set up for Research & Statistics; Fraud, Error & Debt; "
                "and Tailored Public Services for Individuals.\n"
                "- The terms of reference agreed on 11 March 2014 apply to everyone taking part."
            ),
        },
        "actions": [
            ("Circulate draft working group scopes", "The secretariat", date(2014, 4, 14), "done"),
        ],
    },
    {
        "process": "data-sharing-2014",
        "group": "research-and-statistics",
        "title": "Research & Statistics: evidence on barriers",
        "start": at(date(2014, 5, 20), 13, 30),
        "end": at(date(2014, 5, 20), 16, 30),
        "announced": at(date(2014, 4, 22), 9),
        "venue": "Humanities Bridgeford Street Building, University of Manchester",
        "address": "Oxford Road\nManchester\nM13 9PL",
        "region": Region.NORTH_WEST,
        "purpose": "Review the evidence on barriers to sharing de-identified data for research.",
        "attendees": [PEOPLE[1], PEOPLE[3], PEOPLE[8], PEOPLE[10], PEOPLE[11], PEOPLE[4]],
        "notes": {
            "summary": "The group reviewed the evidence on barriers to research access.",
            "points": (
                "Participants described long delays in agreeing access to administrative data.\n"
                "One participant argued that trusted third parties could reduce the risk of "
                "re-identification.\n"
                "Some members felt that public views on research uses were not well understood."
            ),
            "decisions": "- The group will draft options for a research gateway.",
        },
        "actions": [
            ("Summarise the evidence on public attitudes", "Academic members", None, "open"),
        ],
    },
    {
        "process": "data-sharing-2014",
        "group": "fraud-error-and-debt",
        "title": "Fraud, Error & Debt: options and safeguards",
        "start": at(date(2014, 6, 10), 10),
        "end": at(date(2014, 6, 10), 13),
        "announced": at(date(2014, 5, 12), 9),
        "venue": "Cardiff University, Glamorgan Building",
        "address": "King Edward VII Avenue\nCardiff\nCF10 3WT",
        "region": Region.WALES,
        "purpose": "Explore options and safeguards for sharing data to reduce fraud and error.",
        "attendees": [PEOPLE[3], PEOPLE[6], PEOPLE[5], PEOPLE[9], PEOPLE[2]],
        "notes": {
            "summary": "The group explored options and the safeguards each would need.",
            "points": (
                "Participants agreed that pilots should be time-limited and evaluated.\n"
                "A view was expressed that a code of practice should be statutory."
            ),
            "decisions": "- Options will be written up for the interim policy paper.",
        },
        "actions": [],
    },
    {
        "process": "data-sharing-2014",
        "group": "tailored-public-services",
        "title": "Tailored Public Services: purposes",
        "start": at(date(2014, 7, 8), 10, 30),
        "end": at(date(2014, 7, 8), 15),
        "announced": at(date(2014, 6, 9), 9),
        "venue": "Edinburgh Centre for Carbon Innovation",
        "address": "High School Yards\nEdinburgh\nEH1 1LZ",
        "region": Region.SCOTLAND,
        "purpose": "Agree the purposes for which data may be shared to tailor public services.",
        "attendees": [PEOPLE[4], PEOPLE[7], PEOPLE[8], PEOPLE[2]],
        "notes": None,
        "actions": [],
    },
    {
        "process": "data-sharing-2014",
        "group": None,
        "title": "Concluding meeting with the Minister for the Cabinet Office",
        "start": at(date(2015, 3, 17), 14),
        "end": at(date(2015, 3, 17), 16),
        "announced": at(date(2015, 2, 16), 9),
        "venue": "Conference room 1, 70 Whitehall",
        "address": "70 Whitehall\nLondon\nSW1A 2AS",
        "region": Region.LONDON,
        "purpose": (
            "The open policy making network meets the Minister for the Cabinet Office, "
            "Francis Maude, to conclude the process and discuss the joint policy paper of "
            "February 2015."
        ),
        "attendees": [*PEOPLE, ("Francis Maude", "Minister for the Cabinet Office", "in_person")],
        "notes": {
            "summary": (
                "The network discussed the joint policy paper and the next steps towards a "
                "White Paper with the Minister."
            ),
            "points": (
                "Participants reflected on what had worked in the open process.\n"
                "Several participants asked that the process be reconvened before legislation."
            ),
            "decisions": "- The joint policy paper will be developed into a joint White Paper.",
        },
        "actions": [],
    },
    {
        "process": "data-sharing-reconvened-2016",
        "group": None,
        "title": "Consultation event: Better Use of Data in Government (Birmingham)",
        "start": at(date(2016, 3, 15), 10),
        "end": at(date(2016, 3, 15), 12, 30),
        "announced": at(date(2016, 2, 15), 9),
        "venue": "Library of Birmingham",
        "address": "Centenary Square\nBirmingham\nB1 2ND",
        "region": Region.WEST_MIDLANDS,
        "purpose": "Feed back on the Better Use of Data in Government consultation proposals.",
        "attendees": [PEOPLE[0], PEOPLE[2], PEOPLE[5], PEOPLE[10]],
        "notes": None,
        "actions": [],
    },
    {
        "process": "data-sharing-reconvened-2016",
        "group": None,
        "title": "Consultation event: Better Use of Data in Government (Belfast)",
        "start": at(date(2016, 3, 22), 10),
        "end": at(date(2016, 3, 22), 12, 30),
        "announced": at(date(2016, 2, 22), 9),
        "venue": "Belfast Central Library",
        "address": "Royal Avenue\nBelfast\nBT1 1EA",
        "region": Region.NORTHERN_IRELAND,
        "purpose": "Feed back on the Better Use of Data in Government consultation proposals.",
        "attendees": [PEOPLE[7], PEOPLE[8]],
        "notes": None,
        "actions": [],
    },
    {
        "process": "data-sharing-reconvened-2016",
        "group": None,
        "title": "Consultation event: Better Use of Data in Government (online)",
        "start": at(date(2016, 4, 5), 18),
        "end": at(date(2016, 4, 5), 19, 30),
        "announced": at(date(2016, 3, 7), 9),
        "venue": "",
        "address": "",
        "region": Region.ONLINE,
        "purpose": "An evening session online for people who cannot attend in working hours.",
        "attendees": [],
        "notes": None,
        "actions": [],
    },
]


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# Upcoming meetings of earlier versions of the demo, filed under the concluded processes:
# (process, title). Their rows are removed so no concluded group has a meeting to come.
RETIRED = [
    ("data-sharing-2014", "Research & Statistics: reviewing the research gateway"),
    ("data-sharing-reconvened-2016", "Open network catch-up (online)"),
]


def _upcoming(today: date) -> list[dict]:
    """Two meetings of the practice process after today, so registration and reminders can
    be tried; the real processes concluded long ago."""
    soon, later = _weekday(today + timedelta(days=5)), _weekday(today + timedelta(days=24))
    return [
        {
            "process": PRACTICE,
            "group": "local-government-data-practice",
            "title": "Data held by local government: options and safeguards",
            "start": at(later, 10),
            "end": at(later, 13),
            "announced": at(later - timedelta(days=35), 9),
            "venue": "Watershed",
            "address": "1 Canons Road\nBristol\nBS1 5TX",
            "region": Region.SOUTH_WEST,
            "capacity": 2,
            "purpose": "Explore options for sharing data held by councils, and the "
            "safeguards each would need.",
        },
        {
            "process": PRACTICE,
            "group": None,
            "title": "Open network catch-up (online)",
            "start": at(soon, 12),
            "end": at(soon, 13),
            "announced": at(soon - timedelta(days=21), 9),
            "venue": "",
            "address": "",
            "region": Region.ONLINE,
            "capacity": None,
            "purpose": "A short online update for everyone in the network.",
        },
    ]


def _meeting(spec: dict) -> Meeting:
    """Written when it was announced, and unchanged since."""
    group = WorkingGroup.objects.get(slug=spec["group"]) if spec["group"] else None
    process = group.process if group else Process.objects.get(slug=spec["process"])
    return upsert(
        Meeting,
        {"process": process, "title": spec["title"]},
        {
            "working_group": group,
            "purpose": spec["purpose"],
            "starts_at": spec["start"],
            "ends_at": spec["end"],
            "announced_at": spec["announced"],
            "venue": spec["venue"],
            "address": spec["address"],
            "region": spec["region"],
            "has_remote_participation": True,
            "joining_link": "https://meet.example.org/policyhub-" + str(process.pk),
            "dial_in": "0300 000 0000, PIN 2014",
            "capacity": spec.get("capacity", 40 if spec["region"] != Region.ONLINE else None),
        },
        dated=spec["announced"],
    )


def load() -> None:
    for process_slug, title in RETIRED:
        Meeting.objects.filter(process__slug=process_slug, title=title).delete()
    for spec in MEETINGS:
        meeting = _meeting(spec)
        published = spec["end"] + timedelta(days=3)
        actions = [
            upsert(
                Action,
                {"meeting": meeting, "description": description},
                {"owner": owner, "due_on": due_on, "status": status},
                dated=published,
            )
            for description, owner, due_on, status in spec["actions"]
        ]
        if spec["notes"] is not None:
            notes = upsert(
                Notes,
                {"meeting": meeting},
                {
                    "summary": spec["notes"]["summary"],
                    "discussion_points": spec["notes"]["points"],
                    "decisions": spec["notes"]["decisions"],
                },
                dated=published,
            )
            for name, organisation, mode in spec["attendees"]:
                upsert(
                    Attendee,
                    {"notes": notes, "name": name},
                    {"organisation": organisation, "mode": mode},
                )
            if notes.versions.filter(number=1, withdrawn_at__isnull=False).exists():
                continue  # withdrawn while trying the site: erased, and so it stays
            version = upsert(
                NotesVersion,
                {"notes": notes, "number": 1},
                {
                    "summary": notes.summary,
                    "discussion_points": notes.discussion_points,
                    "decisions": notes.decisions,
                    "attendees": [
                        {"name": n, "organisation": o, "mode": m}
                        for n, o, m in sorted(spec["attendees"])
                    ],
                    "published_at": published,
                },
            )
            # The actions were agreed at the meeting and published with its notes.
            for action in actions:
                upsert(
                    PublishedAction,
                    {"version": version, "action": action},
                    {
                        "description": action.description,
                        "owner": action.owner,
                        "due_on": action.due_on,
                        "published_status": "open",
                    },
                )

    user_model = get_user_model()
    participant = user_model.objects.get(email="participant@demo.policyhub.test")
    for spec in _upcoming(timezone.localdate()):
        meeting = _meeting(spec)
        # Registered the day after the meeting was announced, before any reminder fell due:
        # reminders go to people registered by then, so the first one reaches the demo
        # participant as it would a real one.
        registration, _ = Registration.objects.get_or_create(
            meeting=meeting, user=participant, defaults={"mode": Registration.Mode.REMOTE}
        )
        date_row(registration, spec["announced"] + timedelta(days=1))
