"""Organisations (district, departments, offices, streets, communities, halls, windows) and people."""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yiwang.core.fields import EncryptedIdentifierField, EncryptedTextField
from yiwang.core.masking import mask_id, mask_mobile
from yiwang.core.validators import (
    normal_form,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
)

from .roles import ADMIN_ROLES, Role

if TYPE_CHECKING:
    from datetime import date


class NormalIdentifiers:
    """Identifiers are stored in their one normal form (NFKC, ASCII, upper case), whatever path wrote them
    (service, admin, import), so uniqueness holds on what the number is, not how it was typed."""

    IDENTIFIER_FIELDS: tuple[str, ...] = ()

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name in self.IDENTIFIER_FIELDS:
            setattr(self, name, normal_form(getattr(self, name)))
        super().save(*args, **kwargs)  # type: ignore[misc]


class District(models.Model):
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SEAL_MAX_BYTES = 512 * 1024


def validate_seal_png(value: Any) -> None:
    """A seal is a PNG file of at most 512 KB (read by its signature, not its name)."""
    from django.core.exceptions import ValidationError

    f = getattr(value, "file", value)
    size = getattr(value, "size", None)
    if size is not None and size > SEAL_MAX_BYTES:
        raise ValidationError(_("The seal image is larger than 512 KB."), code="seal_size")
    try:
        position = f.tell()
        f.seek(0)
        head = f.read(8)
        f.seek(position)
    except (AttributeError, OSError, ValueError):
        return  # a stored file that is not open: checked when it was uploaded
    if head != PNG_SIGNATURE:
        raise ValidationError(_("The seal must be a PNG image."), code="seal_png")


class Department(models.Model):
    """An organisation whose items are in the catalogue: a government department, one of the public-service
    utilities (water, power, gas, telecoms, post) or another organisation stationed in the halls (a municipal
    agency's counter, a bank, the digital-certificate service)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        UTILITY = "utility", _("Public-service utility")
        STATIONED = "stationed", _("Other organisation stationed in the halls")

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="departments")
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    short_name = models.CharField(_("short name"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.GOVERNMENT)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("department or organisation")
        verbose_name_plural = _("departments and organisations")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["government", "utility", "stationed"]), name="department_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="streets")
    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("street")
        verbose_name_plural = _("streets")

    def __str__(self) -> str:
        return self.name


class Community(models.Model):
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="communities", verbose_name=_("street")
    )
    code = models.CharField(_("division code"), max_length=15, unique=True)
    name = models.CharField(_("name"), max_length=30)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")

    def __str__(self) -> str:
        return f"{self.street.name}·{self.name}"


class Office(models.Model):
    """A back office that handles cases: a section of a department, or a street's office."""

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("department"),
    )
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("street"),
    )
    # What its official documents carry (docs/adr/0059): the 机关代字 of their 文号, the electronic seal, and
    # the remedies a refusal names (blank: the district's people's government and people's court).
    document_code = models.CharField(
        _("document code (机关代字)"),
        max_length=20,
        blank=True,
        help_text=_("The organ's abbreviation in document numbers, e.g. 深龙市监 (blank: the office code)."),
    )
    seal = models.FileField(
        _("electronic seal (PNG)"),
        upload_to="seals/",
        max_length=200,
        blank=True,
        validators=[validate_seal_png],
        help_text=_("A square PNG with a transparent background, printed over the date of every notice."),
    )
    reconsideration_body = models.CharField(
        _("administrative reconsideration body"),
        max_length=80,
        blank=True,
        help_text=_("Named in refusals (blank: the district's people's government)."),
    )
    court = models.CharField(
        _("court for administrative lawsuits"),
        max_length=80,
        blank=True,
        help_text=_("Named in refusals (blank: the district's people's court)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(department__isnull=False, street__isnull=True)
                    | Q(department__isnull=True, street__isnull=False)
                ),
                name="office_belongs_to_department_or_street",
            )
        ]

    def __str__(self) -> str:
        parent = self.department or self.street
        return f"{parent}·{self.name}" if parent else self.name


