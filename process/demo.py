"""Demo data from the seed: the UK's data sharing open policy process, 2014-2016.

People are fictional; organisations are the ones the seed names. Passwords are for local
development only and documented in README.md ("Demo accounts").
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from policyhub.demodata import give_authenticator_app, on, upsert
from policyhub.models import SecretariatMember, Sector

from .models import Process, SectorEngagement, Step

DEMO_PASSWORDS = {
    "secretariat@demo.policyhub.test": "demo-secretariat-2014",
    "convenor@demo.policyhub.test": "demo-convenor-2014",
    "participant@demo.policyhub.test": "demo-participant-2014",
}
# The demo secretariat signs in with a code from an authenticator app, as the secretariat
# must (policyhub/two_factor.py). Its secret is published for development only; any TOTP app
# (or `oathtool --totp -b POLICYHUBDEMOSECRETARIAT`) gives the codes. README.md, "Demo accounts".
DEMO_SECRETARIAT_TOTP_SECRET = "POLICYHUBDEMOSECRETARIAT"

TERMS_AGREED = "These terms of reference were agreed on {agreed} and apply to everyone taking part."

TERMS_OF_REFERENCE = (
    TERMS_AGREED.format(agreed="11 March 2014")
    + """

## Open by default

The default position is for all documents relevant to the process to be open, unless there is
a strong case for restricting access. All documents produced during the process should be
presented in a clear and intelligible way, so that any interested person can follow progress.

## Meeting notes and the Chatham House Rule

Notes are taken at each meeting, capturing the main discussion points and decisions taken.
Meeting notes include a record of everyone who attended, but no comment is attributed to any
individual: the Chatham House Rule applies.

## Open participation

The process is open to anybody with the interest and expertise to engage. Involve is
responsible for engaging civil society organisations and experts. The Cabinet Office is
responsible for engaging government departments and agencies.

## Meetings

As far as possible, meeting times are set well in advance to enable attendance. A series of
meetings is held in regions around the UK to broaden engagement beyond London. As far as
possible, all meetings allow remote participation.

## Honesty, trust and mediation

The process depends on mutual honesty and trust from everyone involved. All groups are
expected to engage constructively. Issues should be raised as early as possible. Where there is
significant disagreement, Involve and the Cabinet Office Data Sharing Policy Team play a
mediation role.

## Levels of agreement

Everyone taking part remains independent and there is no expectation of consensus on every
issue. Working groups work towards the highest level of agreement that can be found on an issue
(levels 1 or 2):

1. Agreement on approach and detail
2. Agreement on approach but alternative proposals on some detail
3. Alternative proposals but agreement on the pros and cons
4. Alternative proposals

## Parallel sign-off

As a joint policy paper, a parallel sign-off process takes place in government and in the civil
society network.
"""
)
# The reconvened process worked to the same terms, agreed again when it reconvened. The seed
# gives no date for that; the demo uses the day the process reconvened.
RECONVENED_TERMS_OF_REFERENCE = TERMS_OF_REFERENCE.replace(
    TERMS_AGREED.format(agreed="11 March 2014"), TERMS_AGREED.format(agreed="1 December 2015")
)

PROCESSES = [
    {
        "slug": "data-sharing-2014",
        "title": "Data sharing open policy process",
        "starts_on": date(2014, 3, 1),
        "ends_on": date(2015, 3, 31),
        "terms_of_reference": TERMS_OF_REFERENCE,
        # Written when the terms were agreed; last changed when the work concluded.
        "dated": (date(2014, 3, 11), date(2015, 3, 31)),
        "summary": (
            "Government, civil society and experts developed proposals for the conditions "
            "under which government should be allowed to share personal data, and the "
            "safeguards that should be in place. The joint policy paper, published in "
            "February 2015, maps where the groups agree and where they disagree. The work "
            "concluded in March 2015 with a meeting of the open policy making network and "
            "the Minister for the Cabinet Office, Francis Maude."
        ),
        "steps": [
            (
                1,
                "Policy process scoped out and agreed",
                date(2014, 3, 1),
                date(2014, 4, 30),
                "The process is scoped out and agreed by government, civil society and "
                "experts, starting with a planning meeting on 31 March 2014.",
                "An agreed scope and terms of reference.",
            ),
            (
                2,
                "Working groups develop proposals",
                date(2014, 4, 1),
                date(2014, 9, 30),
                "Working groups begin on Research & Statistics; Fraud, Error & Debt; and "
                "Tailored Public Services for Individuals. Each agrees the purpose of data "
                "sharing in its strand, reviews the evidence of barriers, risks and public "
                "views, explores options and safeguards, and makes proposals.",
                "Proposals from each working group, and a list of wider issues.",
            ),
            (
                3,
                "Interim policy paper developed",
                date(2014, 10, 1),
                date(2014, 10, 31),
                "Working groups come back together to develop the strands into one policy "
                "paper, co-drafted by government departments, civil society organisations "
                "and experts, with the Cabinet Office taking a lead.",
                "A published interim policy paper setting out the interim findings.",
            ),
            (
                4,
                "Concluding policy paper developed",
                date(2014, 11, 1),
                date(2015, 3, 31),
                "Working groups continue to develop the detail of each strand into a policy "
                "paper of conclusions: proposals where consensus was found, and options "
                "where disagreement remains.",
                "The joint policy paper (February 2015), developed into a joint White Paper.",
            ),
        ],
    },
    {
        "slug": "data-sharing-reconvened-2016",
        "title": "Reconvened data sharing open policy process",
        "starts_on": date(2015, 12, 1),
        "ends_on": date(2016, 7, 31),
        "terms_of_reference": RECONVENED_TERMS_OF_REFERENCE,
        # The seed's page for the reconvened process was last updated in July 2016.
        "dated": (date(2015, 12, 1), date(2016, 7, 29)),
        "summary": (
            "The process was reconvened between December 2015 and February 2016 to review "
            "the suitability of data sharing for the three original purposes, and three new "
            "proposals not in the original process. The Better Use of Data in Government "
            "consultation ran for 8 weeks from 29 February to 22 April 2016, and an External "
            "Advisory Group of civil society and academic representatives challenged the "
            "analysis of its responses."
        ),
        "steps": [
            (
                1,
                "Working groups review original and new proposals",
                date(2016, 1, 1),
                date(2016, 1, 31),
                "Working groups review and develop the original three strands (Research & "
                "Statistics; Fraud, Error & Debt; & Tailored Public Services for Individuals) "
                "and review and develop three new proposals:\n\n"
                "1. data sharing to support better management of debt owed to government\n"
                "2. data sharing to assist citizens who are living in fuel poverty\n"
                "3. sharing civil registration information to assist public bodies to fulfil "
                "their functions",
                "Reviewed proposals for the consultation.",
            ),
            (
                2,
                "Consultation events and the External Advisory Group report",
                date(2016, 3, 1),
                date(2016, 7, 31),
                "A final version of the Better Use of Data in Government policy proposal was "
                "opened to the public for consultation from 29 February to 22 April 2016. "
                "Working groups fed back into the consultation at a series of events. A "
                "nominated External Advisory Group involving selected representatives from "
                "civil society and academia offered a set of recommendations for the analysis "
                "of consultation responses.",
                "Consultation responses and the External Advisory Group's recommendations.",
            ),
        ],
    },
]

# The two processes above concluded in 2015 and 2016, so nothing in them can be joined,
# registered for or answered any more. The practice process runs whatever today is, so a
# newcomer can try those things; it takes up wider issues the working groups logged for
# future exploration, and everything in it is made up.
PRACTICE = "next-open-policy-process"


def practice_process() -> dict:
    """The practice process's spec, dated from today."""
    today = timezone.localdate()
    began = today - timedelta(days=30)
    return {
        "slug": PRACTICE,
        "title": "Next open policy process (practice, demo)",
        "starts_on": began,
        "ends_on": today + timedelta(days=120),
        "terms_of_reference": TERMS_OF_REFERENCE.replace(
            TERMS_AGREED.format(agreed="11 March 2014"),
            TERMS_AGREED.format(agreed=f"{began.day} {began:%B %Y}"),
        ),
        "dated": (began, began),
        "summary": (
            "A practice process for trying PolicyHub; it is not part of the real data "
            "sharing process. Its dates follow today's date, so you can ask to join a working "
            "group, convene one, register for its meetings and respond to its consultation. "
            "It takes up wider issues the data sharing working groups logged for future "
            "exploration. Its groups, meetings and consultation are made up."
        ),
        "steps": [
            (
                1,
                "Working groups explore wider issues",
                began,
                today + timedelta(days=60),
                "Working groups agree the purpose and scope of each issue, review the "
                "evidence and make proposals.",
                "Proposals for each issue, with their level of agreement.",
            ),
            (
                2,
                "Consultation on priorities",
                today + timedelta(days=61),
                today + timedelta(days=120),
                "The public is asked which proposals should be taken forward first.",
                "A summary of responses.",
            ),
        ],
    }


ENGAGEMENTS = [
    (Sector.CIVIL_SOCIETY, "Involve"),
    (Sector.EXPERT, "Involve"),
    (Sector.GOVERNMENT, "Cabinet Office"),
]

PEOPLE = [
    # email, name, organisation, sector, superuser+secretariat
    ("secretariat@demo.policyhub.test", "Sam Okafor", "Cabinet Office", Sector.GOVERNMENT, True),
    ("convenor@demo.policyhub.test", "Priya Hale", "Involve", Sector.CIVIL_SOCIETY, False),
    ("participant@demo.policyhub.test", "Tom Reyes", "", Sector.PUBLIC, False),
]


def load_people() -> None:
    """Demo accounts with verified email addresses, so they can sign in straight away."""
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    for email, name, organisation, sector, is_admin in PEOPLE:
        user, created = user_model.objects.get_or_create(
            email=email,
            defaults={
                "display_name": name,
                "organisation": organisation,
                "sector": sector,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORDS[email])
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if is_admin:
            SecretariatMember.objects.get_or_create(
                user=user, defaults={"note": "Demo secretariat (Cabinet Office)"}
            )
            give_authenticator_app(user, DEMO_SECRETARIAT_TOTP_SECRET)


def load() -> None:
    for spec in [*PROCESSES, practice_process()]:
        created, updated = spec["dated"]
        process = upsert(
            Process,
            {"slug": spec["slug"]},
            {
                "title": spec["title"],
                "starts_on": spec["starts_on"],
                "ends_on": spec["ends_on"],
                "summary": spec["summary"],
                "terms_of_reference": spec["terms_of_reference"],
            },
            dated=on(created),
            updated=on(updated),
        )
        for number, title, starts_on, ends_on, summary, produces in spec["steps"]:
            upsert(
                Step,
                {"process": process, "number": number},
                {
                    "title": title,
                    "starts_on": starts_on,
                    "ends_on": ends_on,
                    "summary": summary,
                    "produces": produces,
                },
                dated=on(created),
            )
        for sector, body in ENGAGEMENTS:
            upsert(SectorEngagement, {"process": process, "sector": sector}, {"body": body})
    load_people()
