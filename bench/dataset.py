"""Builds the benchmark's dataset at a scale factor, fast (bulk_create), on the bench database.

Run by bench.run as `python -m bench.dataset SCALE`; prints JSON "facts" (slugs, ids, a
session cookie for the signed-in member) that bench.pages turns into URLs. Each app's part
is one function in BUILDERS, so the dataset grows with the product.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policyhub.settings.production")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from policyhub.models import Sector, User  # noqa: E402
from process.models import Process, Step  # noqa: E402
from workinggroups.models import Membership, WorkingGroup  # noqa: E402

FULL = {"working_groups": 6, "members_per_group": 500}


def scaled(name: str, scale: float) -> int:
    return max(1, round(FULL[name] * scale))


def build_process(scale: float, facts: dict) -> None:
    """The demo process (real steps) is the base every other builder hangs from."""
    call_command("load_demo", verbosity=0)
    facts["process_slug"] = "data-sharing-2014"


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


BUILDERS: list[Callable[[float, dict], None]] = [build_process, build_workinggroups]


def member_session(user_id: int) -> str:
    """A real signed-in session for the benchmark's member, without a password round trip."""
    user = User.objects.get(pk=user_id)
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
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
    json.dump(facts, sys.stdout)


if __name__ == "__main__":
    main()
