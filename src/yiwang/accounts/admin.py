from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from yiwang.core.errors import ServiceError
from yiwang.core.masking import mask_mobile
from yiwang.web.admin_site import RoleAdmin, admin_site

from . import resets
from .access import access_role_manage, ensure, signed_in
from .models import (
    AgentAuthorization,
    ApiToken,
    Community,
    Department,
    District,
    Enterprise,
    Hall,
    Office,
    PasswordReset,
    Person,
    Street,
    User,
    Window,
)
from .roles import ADMIN_ROLES, Role
from .services import roles_check, roles_set

if TYPE_CHECKING:
    from django.http import HttpRequest

SYS = frozenset({Role.SYS_ADMIN})
SEC = frozenset({Role.SEC_ADMIN})


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0


@admin.register(District, site=admin_site)
class DistrictAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "name_en")


@admin.register(Department, site=admin_site)
class DepartmentAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "short_name", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name")


@admin.register(Office, site=admin_site)
class OfficeAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "department", "street")
    list_filter = ("department", "street")
    search_fields = ("code", "name")


@admin.register(Street, site=admin_site)
class StreetAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "name_en", "lat", "lng")


@admin.register(Community, site=admin_site)
class CommunityAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "street")
    list_filter = ("street",)
    search_fields = ("code", "name")


@admin.register(Hall, site=admin_site)
class HallAdmin(RoleAdmin):
    admin_roles = SYS
    list_display = ("code", "name", "kind", "street", "address")
    list_filter = ("kind", "street")
    search_fields = ("code", "name", "address")
    inlines = [WindowInline]


