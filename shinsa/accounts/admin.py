"""Django admin for accounts: roles and skills inline. Every save goes through the audited actions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.forms import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from shinsa import audit
from shinsa.accounts import actions
from shinsa.accounts.access import user_can
from shinsa.accounts.errors import AccountError
from shinsa.accounts.models import (
    GraphicClearance,
    LanguageSkill,
    PolicyAreaSkill,
    RoleGrant,
    TerritorySkill,
    User,
    WellnessOverride,
    WellnessSettings,
)
from shinsa.accounts.roles import Perm
from shinsa.policy.current import current_policies

EDITABLE_USER_FIELDS = (
    "display_name",
    "email",
    "preferred_language",
    "is_active",
    "is_staff",
    "is_superuser",
)


class ManageUsersOnly:
    """Only people with Perm.MANAGE_USERS see or change accounts here (the staff flag alone is not enough)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return user_can(request.user, Perm.MANAGE_USERS)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_can(request.user, Perm.MANAGE_USERS)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_can(request.user, Perm.MANAGE_USERS)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_can(request.user, Perm.MANAGE_USERS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return user_can(request.user, Perm.MANAGE_USERS)


def _area_choices() -> list[tuple[str, str]]:
    return [(area.id, f"{area.id} — {area.name.en}") for area in current_policies().areas]


def _category_choices() -> list[tuple[str, str]]:
    return [(preset.id, f"{preset.id} — {preset.name.en}") for preset in current_policies().wellness_presets]


class PolicyAreaSkillForm(forms.ModelForm):
    area = forms.ChoiceField(label=_("policy area"), choices=_area_choices)

    class Meta:
        model = PolicyAreaSkill
        fields = ("area",)


class CategoryForm(forms.ModelForm):
    category = forms.ChoiceField(label=_("category"), choices=_category_choices)


class RoleGrantInline(ManageUsersOnly, admin.TabularInline):
    model = RoleGrant
    fields = ("role", "granted_at")
    readonly_fields = ("granted_at",)
    extra = 0


class LanguageSkillInline(ManageUsersOnly, admin.TabularInline):
    model = LanguageSkill
    fields = ("language", "level")
    extra = 0


class PolicyAreaSkillInline(ManageUsersOnly, admin.TabularInline):
    model = PolicyAreaSkill
    form = PolicyAreaSkillForm
    extra = 0


class GraphicClearanceInline(ManageUsersOnly, admin.TabularInline):
    model = GraphicClearance
    form = CategoryForm
    fields = ("category", "level")
    extra = 0


class TerritorySkillInline(ManageUsersOnly, admin.TabularInline):
    model = TerritorySkill
    fields = ("territory",)
    extra = 0


class WellnessSettingsInline(ManageUsersOnly, admin.StackedInline):
    model = WellnessSettings
    fields = ("blur", "greyscale", "mute", "daily_exposure_budget_minutes")
    can_delete = False
    max_num = 1


class WellnessOverrideInline(ManageUsersOnly, admin.TabularInline):
    model = WellnessOverride
    form = CategoryForm
    fields = ("category", "blur", "greyscale", "mute")
    extra = 0


def _form_changes(
    formset: BaseInlineFormSet,
) -> Iterator[tuple[dict[str, Any] | None, dict[str, Any] | None]]:
    """(before, after) for each changed row: before None for a new row, after None for a deleted one."""
    for form in formset.initial_forms:
        if form in formset.deleted_forms:
            yield form.initial, None
        elif form.has_changed():
            yield form.initial, form.cleaned_data
    for form in formset.extra_forms:
        if form.has_changed() and form not in formset.deleted_forms:
            yield None, form.cleaned_data


def _kept_values(formset: BaseInlineFormSet, field: str) -> set[str]:
    """The values of ``field`` in the rows that remain after this save."""
    return {
        form.cleaned_data[field]
        for form in formset.forms
        if form.cleaned_data.get(field) and form not in formset.deleted_forms
    }


def _describe_for_change_message(formset: BaseInlineFormSet) -> None:
    """What formset.save() would have recorded, for the admin's own change message."""
    formset.new_objects = [
        f.instance for f in formset.extra_forms if f.has_changed() and f not in formset.deleted_forms
    ]
    formset.changed_objects = [
        (f.instance, f.changed_data)
        for f in formset.initial_forms
        if f.has_changed() and f not in formset.deleted_forms
    ]
    formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk is not None]


