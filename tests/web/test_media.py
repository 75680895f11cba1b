"""Media delivery: renditions preferred for playback, quarantine hides everything but the original,
and only from the legal role."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from shinsa.accounts.roles import Role
from shinsa.audit.models import AuditEvent
from shinsa.catalog.actions import do_quarantine_asset_version, do_record_rendition
from shinsa.catalog.models import Asset, AssetVersion, Rendition, Title, TitleVersion
from shinsa.catalog.storage import store_file
from tests.cast import PASSWORD, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture

ORIGINAL = b"original video bytes " * 64
PROXY = b"proxy rendition bytes " * 16


def _file(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path, hashlib.sha256(content).hexdigest()


@pytest.fixture
def video(db, media_root, tmp_path):  # noqa: F811 - the fixture imported above
    title = Title.objects.create(
        external_id="film-q", kind="film", original_title="Q", original_language="ja"
    )
    cut = TitleVersion.objects.create(title=title, label="theatrical")
    source, digest = _file(tmp_path, "clip.mp4", ORIGINAL)
    asset = Asset.objects.create(title_version=cut, kind="video")
    return AssetVersion.objects.create(
        asset=asset,
        number=1,
        sha256=digest,
        size_bytes=len(ORIGINAL),
        file=store_file(source, digest, ".mp4"),
        media_type="video/mp4",
    )


def _signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _add_proxy(video, tmp_path):
    source, digest = _file(tmp_path, "proxy.mp4", PROXY)
    return do_record_rendition(
        actor="worker",
        asset_version=video,
        kind="proxy",
        source=source,
        sha256=digest,
        extension=".mp4",
        media_type="video/mp4",
        facts={"height": 540},
    )


def test_playback_prefers_the_proxy_and_original_stays_reachable(cast, video, tmp_path):
    rin = _signed_in(cast.rin)
    assert _body(rin.get(f"/media/{video.pk}/play")) == ORIGINAL
    assert rin.get(f"/media/{video.pk}/proxy").status_code == 404
    rendition = _add_proxy(video, tmp_path)
    assert _add_proxy(video, tmp_path) == rendition  # the same content records nothing new
    assert AuditEvent.objects.filter(verb="catalog.rendition.recorded").count() == 1
    assert _body(rin.get(f"/media/{video.pk}/play")) == PROXY
    assert _body(rin.get(f"/media/{video.pk}/proxy")) == PROXY
    assert _body(rin.get(f"/media/{video.pk}/original")) == ORIGINAL
    assert rin.get(f"/media/{video.pk}/thumbnail").status_code == 404


def test_quarantine_removes_renditions_and_leaves_the_original_to_the_legal_role(
    cast, video, tmp_path, django_capture_on_commit_callbacks
):
    rendition = _add_proxy(video, tmp_path)
    proxy_name = rendition.file.name
    with django_capture_on_commit_callbacks(execute=True):
        do_quarantine_asset_version(actor=cast.ada, asset_version=video, reason="bank match: illegal")
    assert not Rendition.objects.exists() and not default_storage.exists(proxy_name)
    assert AuditEvent.objects.filter(verb="catalog.asset_version.quarantined").count() == 1
    do_quarantine_asset_version(actor=cast.ada, asset_version=video, reason="again")
    video.refresh_from_db()
    assert video.quarantine_reason == "bank match: illegal"
    assert _add_proxy(video, tmp_path) is None and not Rendition.objects.exists()

    for person in (cast.rin, cast.sora, cast.ada):  # an administrator is not the legal role
        for kind in ("play", "original", "proxy", "poster"):
            assert _signed_in(person).get(f"/media/{video.pk}/{kind}").status_code == 404
    lex = make_person("lex", Role.LEGAL)
    legal = _signed_in(lex)
    assert _body(legal.get(f"/media/{video.pk}/original")) == ORIGINAL
    assert legal.get(f"/media/{video.pk}/sprite").status_code == 404


def test_outsiders_and_anonymous_visitors_get_nothing(cast, video):
    assert _signed_in(cast.olive).get(f"/media/{video.pk}/play").status_code == 403
    anonymous = Client().get(f"/media/{video.pk}/play")
    assert anonymous.status_code == 302 and anonymous.url.startswith("/login/")
    assert _signed_in(cast.rin).get("/media/999999/play").status_code == 404