class Hall(models.Model):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("District service hall")
        STREET = "street", _("Street service hall")
        COMMUNITY = "community", _("Community service station")
        PARK = "park", _("Industrial-park service platform")

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="halls")
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="halls",
        verbose_name=_("street"),
    )
    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, null=True, blank=True, related_name="halls"
    )
    address = models.CharField(_("address"), max_length=200)
    lat = models.FloatField(_("latitude"))
    lng = models.FloatField(_("longitude"))
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    # Weekly opening hours: {"1": [["09:00","12:00"],["14:00","18:00"]], …, "7": []}; ISO weekday keys.
    opening_hours = models.JSONField(_("opening hours"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service hall")
        verbose_name_plural = _("service halls")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["district", "street", "community", "park"]), name="hall_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Window(models.Model):
    class Kind(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("Comprehensive window")
        DEDICATED = "dedicated", _("Dedicated window")
        UTILITY = "utility", _("Utility counter")
        GREEN = "green", _("Green channel")

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="windows")
    number = models.CharField(_("window number"), max_length=10)
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.COMPREHENSIVE)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="windows"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hall", "number"]
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="window_number_unique_in_hall")
        ]

    def __str__(self) -> str:
        return f"{self.hall.name} {self.number}"


class User(NormalIdentifiers, AbstractUser):
    """A login: staff member or applicant. Staff act only within their office or hall."""

    IDENTIFIER_FIELDS = ("mobile",)

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        APPLICANT = "applicant", _("Applicant")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.APPLICANT)
    full_name = models.CharField(_("full name"), max_length=60, blank=True)
    mobile = EncryptedIdentifierField(
        _("mobile"), index_field="mobile_index", blank=True, validators=[validate_mobile]
    )
    mobile_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("office"),
    )
    hall = models.ForeignKey(
        Hall,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("service hall"),
    )
    community = models.ForeignKey(
        Community,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grid_workers",
        verbose_name=_("community"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["staff", "applicant"]), name="user_kind_valid")
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    def role_set(self) -> frozenset[str]:
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_grants.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique"),
            # 三权分立: at most one of the three administrator roles per person, enforced by the database.
            models.UniqueConstraint(
                fields=["user"], condition=Q(role__in=sorted(ADMIN_ROLES)), name="one_admin_role_per_user"
            ),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Person(NormalIdentifiers, models.Model):
    """A natural-person applicant (自然人), identified by resident ID (GB 11643)."""

    IDENTIFIER_FIELDS = ("id_number", "mobile")

    class Verification(models.TextChoices):
        NOT_CHECKED = "not_checked", _("Not checked")
        VERIFIED = "verified", _("Verified")
        UNAVAILABLE = "unavailable", _("Not verified: the identity source could not be reached")

    name = models.CharField(_("name"), max_length=60)
    # Encrypted at rest (SM4), found and kept unique by their blind indexes (docs/adr/0014).
    id_number = EncryptedIdentifierField(
        _("resident ID number"), index_field="id_number_index", validators=[validate_resident_id]
    )
    id_number_index = models.CharField(max_length=64, unique=True, editable=False)
    mobile = EncryptedIdentifierField(
        _("mobile"), index_field="mobile_index", blank=True, validators=[validate_mobile]
    )
    mobile_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        verbose_name=_("community"),
    )
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="person")
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    # Real-name verification (docs/adr/0056): what the configured verifier answered, and the level reached
    # (0 nothing checked, 1 mobile confirmed by a one-time code, 2 name and ID confirmed by the source).
    verification = models.CharField(
        _("real-name verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.NOT_CHECKED,
    )
    verification_level = models.PositiveSmallIntegerField(_("verification level"), default=0)
    verification_source = models.CharField(_("verified by"), max_length=40, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("natural person")
        verbose_name_plural = _("natural persons")

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_id})"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def birth_date(self) -> date:
        from stdnum.cn import ric

        return ric.get_birth_date(self.id_number)


