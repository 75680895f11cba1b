"""Sign-in throttling data: one row per failed attempt, keyed by an HMAC of username and address.

Kept in the database (not the local-memory cache) so every gunicorn worker sees the same count; the
key is a keyed hash, so neither the username typed nor the address is stored.
"""

from django.db import models


class SignInFailure(models.Model):
    key = models.CharField(max_length=64)
    failed_at_ms = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "failed_at_ms"], name="web_signin_key_time"),
            models.Index(fields=["failed_at_ms"], name="web_signin_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(failed_at_ms__gte=0), name="web_signin_time_ok")
        ]

    def __str__(self) -> str:
        return f"sign-in failure {self.key[:12]} at {self.failed_at_ms}"