class StaffUserChangeForm(UserChangeForm):
    """The user's change form with the staff roles as checkboxes. The roles are checked by the accounts
    service's own rules (三权分立, postings) against the values about to be saved, and saved through
    ``roles_set`` — each grant and revocation one audit event (docs/adr/0008)."""

    actor: Any = None  # the signed-in administrator (set per request by ``UserAdmin.get_form``)

    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Granted and revoked by the security administrator, never on their own account; at most one "
            "of the system, security and audit administrator roles per person."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("roles", sorted(self.instance.role_set()))
        self._held = set(self.initial.get("roles") or [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        roles = set(data.get("roles") or [])
        if roles == self._held:
            return data
        if not access_role_manage(self.actor, self.instance):
            self.add_error("roles", _("You may not change this account's roles."))
            return data
        posting = {k: data.get(k, getattr(self.instance, k)) for k in ("kind", "hall", "office", "community")}
        try:
            roles_check(actor=self.actor, user=self.instance, roles=roles, posting=posting)
        except ServiceError as exc:
            self.add_error("roles", exc.fields.get("roles") or str(exc))
        return data


@admin.register(User, site=admin_site)
class UserAdmin(RoleAdmin, DjangoUserAdmin):
    admin_roles = SEC
    list_display = ("username", "full_name", "kind", "office", "hall", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("username", "full_name")
    form = StaffUserChangeForm
    # No password field and no password page: nobody sets another person's password here; a reset is
    # the dual-controlled PasswordReset below (docs/adr/0011). The mobile number is shown masked.
    fieldsets = (
        (None, {"fields": ("username",)}),
        (_("Person"), {"fields": ("full_name", "masked_mobile", "kind", "preferred_language")}),
        (_("Posting"), {"fields": ("department", "office", "hall", "community")}),
        (_("Roles"), {"fields": ("roles",)}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined", "masked_mobile")

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj: User) -> str:
        return mask_mobile(obj.mobile)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Another administrator's account is read-only here: no administrator takes over another's
        # account or powers (三权分立); such accounts are managed by the operator from the command line.
        if obj is not None and obj.pk != request.user.pk and obj.role_set() & ADMIN_ROLES:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        ensure(False, user=request.user, action="admin.password_change", target=id)
        return None  # unreachable: ensure raises PermissionDenied after the audit event

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if issubclass(form, StaffUserChangeForm):  # this request's administrator, not shared between requests
            form = type(form.__name__, (form,), {"actor": request.user})
        return form

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if isinstance(form, StaffUserChangeForm) and "roles" in form.cleaned_data:
            roles = set(form.cleaned_data["roles"])
            if roles != form._held:
                roles_set(actor=signed_in(request), user=form.instance, roles=roles)


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(RoleAdmin):
    admin_roles = SEC
    list_display = ("name", "prefix", "user", "created_at", "expires_at", "revoked")
    readonly_fields = ("prefix", "digest", "created_at")
    fields = ("user", "name", "expires_at", "revoked", "prefix", "digest", "created_at")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # tokens are issued with ``yiwang api_token USER NAME`` so the raw value is shown once


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ("name", "id_number", "mobile", "address", "community", "user")


@admin.register(Person, site=admin_site)
class PersonAdmin(RoleAdmin):
    """Applicants' records are the security administrator's (account support); identifiers masked in lists."""

    admin_roles = SEC
    form = PersonAdminForm
    list_display = ("name", "masked_id", "masked_mobile", "community", "verification")
    search_fields = ("name",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # What the real-name verifier answered is a record, never edited by hand (docs/adr/0056).
        verification = ("verification", "verification_level", "verification_source", "verified_at")
        return ("masked_id", "masked_mobile", *verification) if obj else ()

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once registered, the full identifiers are not shown here (masking, docs/rules.md §9).
        return ("id_number", "mobile") if obj else ()

    @admin.display(description=_("resident ID number"))
    def masked_id(self, obj: Person) -> str:
        return obj.masked_id

    @admin.display(description=_("mobile"))
    def masked_mobile(self, obj: Person) -> str:
        return obj.masked_mobile


@admin.register(Enterprise, site=admin_site)
class EnterpriseAdmin(RoleAdmin):
    admin_roles = SEC
    list_display = ("name", "credit_code", "legal_representative", "street")
    search_fields = ("name", "credit_code")


@admin.register(AgentAuthorization, site=admin_site)
class AgentAuthorizationAdmin(RoleAdmin):
    admin_roles = SEC
    list_display = ("enterprise", "person", "kind", "valid_from", "valid_until", "revoked")


class PasswordResetForm(forms.ModelForm):
    class Meta:
        model = PasswordReset
        fields = ("user", "reason")


@admin.register(PasswordReset, site=admin_site)
class PasswordResetAdmin(RoleAdmin):
    """Dual-controlled resets (docs/adr/0011): the security administrator opens one and reads the first
    half of the code; a second administrator approves it and reads the second half; each gives their
    half to the account's owner, who sets the password at /account/reset/."""

    admin_roles = SEC | SYS
    add_roles = SEC
    form = PasswordResetForm
    list_display = ("user", "state", "reason", "requested_by", "requested_at", "approved_by", "expires_at")
    list_filter = ("state",)
    readonly_fields = (
        "user",
        "reason",
        "state",
        "requested_by",
        "requested_at",
        "approved_by",
        "approved_at",
        "expires_at",
        "used_at",
    )
    actions = ["approve", "cancel"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj else ()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the record of who reset what stays

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            return
        reset, half = resets.password_reset_request(
            actor=signed_in(request), user=obj.user, reason=obj.reason
        )
        obj.pk, obj._state.adding = reset.pk, False
        messages.warning(
            request,
            _(
                "First half of the code for %(user)s: %(half)s — shown only now. Give it to the account's owner."
            )
            % {"user": obj.user.username, "half": half},
        )

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return None  # the service wrote the audit event; Django's own admin log is not the record

    @admin.action(description=_("Approve the selected reset (second administrator)"))
    def approve(self, request: HttpRequest, queryset: Any) -> None:
        for reset in queryset.select_related("user"):
            try:
                reset, half = resets.password_reset_approve(actor=signed_in(request), reset=reset)
            except ServiceError as exc:
                messages.error(request, str(exc))
                continue
            messages.warning(
                request,
                _("Second half of the code for %(user)s: %(half)s — shown only now; valid 24 hours.")
                % {"user": reset.user.username, "half": half},
            )

    @admin.action(description=_("Cancel the selected resets"))
    def cancel(self, request: HttpRequest, queryset: Any) -> None:
        for reset in queryset:
            try:
                resets.password_reset_cancel(actor=signed_in(request), reset=reset)
            except ServiceError as exc:
                messages.error(request, str(exc))