@admin.register(User)
class ShinsaUserAdmin(ManageUsersOnly, UserAdmin):
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Profile"), {"fields": ("display_name", "email", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "display_name", "roles", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "role_grants__role")
    search_fields = ("username", "display_name", "email")
    filter_horizontal = ()
    inlines = (
        RoleGrantInline,
        LanguageSkillInline,
        PolicyAreaSkillInline,
        GraphicClearanceInline,
        TerritorySkillInline,
        WellnessSettingsInline,
        WellnessOverrideInline,
    )

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("role_grants")

    @admin.display(description=_("roles"))
    def roles(self, user: User) -> str:
        return ", ".join(sorted(grant.role for grant in user.role_grants.all()))

    def get_inline_instances(self, request: HttpRequest, obj: Any = None) -> list:
        # Roles and skills are added once the account exists.
        return [] if obj is None else super().get_inline_instances(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead: decisions and audit events keep pointing at the account

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().changeform_view(request, *args, **kwargs)
        except AccountError as error:  # the admin's transaction rolled back: nothing was stored
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.get_full_path())

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if change:
            return form.save(commit=False)
        data = form.cleaned_data
        return actions.do_create_user(
            actor=request.user,
            username=data["username"],
            password=data["password1"] if data.get("set_usable_password") else None,
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            return  # created by do_create_user in save_form
        changed = {
            field: form.cleaned_data[field] for field in EDITABLE_USER_FIELDS if field in form.changed_data
        }
        actions.do_update_user(actor=request.user, user=obj, **changed)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        actor, user = request.user, form.instance
        model = formset.model
        _describe_for_change_message(formset)
        if model is PolicyAreaSkill:
            actions.do_set_policy_areas(actor=actor, user=user, areas=_kept_values(formset, "area"))
        elif model is TerritorySkill:
            actions.do_set_territories(actor=actor, user=user, territories=_kept_values(formset, "territory"))
        for before, after in _form_changes(formset):
            if model is RoleGrant:
                self._save_role(actor, user, before, after)
            elif model is LanguageSkill:
                self._save_language(actor, user, before, after)
            elif model is GraphicClearance:
                self._save_clearance(actor, user, before, after)
            elif model is WellnessSettings and after is not None:
                fields = ("blur", "greyscale", "mute", "daily_exposure_budget_minutes")
                actions.do_update_wellness_settings(actor=actor, user=user, **{f: after[f] for f in fields})
            elif model is WellnessOverride:
                self._save_override(actor, user, before, after)

    @staticmethod
    def _save_role(actor: User, user: User, before: dict | None, after: dict | None) -> None:
        if after is not None and (before is None or before["role"] != after["role"]):
            actions.do_grant_role(actor=actor, user=user, role=after["role"], reason="admin")
        if before is not None and (after is None or before["role"] != after["role"]):
            actions.do_revoke_role(actor=actor, user=user, role=before["role"], reason="admin")

    @staticmethod
    def _save_language(actor: User, user: User, before: dict | None, after: dict | None) -> None:
        if before is not None and (after is None or before["language"] != after["language"]):
            actions.do_remove_language_skill(actor=actor, user=user, language=before["language"])
        if after is not None:
            actions.do_set_language_skill(
                actor=actor, user=user, language=after["language"], level=after["level"]
            )

    @staticmethod
    def _save_clearance(actor: User, user: User, before: dict | None, after: dict | None) -> None:
        if before is not None and (after is None or before["category"] != after["category"]):
            actions.do_set_clearance(actor=actor, user=user, category=before["category"], level=0)
        if after is not None:
            actions.do_set_clearance(actor=actor, user=user, category=after["category"], level=after["level"])

    @staticmethod
    def _save_override(actor: User, user: User, before: dict | None, after: dict | None) -> None:
        if before is not None and (after is None or before["category"] != after["category"]):
            actions.do_clear_wellness_override(actor=actor, user=user, category=before["category"])
        if after is not None:
            switches = {f: after[f] for f in ("blur", "greyscale", "mute")}
            actions.do_set_wellness_override(actor=actor, user=user, category=after["category"], **switches)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django's own view sets the password; audit it in the same transaction when the hash changed.
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            after = User.objects.filter(pk=id).values_list("password", flat=True).first()
            if before is not None and before != after:
                user = User.objects.get(pk=id)
                audit.record(
                    actor=request.user,
                    verb="account.password_set",
                    obj=user,
                    after={"can_sign_in": user.has_usable_password()},
                )
        return response
