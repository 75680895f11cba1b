from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from shinsa.accounts.roles import Perm, Role, permissions_for


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

    def has_shinsa_perm(self, perm: Perm) -> bool:
        return self.is_active and perm in permissions_for(self.role_set())

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=[(r.value, r.value) for r in Role])
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self) -> str:
        return f"{self.user} as {self.role}"
