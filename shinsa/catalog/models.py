"""The catalog: titles in a hierarchy, their versions (cuts), assets and the kept versions of each asset.

Data and constraints only. All writes go through ``shinsa.catalog.actions``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shinsa.catalog.manifest.entries import AssetKind as AssetKindValue
from shinsa.catalog.manifest.entries import TitleKind as TitleKindValue


class TitleKind(models.TextChoices):
    FILM = TitleKindValue.FILM.value, _("film")
    SERIES = TitleKindValue.SERIES.value, _("series")
    SEASON = TitleKindValue.SEASON.value, _("season")
    EPISODE = TitleKindValue.EPISODE.value, _("episode")


class AssetKind(models.TextChoices):
    VIDEO = AssetKindValue.VIDEO.value, _("video")
    SUBTITLE = AssetKindValue.SUBTITLE.value, _("subtitle")
    ARTWORK = AssetKindValue.ARTWORK.value, _("artwork")
    METADATA = AssetKindValue.METADATA.value, _("metadata text")


_STANDALONE = [TitleKind.FILM, TitleKind.SERIES]
_CHILD = [TitleKind.SEASON, TitleKind.EPISODE]


class Title(models.Model):
    """A film, series, season or episode. Seasons hang under a series; episodes under a season or series.

    The database enforces which kinds need a parent and a number; that the parent is of the right kind
    is checked by the ingest action (a check constraint cannot look at another row).
    """

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=TitleKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    original_title = models.CharField(_("original title"), max_length=500)
    original_language = models.CharField(_("original language"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["external_id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=TitleKind.values), name="title_kind_known"),
            models.CheckConstraint(
                condition=Q(kind__in=_STANDALONE, parent__isnull=True, number__isnull=True)
                | Q(kind__in=_CHILD, parent__isnull=False, number__isnull=False),
                name="title_parent_and_number_match_kind",
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True) | Q(year__gte=1870, year__lte=2100), name="title_year_range"
            ),
            models.CheckConstraint(condition=~Q(original_title=""), name="title_original_title_not_empty"),
            models.UniqueConstraint(
                fields=["parent", "kind", "number"],
                condition=Q(parent__isnull=False),
                name="title_number_unique_in_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.kind})"


class ExternalId(models.Model):
    """An id for the title in another system (imdb, eidr, a partner's own)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="external_ids")
    namespace = models.CharField(max_length=32)
    value = models.CharField(max_length=128)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["namespace", "value"], name="external_id_unique"),
            models.UniqueConstraint(fields=["title", "namespace"], name="external_id_one_per_namespace"),
        ]

    def __str__(self) -> str:
        return f"{self.namespace}:{self.value}"


class TitleVersion(models.Model):
    """A cut or edit of a title; it groups the assets, and decisions and ratings attach to it."""

    title = models.ForeignKey(Title, on_delete=models.PROTECT, related_name="versions")
    label = models.CharField(_("label"), max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title_id", "label"]
        constraints = [models.UniqueConstraint(fields=["title", "label"], name="title_version_label_unique")]

    def __str__(self) -> str:
        return f"{self.title.external_id}/{self.label}"


class Availability(models.Model):
    """A window in which a version may be shown in a territory: [starts_on, ends_on), open when no end."""

    title_version = models.ForeignKey(TitleVersion, on_delete=models.CASCADE, related_name="availability")
    territory = models.CharField(_("territory"), max_length=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["territory", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="availability_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(territory__regex=r"^[A-Z]{2}$"), name="availability_territory_shape"
            ),
            models.UniqueConstraint(
                fields=["title_version", "territory", "starts_on"], name="availability_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.starts_on}–{self.ends_on or ''}"


class Asset(models.Model):
    """A video, subtitle track, artwork or metadata text of a version. Its content lives in AssetVersions."""

    title_version = models.ForeignKey(TitleVersion, on_delete=models.PROTECT, related_name="assets")
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    language = models.CharField(_("language"), max_length=8, blank=True)
    name = models.CharField(_("name"), max_length=64, default="main")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title_version_id", "kind", "language", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AssetKind.values), name="asset_kind_known"),
            models.CheckConstraint(
                condition=~Q(kind__in=[AssetKind.SUBTITLE, AssetKind.METADATA]) | ~Q(language=""),
                name="asset_language_required_for_text",
            ),
            models.UniqueConstraint(
                fields=["title_version", "kind", "language", "name"], name="asset_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.language or '-'}:{self.name}"


class AssetVersion(models.Model):
    """One delivered content of an asset. Versions are kept, never overwritten: a change makes a new one.

    Files are stored content-addressed (``assets/ab/cd/<sha256><ext>`` in the default storage); metadata
    text is kept in ``metadata``. Exactly one of the two is set.
    """

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    file = models.FileField(max_length=255, blank=True)
    source_path = models.CharField(max_length=1000, blank=True)  # as the manifest wrote it, for people
    media_type = models.CharField(max_length=64, blank=True)
    source_encoding = models.CharField(max_length=32, blank=True)  # subtitles: the codec the file reads with
    metadata = models.JSONField(null=True, blank=True)  # metadata text: {"title", "synopsis", "tags"}
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set when the content matched a bank of illegal content: no renditions are made or served, only
    # the legal role may open the original, and the file is kept as evidence for a mandatory report.
    quarantined_at = models.DateTimeField(null=True, blank=True)
    quarantine_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["asset_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "number"], name="asset_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="asset_version_number_positive"),
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="asset_version_sha256_shape"
            ),
            models.CheckConstraint(
                condition=(Q(file="") & Q(metadata__isnull=False)) | (~Q(file="") & Q(metadata__isnull=True)),
                name="asset_version_file_or_metadata",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset} v{self.number}"


class RenditionKind(models.TextChoices):
    PROXY = "proxy", _("review proxy")
    POSTER = "poster", _("poster")
    SPRITE = "sprite", _("thumbnail sprite")
    SPRITE_VTT = "sprite.vtt", _("thumbnail index")


class Rendition(models.Model):
    """A file derived from a stored asset version for reviewers (a low-bitrate proxy, a poster, a
    thumbnail sprite and its WebVTT index), stored content-addressed like the original."""

    asset_version = models.ForeignKey(AssetVersion, on_delete=models.CASCADE, related_name="renditions")
    kind = models.CharField(max_length=16, choices=RenditionKind.choices)
    file = models.FileField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.PositiveBigIntegerField()
    media_type = models.CharField(max_length=64)
    facts = models.JSONField(default=dict, blank=True)  # e.g. {"width":, "height":, "bit_rate":}
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["asset_version_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["asset_version", "kind"], name="rendition_one_per_kind"),
            models.CheckConstraint(
                condition=Q(kind__in=[kind.value for kind in RenditionKind]), name="rendition_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asset_version} {self.kind}"


class Fingerprint(models.Model):
    """What a worker found when it checked a stored file: one row per asset version (re-runs update it)."""

    class Status(models.TextChoices):
        OK = "ok", _("verified")
        MISMATCH = "mismatch", _("content differs from the recorded hash")
        MISSING = "missing", _("stored file missing")

    asset_version = models.OneToOneField(AssetVersion, on_delete=models.CASCADE, related_name="fingerprint")
    status = models.CharField(max_length=16, choices=Status.choices)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["ok", "mismatch", "missing"]), name="fingerprint_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset_version}: {self.status}"
