"""People, their project-wide role (the secretariat), the audit log, and abstract bases.

Roles that belong to one thing live beside it: working-group membership (member, convenor)
in `workinggroups`, analysts in `consultation`. `policyhub.roles` is the one place that
answers "what may this person be?" across all of them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Every page says when its content was last updated, so every model records it."""

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Sector(models.TextChoices):
    """The seed's three groups, plus the public: the process is open to anybody."""

    GOVERNMENT = "government", _("Government department or agency")
    CIVIL_SOCIETY = "civil_society", _("Civil society organisation")
    EXPERT = "expert", _("Expert or academic")
    PUBLIC = "public", _("Member of the public")

    @property
    def plural(self) -> str:
        """ "government departments and agencies": for sentences about a whole sector."""
        return SECTOR_PLURALS[self]


SECTOR_PLURALS = {
    Sector.GOVERNMENT: _("government departments and agencies"),
    Sector.CIVIL_SOCIETY: _("civil society organisations"),
    Sector.EXPERT: _("experts and academics"),
    Sector.PUBLIC: _("members of the public"),
}


class UserManager(BaseUserManager["User"]):
    """People sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person taking part. Their profile (name, organisation, sector) is public;
    their email address never is."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        "name", max_length=150, help_text="Shown on member lists and attendance records."
    )
    organisation = models.CharField(max_length=200, blank=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email.split("@")[0]

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return str(self)


class SecretariatMember(models.Model):
    """A row here makes a person part of the secretariat, who run the whole process and
    manage restricted documents. A row, not `is_staff`, so it is visible and audited."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="secretariat_membership"
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "secretariat member"

    def __str__(self) -> str:
        return f"{self.user} (secretariat)"


class AuditEntry(models.Model):
    """Append-only record of a write that changed who can see something, who belongs
    somewhere, or what is published. Written only by `policyhub.audit.record`."""

    action = models.CharField(max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_repr}"


class Heartbeat(models.Model):
    """When a periodic job last ran, one row per job (its CELERY_BEAT_SCHEDULE key), so
    `/readyz` can tell a stopped beat or worker from a quiet day. Written by
    `policyhub.health.record_heartbeat`."""

    name = models.CharField(max_length=100, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
