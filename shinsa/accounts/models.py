"""People, their roles and their skill profiles. Data and constraints only: changes go through actions."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shinsa.accounts.iso_codes import LANGUAGES, TERRITORIES
from shinsa.accounts.roles import Perm, Role, permissions_for
from shinsa.accounts.skills import CEFR_LEVELS, JAPANESE, JLPT_LEVELS, MAX_CLEARANCE

ROLE_CHOICES = [
    (Role.REVIEWER.value, _("Reviewer")),
    (Role.SENIOR_REVIEWER.value, _("Senior reviewer")),
    (Role.QA_AUDITOR.value, _("QA auditor")),
    (Role.CALIBRATION_LEAD.value, _("Calibration lead")),
    (Role.POLICY_OWNER.value, _("Policy owner")),
    (Role.OPS_MANAGER.value, _("Ops manager")),
    (Role.LEGAL.value, _("Legal")),
    (Role.ADMIN.value, _("Admin")),
]
LANGUAGE_LEVEL_CHOICES = [(level, level) for level in (*JLPT_LEVELS, *CEFR_LEVELS)]
# More than a working day of graphic exposure is never a sensible budget.
MAX_EXPOSURE_BUDGET_MINUTES = 480
DEFAULT_EXPOSURE_BUDGET_MINUTES = 240


class User(AbstractUser):
    """A person who signs in to Shinsa. Roles and skills hang off it in their own tables."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=[("en", "English"), ("ja", "日本語")], default="en"
    )

    def role_set(self) -> frozenset[Role]:
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(Role(g.role) for g in self.role_grants.all())
        return self._role_cache

    def forget_roles(self) -> None:
        """Drop the cached role set after roles changed (actions call this)."""
        self.__dict__.pop("_role_cache", None)

    def has_shinsa_perm(self, perm: Perm) -> bool:
        return self.is_active and perm in permissions_for(self.role_set())

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
            models.CheckConstraint(condition=Q(role__in=[r.value for r in Role]), name="role_is_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}"


class LanguageSkill(models.Model):
    """Japanese by JLPT level (N1–N5), every other language by CEFR level (A1–C2)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="language_skills")
    language = models.CharField(_("language"), max_length=2, choices=sorted(LANGUAGES.items()))
    level = models.CharField(_("level"), max_length=2, choices=LANGUAGE_LEVEL_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "language"], name="unique_language_per_user"),
            models.CheckConstraint(condition=Q(language__in=sorted(LANGUAGES)), name="language_is_iso_639_1"),
            models.CheckConstraint(
                condition=Q(language=JAPANESE, level__in=JLPT_LEVELS)
                | (~Q(language=JAPANESE) & Q(level__in=CEFR_LEVELS)),
                name="language_level_fits_its_scale",
                violation_error_message=_(
                    "Japanese takes a JLPT level (N1–N5), other languages a CEFR level (A1–C2)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.level}"


class PolicyAreaSkill(models.Model):
    """A policy area (an id from policies/policy_areas.toml) the person is trained to review."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="policy_area_skills")
    area = models.CharField(_("policy area"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "area"], name="unique_policy_area_per_user"),
            models.CheckConstraint(condition=~Q(area=""), name="policy_area_not_empty"),
        ]

    def __str__(self) -> str:
        return self.area


class GraphicClearance(models.Model):
    """Clearance to see graphic media of one category (policies/wellness_presets.toml), 1–3.

    No row means level 0: no clearance.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="clearances")
    category = models.CharField(_("category"), max_length=64)
    level = models.PositiveSmallIntegerField(
        _("level"), choices=[(n, str(n)) for n in range(1, MAX_CLEARANCE + 1)]
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="unique_clearance_per_category"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=MAX_CLEARANCE), name="clearance_level_1_to_3"
            ),
            models.CheckConstraint(condition=~Q(category=""), name="clearance_category_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.level}"


class TerritorySkill(models.Model):
    """A territory (ISO 3166-1 alpha-2) whose market and norms the person knows."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="territory_skills")
    territory = models.CharField(_("territory"), max_length=2, choices=sorted(TERRITORIES.items()))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="unique_territory_per_user"),
            models.CheckConstraint(
                condition=Q(territory__in=sorted(TERRITORIES)), name="territory_is_iso_3166_1"
            ),
        ]

    def __str__(self) -> str:
        return self.territory


class WellnessSettings(models.Model):
    """A reviewer's own media treatments (on by default) and daily graphic-exposure budget."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="wellness")
    blur = models.BooleanField(_("blur graphic media"), default=True)
    greyscale = models.BooleanField(_("show graphic media in greyscale"), default=True)
    mute = models.BooleanField(_("mute graphic media"), default=True)
    daily_exposure_budget_minutes = models.PositiveSmallIntegerField(
        _("daily exposure budget (minutes)"), default=DEFAULT_EXPOSURE_BUDGET_MINUTES
    )

    class Meta:
        verbose_name_plural = _("wellness settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(daily_exposure_budget_minutes__lte=MAX_EXPOSURE_BUDGET_MINUTES),
                name="exposure_budget_at_most_8_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"wellness of {self.user}"


class WellnessOverride(models.Model):
    """The reviewer's own choice for one category, in place of the preset and the general switches."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="wellness_overrides")
    category = models.CharField(_("category"), max_length=64)
    blur = models.BooleanField(_("blur"))
    greyscale = models.BooleanField(_("greyscale"))
    mute = models.BooleanField(_("mute"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="unique_wellness_override_per_category"
            ),
            models.CheckConstraint(condition=~Q(category=""), name="wellness_override_category_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.category} override"
