"""Demo working groups: the seed's three original strands (2014) and the three new
proposals reviewed when the process reconvened (2016)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from policyhub.demodata import upsert
from process.models import Process, Step

from .models import Membership, WorkingGroup

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
]


def load() -> None:
    convenor = get_user_model().objects.get(email="convenor@demo.policyhub.test")
    for process_slug, step_number, slug, name, purpose in GROUPS:
        process = Process.objects.get(slug=process_slug)
        group = upsert(
            WorkingGroup,
            {"slug": slug},
            {
                "process": process,
                "step": Step.objects.get(process=process, number=step_number),
                "name": name,
                "purpose": purpose,
                "status": WorkingGroup.Status.CONCLUDED,
            },
        )
        if slug == "research-and-statistics":
            upsert(Membership, {"group": group, "user": convenor}, {"role": "convenor"})
