"""Who may open which stored media file: the one check every media URL goes through.

``access_media_for_user`` decides; ``shinsa.web.views.media`` streams what it allows with HTTP range
support. There is no public media URL: every file is looked up by asset version and kind, never by a
guessable path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.storage import Storage
from django.http import Http404

from shinsa.accounts.access import require_perm, user_can
from shinsa.accounts.roles import Perm
from shinsa.catalog.models import AssetKind, AssetVersion, Rendition, RenditionKind

ORIGINAL = "original"
# What a player asks for: the review proxy when one exists, else the stored original.
PLAYBACK = "play"
MEDIA_KINDS = (ORIGINAL, PLAYBACK, *(kind.value for kind in RenditionKind))
_SERVED_ASSET_KINDS = (AssetKind.VIDEO, AssetKind.ARTWORK, AssetKind.SUBTITLE)


@dataclass(frozen=True)
class MediaFile:
    storage: Storage
    name: str
    content_type: str


def access_media_for_user(user: Any, asset_version_id: int, kind: str) -> MediaFile:
    """The file of ``kind`` for ``asset_version_id`` if ``user`` may open it.

    Raises MissingPermission (403) for people who may not see the catalog, and Http404 for anything
    absent — including quarantined media for everyone but the legal role, so its existence is not
    revealed. Quarantined media has no renditions; the legal role gets the original only.
    """
    require_perm(user, Perm.VIEW_CATALOG)
    if kind not in MEDIA_KINDS:
        raise Http404("no such media kind")
    version = (
        AssetVersion.objects.select_related("asset")
        .filter(pk=asset_version_id, asset__kind__in=_SERVED_ASSET_KINDS)
        .exclude(file="")
        .first()
    )
    if version is None:
        raise Http404("no such media")
    if version.quarantined_at is not None:
        if not user_can(user, Perm.HANDLE_LEGAL) or kind not in (ORIGINAL, PLAYBACK):
            raise Http404("no such media")
        return _original(version)
    if kind == ORIGINAL:
        return _original(version)
    wanted = RenditionKind.PROXY.value if kind == PLAYBACK else kind
    rendition = Rendition.objects.filter(asset_version=version, kind=wanted).first()
    if rendition is not None:
        return MediaFile(rendition.file.storage, rendition.file.name, _content_type(rendition.media_type))
    if kind == PLAYBACK:
        return _original(version)
    raise Http404("no such rendition")


def _original(version: AssetVersion) -> MediaFile:
    return MediaFile(version.file.storage, version.file.name, _content_type(version.media_type))


def _content_type(media_type: str) -> str:
    return media_type or "application/octet-stream"
