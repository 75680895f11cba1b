"""Every change to accounts, roles and skill profiles. Each runs in a transaction and is audited in it.

``actor`` is the signed-in User making the change, or a string naming trusted server-side code
("system", "cli"). A User needs Perm.MANAGE_USERS to change someone else; people may change their own
profile texts, password, media treatments, and may lower (never raise) their own exposure budget.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shinsa import audit
from shinsa.accounts.access import require_perm
from shinsa.accounts.errors import AccountError
from shinsa.accounts.models import (
    MAX_EXPOSURE_BUDGET_MINUTES,
    GraphicClearance,
    LanguageSkill,
    PolicyAreaSkill,
    RoleGrant,
    TerritorySkill,
    User,
    WellnessOverride,
    WellnessSettings,
)
from shinsa.accounts.roles import Perm, Role
from shinsa.accounts.skills import MAX_CLEARANCE, MIN_CLEARANCE, TERRITORY_CODES, language_problem
from shinsa.policy.current import current_policies

Actor = User | str


class Unchanged(Enum):
    """Default of optional fields of update actions: leave the value as it is."""

    UNCHANGED = "unchanged"


UNCHANGED = Unchanged.UNCHANGED
# Personal data never goes into audit payloads: only the fact that it changed.
_PERSONAL_FIELDS = ("display_name", "email")


def _check_actor(actor: Actor, user: User | None = None, *, self_allowed: bool = False) -> None:
    """Server-side code may do anything; a person needs MANAGE_USERS unless changing allowed own data."""
    if isinstance(actor, str):
        if not actor.strip():
            raise ValueError("a string actor must name the code acting, e.g. 'system'")
        return
    if self_allowed and user is not None and actor.pk == user.pk:
        return
    require_perm(actor, Perm.MANAGE_USERS)


def _locked(user: User) -> User:
    """Lock the person's row so concurrent changes to one profile queue instead of colliding.

    NO KEY UPDATE: rows that merely refer to the person (audit events naming them as actor) stay
    insertable, so two people changing each other's profiles cannot deadlock.
    """
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk", flat=True).get()
    return user


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise AccountError(
            _("Unknown role “%(role)s”; roles are: %(known)s.") % {"role": role, "known": known}
        ) from None


def _validation_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [
            f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages
        ]
    return list(error.messages)


def _ensure_another_active_admin(user: User) -> None:
    """Refuse a change that would leave no active admin (nobody could manage users any more).

    Every active admin grant is locked in one order, so two admins removing each other at once queue:
    the second sees the first's change and is refused, instead of both succeeding or deadlocking.
    """
    admin_ids = list(
        RoleGrant.objects.select_for_update(of=("self",))
        .filter(role=Role.ADMIN, user__is_active=True)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )
    if not any(admin_id != user.pk for admin_id in admin_ids):
        raise AccountError(
            _("%(user)s is the last active admin; grant the admin role to someone else first.")
            % {"user": user.username}
        )


@transaction.atomic
def do_create_user(
    *,
    actor: Actor,
    username: str,
    roles: Iterable[Role | str] = (),
    password: str | None = None,
    display_name: str = "",
    email: str = "",
    preferred_language: str = "en",
    is_staff: bool = False,
) -> User:
    """Create an account with its roles and default wellness settings. No password: it cannot sign in."""
    _check_actor(actor)
    role_set = sorted({_role(role) for role in roles})
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        preferred_language=preferred_language,
        is_staff=is_staff,
    )
    problems: list[str] = []
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        problems.extend(_validation_messages(error))
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            problems.extend(error.messages)
        user.set_password(password)
    else:
        user.set_unusable_password()
    if problems:
        raise AccountError(*problems)
    user.save()
    WellnessSettings.objects.create(user=user)
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=role) for role in role_set])
    audit.record(
        actor=actor,
        verb="account.create",
        obj=user,
        after={
            "roles": [r.value for r in role_set],
            "is_staff": is_staff,
            "can_sign_in": password is not None,
        },
    )
    return user


@transaction.atomic
def do_update_user(
    *,
    actor: Actor,
    user: User,
    display_name: str | Unchanged = UNCHANGED,
    email: str | Unchanged = UNCHANGED,
    preferred_language: str | Unchanged = UNCHANGED,
    is_active: bool | Unchanged = UNCHANGED,
    is_staff: bool | Unchanged = UNCHANGED,
    is_superuser: bool | Unchanged = UNCHANGED,
) -> User:
    """Change account fields. Access flags (active, staff, superuser) need MANAGE_USERS even for oneself."""
    requested: dict[str, Any] = {
        "display_name": display_name,
        "email": email,
        "preferred_language": preferred_language,
        "is_active": is_active,
        "is_staff": is_staff,
        "is_superuser": is_superuser,
    }
    requested = {field: value for field, value in requested.items() if value is not UNCHANGED}
    access_flags = {"is_active", "is_staff", "is_superuser"}
    _check_actor(actor, user, self_allowed=not (access_flags & requested.keys()))
    user = _locked(user)
    stored = User.objects.get(pk=user.pk)
    changes = {field: value for field, value in requested.items() if getattr(stored, field) != value}
    if not changes:
        return user
    if changes.get("is_active") is False and Role.ADMIN in stored.role_set():
        _ensure_another_active_admin(user)
    for field, value in changes.items():
        setattr(user, field, value)
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        user.refresh_from_db()
        raise AccountError(*_validation_messages(error)) from None
    user.save(update_fields=list(changes))
    shown = [f for f in changes if f not in _PERSONAL_FIELDS]
    audit.record(
        actor=actor,
        verb="account.update",
        obj=user,
        before={"changed": sorted(changes), **{f: getattr(stored, f) for f in shown}},
        after={f: changes[f] for f in shown},
    )
    return user


@transaction.atomic
def do_set_password(*, actor: Actor, user: User, password: str | None) -> None:
    """Set a new password (validated), or None to stop password sign-in."""
    _check_actor(actor, user, self_allowed=True)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise AccountError(*error.messages) from None
        user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(
        actor=actor, verb="account.password_set", obj=user, after={"can_sign_in": password is not None}
    )


@transaction.atomic
def do_grant_role(*, actor: Actor, user: User, role: Role | str, reason: str = "") -> RoleGrant:
    _check_actor(actor)
    role = _role(role)
    _locked(user)
    if RoleGrant.objects.filter(user=user, role=role).exists():
        raise AccountError(
            _("%(user)s already has the role %(role)s.") % {"user": user.username, "role": role.value}
        )
    grant = RoleGrant.objects.create(user=user, role=role)
    user.forget_roles()
    audit.record(actor=actor, verb="role.grant", obj=user, after={"role": role.value}, reason=reason)
    return grant


@transaction.atomic
def do_revoke_role(*, actor: Actor, user: User, role: Role | str, reason: str = "") -> None:
    _check_actor(actor)
    role = _role(role)
    _locked(user)
    grant = RoleGrant.objects.filter(user=user, role=role).first()
    if grant is None:
        raise AccountError(
            _("%(user)s does not have the role %(role)s.") % {"user": user.username, "role": role.value}
        )
    if role == Role.ADMIN and user.is_active:
        _ensure_another_active_admin(user)
    grant.delete()
    user.forget_roles()
    audit.record(actor=actor, verb="role.revoke", obj=user, before={"role": role.value}, reason=reason)


@transaction.atomic
def do_set_language_skill(*, actor: Actor, user: User, language: str, level: str) -> LanguageSkill:
    """Record ``language`` at ``level`` (JLPT for Japanese, CEFR otherwise), replacing any earlier level."""
    _check_actor(actor)
    problem = language_problem(language, level)
    if problem:
        raise AccountError(problem)
    _locked(user)
    skill = LanguageSkill.objects.filter(user=user, language=language).first()
    before = skill.level if skill else None
    if skill is None:
        skill = LanguageSkill.objects.create(user=user, language=language, level=level)
    elif skill.level != level:
        skill.level = level
        skill.save(update_fields=["level"])
    else:
        return skill
    audit.record(
        actor=actor,
        verb="skill.language_set",
        obj=user,
        before={"language": language, "level": before},
        after={"language": language, "level": level},
    )
    return skill


@transaction.atomic
def do_remove_language_skill(*, actor: Actor, user: User, language: str) -> None:
    _check_actor(actor)
    _locked(user)
    skill = LanguageSkill.objects.filter(user=user, language=language).first()
    if skill is None:
        raise AccountError(
            _("%(user)s has no recorded skill in “%(language)s”.")
            % {"user": user.username, "language": language}
        )
    skill.delete()
    audit.record(
        actor=actor,
        verb="skill.language_remove",
        obj=user,
        before={"language": language, "level": skill.level},
    )


@transaction.atomic
def do_set_clearance(*, actor: Actor, user: User, category: str, level: int) -> GraphicClearance | None:
    """Set graphic-content clearance for a category to 0–3; 0 removes it. Returns the row, None for 0."""
    _check_actor(actor)
    _check_wellness_category(category)
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_CLEARANCE <= level <= MAX_CLEARANCE:
        raise AccountError(
            _("Clearance level must be a whole number from 0 to 3, not “%(level)s”.") % {"level": level}
        )
    _locked(user)
    clearance = GraphicClearance.objects.filter(user=user, category=category).first()
    before = clearance.level if clearance else 0
    if before == level:
        return clearance
    if level == 0:
        clearance.delete()
        clearance = None
    elif clearance is None:
        clearance = GraphicClearance.objects.create(user=user, category=category, level=level)
    else:
        clearance.level = level
        clearance.save(update_fields=["level"])
    audit.record(
        actor=actor,
        verb="skill.clearance_set",
        obj=user,
        before={"category": category, "level": before},
        after={"category": category, "level": level},
    )
    return clearance


@transaction.atomic
def do_set_policy_areas(*, actor: Actor, user: User, areas: Iterable[str]) -> tuple[str, ...]:
    """Replace the policy areas the person reviews; every id must be a loaded policy area."""
    _check_actor(actor)
    wanted = set(areas)
    known = current_policies().areas
    unknown = sorted(wanted - set(known.ids))
    if unknown:
        raise AccountError(*(_("Unknown policy area “%(area)s”.") % {"area": area} for area in unknown))
    _locked(user)
    return _replace_set(
        actor=actor,
        user=user,
        verb="skill.policy_areas_set",
        rows=PolicyAreaSkill.objects.filter(user=user),
        field="area",
        wanted=wanted,
        make=lambda area: PolicyAreaSkill(user=user, area=area),
    )


@transaction.atomic
def do_set_territories(*, actor: Actor, user: User, territories: Iterable[str]) -> tuple[str, ...]:
    """Replace the territories (ISO 3166-1 alpha-2, any case) whose market the person knows."""
    _check_actor(actor)
    wanted = {territory.strip().upper() for territory in territories}
    unknown = sorted(wanted - TERRITORY_CODES)
    if unknown:
        raise AccountError(
            *(
                _("Unknown territory “%(code)s” (use ISO 3166-1 alpha-2, e.g. JP).") % {"code": code}
                for code in unknown
            )
        )
    _locked(user)
    return _replace_set(
        actor=actor,
        user=user,
        verb="skill.territories_set",
        rows=TerritorySkill.objects.filter(user=user),
        field="territory",
        wanted=wanted,
        make=lambda territory: TerritorySkill(user=user, territory=territory),
    )


def _replace_set(
    *,
    actor: Actor,
    user: User,
    verb: str,
    rows: models.QuerySet,
    field: str,
    wanted: set[str],
    make: Callable[[str], models.Model],
) -> tuple[str, ...]:
    current = set(rows.values_list(field, flat=True))
    if current == wanted:
        return tuple(sorted(current))
    rows.filter(**{f"{field}__in": current - wanted}).delete()
    rows.model.objects.bulk_create([make(value) for value in sorted(wanted - current)])
    audit.record(
        actor=actor, verb=verb, obj=user, before={field: sorted(current)}, after={field: sorted(wanted)}
    )
    return tuple(sorted(wanted))


@transaction.atomic
def do_update_wellness_settings(
    *,
    actor: Actor,
    user: User,
    blur: bool | Unchanged = UNCHANGED,
    greyscale: bool | Unchanged = UNCHANGED,
    mute: bool | Unchanged = UNCHANGED,
    daily_exposure_budget_minutes: int | Unchanged = UNCHANGED,
) -> WellnessSettings:
    """Change the general media treatments or the daily exposure budget (0–480 minutes)."""
    _locked(user)
    settings = WellnessSettings.objects.filter(user=user).first() or WellnessSettings(user=user)
    requested = {"blur": blur, "greyscale": greyscale, "mute": mute}
    changes: dict[str, Any] = {
        f: v for f, v in requested.items() if v is not UNCHANGED and getattr(settings, f) != v
    }
    raising_budget = False
    if daily_exposure_budget_minutes is not UNCHANGED:
        minutes = daily_exposure_budget_minutes
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int)
            or not 0 <= minutes <= MAX_EXPOSURE_BUDGET_MINUTES
        ):
            raise AccountError(
                _("The daily exposure budget must be from 0 to %(max)s minutes, not “%(minutes)s”.")
                % {"max": MAX_EXPOSURE_BUDGET_MINUTES, "minutes": minutes}
            )
        if minutes != settings.daily_exposure_budget_minutes:
            raising_budget = minutes > settings.daily_exposure_budget_minutes
            changes["daily_exposure_budget_minutes"] = minutes
    # The budget is a duty of care: people may lower their own, only a manager may raise it.
    _check_actor(actor, user, self_allowed=not raising_budget)
    if not changes:
        return settings
    before = {f: getattr(settings, f) for f in changes}
    for field, value in changes.items():
        setattr(settings, field, value)
    settings.save()
    audit.record(actor=actor, verb="wellness.update", obj=user, before=before, after=changes)
    return settings


@transaction.atomic
def do_set_wellness_override(
    *, actor: Actor, user: User, category: str, blur: bool, greyscale: bool, mute: bool
) -> WellnessOverride:
    """Choose the treatments for one category, in place of its preset and the general switches."""
    _check_actor(actor, user, self_allowed=True)
    _check_wellness_category(category)
    _locked(user)
    wanted = {"blur": blur, "greyscale": greyscale, "mute": mute}
    override = WellnessOverride.objects.filter(user=user, category=category).first()
    before = {f: getattr(override, f) for f in wanted} if override else None
    if before == wanted:
        return override
    override, _created = WellnessOverride.objects.update_or_create(
        user=user, category=category, defaults=wanted
    )
    audit.record(
        actor=actor,
        verb="wellness.override_set",
        obj=user,
        before=before and {"category": category, **before},
        after={"category": category, **wanted},
    )
    return override


@transaction.atomic
def do_clear_wellness_override(*, actor: Actor, user: User, category: str) -> None:
    _check_actor(actor, user, self_allowed=True)
    _locked(user)
    deleted, _details = WellnessOverride.objects.filter(user=user, category=category).delete()
    if not deleted:
        raise AccountError(
            _("There is no override for the category “%(category)s”.") % {"category": category}
        )
    audit.record(actor=actor, verb="wellness.override_clear", obj=user, before={"category": category})


def _check_wellness_category(category: str) -> None:
    if category not in current_policies().wellness_presets:
        raise AccountError(_("Unknown graphic-content category “%(category)s”.") % {"category": category})


ERASED_PREFIX = "erased-"


@transaction.atomic
def do_erase_user(*, actor: Actor, user: User, reason: str) -> dict[str, int]:
    """Erase a person's personal data on request; the account row stays, anonymised, as ``erased-<id>``.

    Cleared: username (becomes ``erased-<id>``), names, e-mail, password, every role, skill,
    clearance, territory, wellness setting and override, exposure record, API token and open
    session; claims they hold go back to their queue. Kept: the account's id, so decisions and
    audit events still name *an* account (their foreign keys are PROTECT); no audit event is touched,
    so the hash chain verifies as before. One ``account.erased`` event records what was removed
    (counts only). Returns the counts.
    """
    from django.contrib.sessions.models import Session

    from shinsa.api.models import ApiToken
    from shinsa.review.actions.claiming import set_holder
    from shinsa.review.models import ExposureEntry, ItemStatus, WorkItem

    _check_actor(actor)
    if not reason.strip():
        raise AccountError(_("Give the reason for the erasure (the request's reference)."))
    user = _locked(user)
    if user.username.startswith(ERASED_PREFIX) and not user.email and not user.is_active:
        raise AccountError(_("%(username)s is already erased.") % {"username": user.username})
    if Role.ADMIN in user.role_set() and user.is_active:
        _ensure_another_active_admin(user)
    now = timezone.now()
    released = 0
    for item in WorkItem.objects.select_for_update().filter(claimed_by=user, status=ItemStatus.CLAIMED):
        set_holder(item, status=ItemStatus.OPEN, now=now)
        released += 1
    WorkItem.objects.filter(held_for=user).update(held_for=None, updated_at=now)
    sessions = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=now)
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    counts = {
        "roles": RoleGrant.objects.filter(user=user).delete()[0],
        "skills": sum(
            model.objects.filter(user=user).delete()[0]
            for model in (LanguageSkill, PolicyAreaSkill, GraphicClearance, TerritorySkill)
        ),
        "wellness": WellnessSettings.objects.filter(user=user).delete()[0]
        + WellnessOverride.objects.filter(user=user).delete()[0],
        "exposure_records": ExposureEntry.objects.filter(reviewer=user).delete()[0],
        "api_tokens": ApiToken.objects.filter(user=user).delete()[0],
        "sessions": Session.objects.filter(pk__in=sessions).delete()[0],
        "claims_released": released,
    }
    user.username = f"{ERASED_PREFIX}{user.pk}"
    user.first_name = user.last_name = user.email = user.display_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.forget_roles()
    audit.record(actor=actor, verb="account.erased", obj=user, after=counts, reason=reason[:200])
    return counts


def accounts_past_retention(*, now: Any = None) -> list[User]:
    """Deactivated accounts not erased yet whose last sign-in (or creation) is older than the retention."""
    from django.conf import settings

    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.RETAIN_INACTIVE_USER_DAYS)
    candidates = User.objects.filter(is_active=False).exclude(username__startswith=ERASED_PREFIX)
    return [
        user
        for user in candidates.order_by("pk")
        if max(filter(None, (user.last_login, user.date_joined))) < cutoff
    ]


def do_erase_expired_accounts(*, actor: Actor, now: Any = None) -> list[int]:
    """Erase every account past its retention period (each in its own transaction); returns their ids."""
    erased = []
    for user in accounts_past_retention(now=now):
        do_erase_user(actor=actor, user=user, reason="retention period elapsed")
        erased.append(user.pk)
    return erased