class Enterprise(NormalIdentifiers, models.Model):
    """An enterprise or other organisation applicant, identified by its credit code (GB 32100)."""

    IDENTIFIER_FIELDS = ("credit_code",)

    name = models.CharField(_("name"), max_length=120)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=60)
    address = models.CharField(_("address"), max_length=200, blank=True)
    street = models.ForeignKey(
        Street,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="enterprises",
        verbose_name=_("street"),
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self) -> str:
        return self.name


class AgentAuthorization(models.Model):
    """A person who may act for an enterprise: its legal representative or an authorised agent."""

    class Kind(models.TextChoices):
        LEGAL_REPRESENTATIVE = "legal_rep", _("Legal representative")
        AGENT = "agent", _("Authorised agent")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="agents", verbose_name=_("enterprise")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="agencies", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AGENT)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("agent authorisation")
        verbose_name_plural = _("agent authorisations")
        constraints = [models.UniqueConstraint(fields=["enterprise", "person"], name="agent_unique")]

    def __str__(self) -> str:
        return f"{self.person.name} → {self.enterprise.name}"


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for a system account; only its digest is stored."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_raw() -> str:
        return "yw_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _token_digest(raw)

    @staticmethod
    def prefix_of(raw: str) -> str:
        """What lists show of a token: the 8 characters after ``yw_``."""
        return raw[3:11]


class PasswordReset(models.Model):
    """A dual-controlled password reset of an account (docs/adr/0011): the security administrator
    requests it and receives one half of the code, a second administrator approves it and receives the
    other half; only the account's owner, given both halves, sets the new password. No administrator
    alone can take over an account. Only the halves' digests are stored."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for a second administrator")
        APPROVED = "approved", _("Approved: waiting for the account's owner")
        USED = "used", _("Password set by the owner")
        CANCELLED = "cancelled", _("Cancelled")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_resets", verbose_name=_("account")
    )
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    first_half = models.CharField(max_length=64, editable=False)
    second_half = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("password reset")
        verbose_name_plural = _("password resets")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=["requested", "approved"]),
                name="one_open_password_reset",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_state_display()}"


class TotpDevice(models.Model):
    """A staff member's authenticator (TOTP, RFC 6238: 6 digits, 30 s), with ten one-time recovery codes
    (their digests). ``last_step`` refuses a code used twice (docs/adr/0013)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="totp", verbose_name=_("account")
    )
    secret = EncryptedTextField(editable=False)  # SM4 at rest, like the identifiers (docs/adr/0014)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    last_step = models.BigIntegerField(default=0, editable=False)
    recovery_codes = models.JSONField(default=list, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"{self.user} · {'confirmed' if self.confirmed_at else 'not confirmed'}"


class SignInCode(NormalIdentifiers, models.Model):
    """A one-time code sent by SMS to a resident's mobile, to register or to sign in (docs/adr/0056).

    Only a keyed digest of the code is stored (HMAC with the site's secret and a per-code salt); the mobile
    is encrypted like every identifier. A code is used once, expires after ``OTP_CODE_VALID_SECONDS`` and
    takes at most ``OTP_MAX_WRONG`` wrong tries; a newer code for the same mobile and purpose replaces it."""

    IDENTIFIER_FIELDS = ("mobile",)

    class Purpose(models.TextChoices):
        REGISTER = "register", _("Registration")
        SIGN_IN = "sign_in", _("Sign-in")

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    mobile = EncryptedIdentifierField(_("mobile"), index_field="mobile_index", validators=[validate_mobile])
    mobile_index = models.CharField(max_length=64, db_index=True, editable=False)
    salt = models.CharField(max_length=32, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    wrong_tries = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=["register", "sign_in"]), name="signin_code_purpose"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {mask_mobile(self.mobile)}"
