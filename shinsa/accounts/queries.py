"""Reads of accounts and skill profiles, for views, the API, the CLI and routing."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from shinsa.accounts.models import LanguageSkill, RoleGrant, User, WellnessOverride, WellnessSettings
from shinsa.accounts.skills import SkillProfile
from shinsa.accounts.wellness import Treatment, TreatmentSwitches, effective_treatment
from shinsa.policy.current import current_policies


def users_with_profiles() -> QuerySet[User]:
    """Every account with roles and skills prefetched, ordered by username (a fixed number of queries)."""
    return User.objects.order_by("username").prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role")),
        Prefetch("language_skills", queryset=LanguageSkill.objects.order_by("language")),
        "policy_area_skills",
        "clearances",
        "territory_skills",
    )


def skill_profile_for(user: User) -> SkillProfile:
    """The person's skills in one value (uses prefetched rows when present)."""
    return SkillProfile(
        languages=tuple(sorted((s.language, s.level) for s in user.language_skills.all())),
        policy_areas=frozenset(s.area for s in user.policy_area_skills.all()),
        clearances=tuple(sorted((c.category, c.level) for c in user.clearances.all())),
        territories=frozenset(t.territory for t in user.territory_skills.all()),
    )


def wellness_settings_for(user: User) -> WellnessSettings:
    """The stored settings, or the defaults (unsaved) for an account created outside the actions."""
    return WellnessSettings.objects.filter(user=user).first() or WellnessSettings(user=user)


def treatment_for(user: User, category: str) -> Treatment:
    """How media of ``category`` are shown to ``user`` (KeyError for an unknown category)."""
    preset = current_policies().wellness_presets[category]
    settings = wellness_settings_for(user)
    override = WellnessOverride.objects.filter(user=user, category=category).first()
    return effective_treatment(
        preset=preset,
        general=TreatmentSwitches(blur=settings.blur, greyscale=settings.greyscale, mute=settings.mute),
        override=(
            TreatmentSwitches(blur=override.blur, greyscale=override.greyscale, mute=override.mute)
            if override
            else None
        ),
    )
