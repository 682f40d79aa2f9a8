"""factory_boy factories shared by every app's tests. Apps with many models of their own
may keep extra factories in tests/<app>/factories.py."""

from __future__ import annotations

from datetime import date, timedelta

import factory
from django.utils import timezone

from consultation.models import Analyst, Consultation
from policyhub.models import SecretariatMember, Sector, User
from process.models import Process, Step
from workinggroups.models import Membership, WorkingGroup

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    organisation = factory.Faker("company")
    sector = Sector.CIVIL_SOCIETY
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs) -> None:
        """Verified email by default, as allauth requires before sign-in."""
        if not create:
            return
        self.save()  # keeps the password set above
        if extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class SecretariatMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SecretariatMember

    user = factory.SubFactory(UserFactory)


class ProcessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Process

    title = factory.Sequence(lambda n: f"Open policy process {n}")
    slug = factory.Sequence(lambda n: f"process-{n}")
    summary = "Developing policy together."
    starts_on = date(2014, 3, 1)
    ends_on = date(2015, 3, 31)


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    process = factory.SubFactory(ProcessFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Step title {n}")
    summary = "What happens in this step."
    starts_on = date(2014, 3, 1)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=30))


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    process = factory.SubFactory(ProcessFactory)
    name = factory.Sequence(lambda n: f"Working group {n}")
    slug = factory.Sequence(lambda n: f"working-group-{n}")
    purpose = "Agree the purpose of data sharing in this strand."
    status = WorkingGroup.Status.ACTIVE


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    process = factory.SubFactory(ProcessFactory)
    title = factory.Sequence(lambda n: f"Consultation {n}")
    slug = factory.Sequence(lambda n: f"consultation-{n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=49))


class AnalystFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Analyst

    consultation = factory.SubFactory(ConsultationFactory)
    user = factory.SubFactory(UserFactory)


def date_fields(name: str, day: date | str) -> dict[str, str]:
    """A date as the three boxes of a date input (policyhub.forms.DateField) send it."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }
