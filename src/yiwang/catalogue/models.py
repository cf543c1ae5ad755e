"""The service-item catalogue (一单): items in national-standard terms, their materials, process steps,
search synonyms, and the immutable published versions that guides and cases read.

Hierarchy: ``MainItem`` (主项) → ``SubItem`` (子项, optional) → ``Item`` (办理项: one handling type such as
新设 / 变更 / 延续 / 注销). An ``Item`` is what people apply for. Items are edited as drafts; each publication
writes an immutable ``ItemVersion`` holding a JSON snapshot of the item, its materials and its steps.
Writers are in ``services.py``; readers in ``selectors.py``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class ItemType(models.TextChoices):
    """事项类型 (docs/rules.md §8)."""

    LICENSING = "01", _("Administrative licensing")
    PENALTY = "02", _("Administrative penalty")
    COERCION = "03", _("Administrative coercion")
    LEVY = "04", _("Administrative levy")
    BENEFIT = "05", _("Administrative benefit payment")
    INSPECTION = "06", _("Administrative inspection")
    CONFIRMATION = "07", _("Administrative confirmation")
    REWARD = "08", _("Administrative reward")
    ADJUDICATION = "09", _("Administrative adjudication")
    OTHER_POWER = "10", _("Other administrative power")
    PUBLIC_SERVICE = "20", _("Public service")


class HandlingKind(models.TextChoices):
    """办件类型."""

    INSTANT = "1", _("Instant (decided on the spot)")
    PROMISED = "2", _("Promised (decided within the committed limit)")


class ServiceObject(models.TextChoices):
    """服务对象."""

    PERSON = "1", _("Natural person")
    ENTERPRISE = "2", _("Enterprise legal person")
    PUBLIC_INSTITUTION = "3", _("Public-institution legal person")
    SOCIAL_ORGANISATION = "4", _("Social-organisation legal person")
    UNINCORPORATED = "5", _("Unincorporated enterprise")
    AUTHORITY = "6", _("Administrative authority")
    OTHER = "9", _("Other organisation")


# Service objects that count as "serving enterprises" (legal persons and other organisations).
ENTERPRISE_OBJECTS = frozenset({"2", "3", "4", "5", "9"})


class PowerSource(models.TextChoices):
    """权力来源."""

    STATUTORY = "1", _("Statutory, exercised at this level")
    DEVOLVED = "2", _("Devolved from a higher level")
    AUTHORISED_HIGHER = "3", _("Authorised by a higher level")
    AUTHORISED_PEER = "4", _("Authorised by a peer")
    ENTRUSTED_HIGHER = "5", _("Entrusted by a higher level")
    ENTRUSTED_PEER = "6", _("Entrusted by a peer")


class BodyNature(models.TextChoices):
    """实施主体性质."""

    STATUTORY_AUTHORITY = "1", _("Statutory authority")
    AUTHORISED_ORGANISATION = "2", _("Authorised organisation")
    ENTRUSTED_ORGANISATION = "3", _("Entrusted organisation")


class HandlingType(models.TextChoices):
    """办理项 (handling type) under a main or sub-item."""

    SINGLE = "00", _("Single handling type")
    NEW = "01", pgettext_lazy("item change", "New")
    CHANGE = "02", pgettext_lazy("item change", "Change")
    RENEWAL = "03", _("Renewal")
    CANCELLATION = "04", _("Cancellation")
    REISSUE = "05", _("Reissue or replacement")
    OTHER = "99", _("Other")


class OnlineDepth(models.TextChoices):
    """网上办理深度 I–IV."""

    I = "1", _("I: information online")  # noqa: E741
    II = "2", _("II: forms and materials online")
    III = "3", _("III: applied online, one visit to collect")
    IV = "4", _("IV: fully online (全程网办)")


class Tongban(models.TextChoices):
    """通办范围: which halls may accept the item beyond its own level."""

    NONE = "none", _("Not 通办 (halls of the item's level only)")
    DISTRICT = "district", _("District-wide 通办 (every district, street and community hall)")
    LISTED = "listed", _("通办 at the listed halls")


class Level(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", pgettext_lazy("level", "Street")
    COMMUNITY = "community", pgettext_lazy("level", "Community")


class Theme(models.TextChoices):
    """Life events (个人) and business themes (企业) used to browse the catalogue."""

    BIRTH = "birth", _("Having a baby")
    SCHOOL = "school", _("Going to school")
    EMPLOYMENT = "employment", _("Employment")
    MARRIAGE = "marriage", _("Marriage and family")
    HOUSING = "housing", _("Housing")
    ELDERLY = "elderly", _("Old age and care")
    DEATH = "death", _("After a death")
    HEALTH = "health", _("Health and medical insurance")
    SOCIAL_SECURITY = "social_security", _("Social insurance")
    DISABILITY = "disability", _("Disability")
    VETERANS = "veterans", _("Veterans")
    TRAVEL = "travel", _("Identity, residence and travel")
    PETS = "pets", _("Pets")
    UTILITIES = "utilities", _("Water, power, gas and telecom")
    START = "start", _("Starting a business")
    CHANGE = "change", _("Changing a business")
    OPERATING = "operating", _("Operating licences")
    CONSTRUCTION = "construction", _("Construction projects")
    CLOSURE = "closure", _("Closing a business")
    TAX = "tax", _("Tax")
    HR = "hr", _("Staff and human resources")
    INNOVATION = "innovation", _("Science, technology and support funds")


PERSON_THEMES = (
    "birth",
    "school",
    "employment",
    "marriage",
    "housing",
    "elderly",
    "death",
    "health",
    "social_security",
    "disability",
    "veterans",
    "travel",
    "pets",
    "utilities",
)
BUSINESS_THEMES = ("start", "change", "operating", "construction", "closure", "tax", "hr", "innovation")


class MainItem(models.Model):
    """主项: a power or service as listed in the national catalogue."""

    code = models.CharField(_("main item code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="main_items",
        verbose_name=_("department"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("main item")
        verbose_name_plural = _("main items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SubItem(models.Model):
    """子项: a subdivision of a main item (optional)."""

    main = models.ForeignKey(
        MainItem, on_delete=models.CASCADE, related_name="sub_items", verbose_name=_("main item")
    )
    code = models.CharField(_("sub-item code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sub-item")
        verbose_name_plural = _("sub-items")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Item(models.Model):
    """办理项: the handling-level entry people apply for. This row is the editable draft."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft, never published")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.CharField(_("item code"), max_length=32, unique=True)
    main = models.ForeignKey(
        MainItem, on_delete=models.PROTECT, related_name="items", verbose_name=_("main item")
    )
    sub = models.ForeignKey(
        SubItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("sub-item"),
    )
    handling_type = models.CharField(
        _("handling type"), max_length=2, choices=HandlingType.choices, default=HandlingType.SINGLE
    )
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    item_type = models.CharField(_("item type"), max_length=2, choices=ItemType.choices)
    handling_kind = models.CharField(_("handling kind"), max_length=1, choices=HandlingKind.choices)
    # Comma-separated ServiceObject codes, e.g. "1,2".
    service_objects = models.CharField(_("service objects"), max_length=20)
    power_source = models.CharField(
        _("power source"), max_length=1, choices=PowerSource.choices, default=PowerSource.STATUTORY
    )
    implementing_body = models.CharField(_("implementing body"), max_length=120)
    body_nature = models.CharField(
        _("implementing body nature"),
        max_length=1,
        choices=BodyNature.choices,
        default=BodyNature.STATUTORY_AUTHORITY,
    )
    level_district = models.BooleanField(_("district level"), default=False)
    level_street = models.BooleanField(_("street level"), default=False)
    level_community = models.BooleanField(_("community level"), default=False)
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("owning department"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="items", verbose_name=_("owning office")
    )
    co_offices = models.ManyToManyField(
        "accounts.Office", blank=True, related_name="co_items", verbose_name=_("co-offices")
    )
    intermediary_services = models.TextField(_("intermediary services"), blank=True)
    legal_basis = models.TextField(_("legal basis"))
    conditions = models.TextField(_("acceptance conditions"))
    legal_limit_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    committed_limit_days = models.PositiveSmallIntegerField(_("committed time limit (working days)"))
    quantity_limit = models.CharField(_("quantity limit"), max_length=120, blank=True)
    has_fee = models.BooleanField(_("charges a fee"), default=False)
    fee_standard = models.TextField(_("fee items and standard"), blank=True)
    fee_basis = models.TextField(_("fee basis"), blank=True)
    result_name = models.CharField(_("result name"), max_length=120, blank=True)
    result_is_certificate = models.BooleanField(_("result is a certificate or licence"), default=False)
    result_sample = models.FileField(
        _("result sample"), upload_to="catalogue/samples/", blank=True, max_length=200
    )
    result_elicence = models.BooleanField(_("result becomes an e-licence"), default=False)
    visits = models.PositiveSmallIntegerField(_("in-person visits required"), default=0)
    visit_reason = models.CharField(_("reason for the visit"), max_length=200, blank=True)
    online_depth = models.CharField(
        _("online depth"), max_length=1, choices=OnlineDepth.choices, default=OnlineDepth.II
    )
    no_visit = models.BooleanField(_("no visit at all (不见面)"), default=False)
    postal_application = models.BooleanField(_("application by post offered"), default=False)
    tongban = models.CharField(_("通办 scope"), max_length=10, choices=Tongban.choices, default=Tongban.NONE)
    listed_halls = models.ManyToManyField(
        "accounts.Hall", blank=True, related_name="listed_items", verbose_name=_("listed halls")
    )
    listed_halls_only = models.BooleanField(
        _("only at the listed halls of its level"),
        default=False,
        help_text=_("E.g. social-insurance counters present in some street halls only."),
    )
    appointment_required = models.BooleanField(_("appointment required"), default=False)
    express_delivery = models.BooleanField(_("result by express delivery"), default=False)
    online_payment = models.BooleanField(_("online payment"), default=False)
    online_url = models.CharField(_("online application link"), max_length=200, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.CharField(_("hours"), max_length=200, blank=True)
    phone = models.CharField(_("enquiry telephone"), max_length=60, blank=True)
    # [{"q": "…", "a": "…"}, …]
    faq = models.JSONField(_("frequently asked questions"), default=list, blank=True)
    # Comma-separated Theme codes.
    themes = models.CharField(_("life events and business themes"), max_length=200, blank=True)
    keywords = models.CharField(_("search keywords"), max_length=200, blank=True)
    is_sample = models.BooleanField(_("generated sample data"), default=False)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "ItemVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    draft_changed = models.BooleanField(_("draft has unpublished changes"), default=True)
    # Search columns, maintained by services.item_reindex(): text, full pinyin, pinyin initials.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_pinyin = models.TextField(editable=False, blank=True, default="")
    search_initials = models.TextField(editable=False, blank=True, default="")
    # " 许 可 许可 …": Chinese characters and character pairs, space-padded, for 1–2 character queries.
    search_grams = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [
            models.CheckConstraint(
                condition=Q(committed_limit_days__lte=F("legal_limit_days")),
                name="item_committed_not_above_legal",
                violation_error_message=_("The committed limit cannot be above the legal limit."),
            ),
            models.CheckConstraint(
                condition=Q(item_type__in=[c.value for c in ItemType]), name="item_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(handling_kind__in=["1", "2"]), name="item_handling_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(online_depth__in=["1", "2", "3", "4"]), name="item_online_depth_valid"
            ),
            models.CheckConstraint(
                condition=Q(tongban__in=["none", "district", "listed"]), name="item_tongban_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "withdrawn"]), name="item_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["status", "name"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def levels(self) -> list[str]:
        return [
            lv
            for lv, on in (
                ("district", self.level_district),
                ("street", self.level_street),
                ("community", self.level_community),
            )
            if on
        ]

    @property
    def service_object_codes(self) -> list[str]:
        return [c for c in self.service_objects.split(",") if c]

    @property
    def serves_enterprises(self) -> bool:
        return bool(set(self.service_object_codes) & ENTERPRISE_OBJECTS)

    @property
    def theme_codes(self) -> list[str]:
        return [c for c in self.themes.split(",") if c]

    @property
    def compression_rate(self) -> float:
        return 1 - self.committed_limit_days / self.legal_limit_days if self.legal_limit_days else 0.0

    @property
    def display_name(self) -> str:
        return self.name_en if self.name_en and (get_language() or "").startswith("en") else self.name


class Material(models.Model):
    class Kind(models.TextChoices):
        REQUIRED = "required", _("Required")
        CONDITIONAL = "conditional", _("Conditional")

    class Medium(models.TextChoices):
        PAPER = "paper", _("Paper")
        ELECTRONIC = "electronic", _("Electronic")
        EITHER = "either", _("Paper or electronic")

    class Source(models.TextChoices):
        APPLICANT = "applicant", _("Brought by the applicant")
        SHARED = "shared", _("Obtained from another office's data")
        ELICENCE = "elicence", _("Obtained from an e-licence")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="materials", verbose_name=_("item"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("required or conditional"), max_length=12, choices=Kind.choices, default=Kind.REQUIRED
    )
    condition = models.CharField(_("condition"), max_length=300, blank=True)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    medium = models.CharField(
        _("paper or electronic"), max_length=10, choices=Medium.choices, default=Medium.EITHER
    )
    blank_form = models.FileField(_("blank form"), upload_to="catalogue/forms/", blank=True, max_length=200)
    filled_sample = models.FileField(
        _("filled-in sample"), upload_to="catalogue/forms/", blank=True, max_length=200
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.APPLICANT)
    source_note = models.CharField(
        _("obtained from"),
        max_length=200,
        blank=True,
        help_text=_("The office or e-licence the material is obtained from."),
    )
    rongque_allowed = models.BooleanField(_("may be supplied later (容缺)"), default=False)
    rongque_max_days = models.PositiveSmallIntegerField(_("longest allowed delay (working days)"), default=0)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="material_position_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["required", "conditional"]), name="material_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=["applicant", "shared", "elicence"]), name="material_source_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="steps", verbose_name=_("item"))
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("step"), max_length=60)
    office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office"),
    )
    days = models.PositiveSmallIntegerField(_("working days"), default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        constraints = [models.UniqueConstraint(fields=["item", "position"], name="step_position_unique")]

    def __str__(self) -> str:
        return self.name


class FormField(models.Model):
    """One field of the item's application form (申请表): what the applicant answers besides the uploaded
    materials. Rows with a ``group`` belong to the repeatable group of that key (e.g. each family member).
    Published with the item: a version's snapshot keeps its form under ``form``."""

    class Kind(models.TextChoices):
        TEXT = "text", pgettext_lazy("form field kind", "Text")
        LONG_TEXT = "long_text", _("Long text")
        NUMBER = "number", pgettext_lazy("form field kind", "Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        ADDRESS = "address", _("Address in the district")
        PERSON = "person", _("Person (name and ID number)")
        ENTERPRISE = "enterprise", _("Enterprise (name and credit code)")
        GROUP = "group", _("Repeatable group")

    class Prefill(models.TextChoices):
        NONE = "", _("Nothing")
        PERSON_NAME = "person.name", _("Applicant's name")
        PERSON_ID = "person.id_number", _("Applicant's ID number")
        PERSON_MOBILE = "person.mobile", _("Applicant's mobile number")
        PERSON_ADDRESS = "person.address", _("Applicant's address")
        PERSON = "person", _("The applicant (name and ID number)")
        ENTERPRISE_NAME = "enterprise.name", _("Enterprise's name")
        ENTERPRISE_CODE = "enterprise.credit_code", _("Enterprise's credit code")
        ENTERPRISE_REP = "enterprise.legal_representative", _("Enterprise's legal representative")
        ENTERPRISE_ADDRESS = "enterprise.address", _("Enterprise's address")
        ENTERPRISE = "enterprise", _("The applying enterprise (name and credit code)")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="form_fields", verbose_name=_("item")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    key = models.CharField(
        _("key"),
        max_length=40,
        help_text=_("Letters, digits and _ , starting with a letter; unique in the item (e.g. spouse_name)."),
    )
    label = models.CharField(_("label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=160, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(pgettext_lazy("form field", "required"), default=True)
    group = models.CharField(
        _("in group"),
        max_length=40,
        blank=True,
        help_text=_("The key of the repeatable group it belongs to."),
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice: one option per line, “中文 | English”.")
    )
    min_value = models.DecimalField(
        _("smallest value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_length = models.PositiveSmallIntegerField(_("longest text"), null=True, blank=True)
    max_rows = models.PositiveSmallIntegerField(
        _("most rows"), null=True, blank=True, help_text=_("For a repeatable group (default 20).")
    )
    prefill = models.CharField(
        _("prefilled from"), max_length=40, blank=True, choices=Prefill.choices, default=Prefill.NONE
    )
    help_text = models.CharField(_("help text"), max_length=200, blank=True)

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("application form field")
        verbose_name_plural = _("application form fields")
        constraints = [
            models.UniqueConstraint(fields=["item", "position"], name="form_field_position_unique"),
            models.UniqueConstraint(fields=["item", "key"], name="form_field_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class Synonym(models.Model):
    """A search abbreviation or common word and what it stands for (社保 → 社会保险)."""

    term = models.CharField(_("term"), max_length=40)
    expansion = models.CharField(_("stands for"), max_length=60)

    class Meta:
        ordering = ["term", "expansion"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")
        constraints = [models.UniqueConstraint(fields=["term", "expansion"], name="synonym_unique")]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansion}"


class ItemVersion(models.Model):
    """One publication of an item: immutable once written (services never update it; the database refuses)."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="versions", verbose_name=_("item"))
    number = models.PositiveIntegerField(_("version"))
    code = models.CharField(_("item code"), max_length=32)
    name = models.CharField(_("name"), max_length=120)
    handling_kind = models.CharField(_("handling kind"), max_length=1, choices=HandlingKind.choices)
    legal_limit_days = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    committed_limit_days = models.PositiveSmallIntegerField(_("committed time limit (working days)"))
    snapshot = models.JSONField(_("snapshot"))
    note = models.CharField(_("change note"), max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["item", "-number"]
        verbose_name = _("published item version")
        verbose_name_plural = _("published item versions")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="item_version_unique")]

    def __str__(self) -> str:
        return f"{self.code} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("published item versions are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("published item versions are immutable")

    @property
    def is_instant(self) -> bool:
        return self.handling_kind == HandlingKind.INSTANT

    @property
    def materials(self) -> list[dict[str, Any]]:
        return list(self.snapshot.get("materials", []))

    @property
    def steps(self) -> list[dict[str, Any]]:
        return list(self.snapshot.get("steps", []))

    @property
    def form(self) -> list[dict[str, Any]]:
        """The application form's fields (``catalogue.formschema``); none for versions published before."""
        return list(self.snapshot.get("form", []))

    @property
    def rongque_materials(self) -> list[dict[str, Any]]:
        return [m for m in self.materials if m.get("rongque_allowed")]
