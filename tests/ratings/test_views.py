"""The console pages of the rating workflow, end to end through the test client, in both languages."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client

from shinsa.catalog.models import Asset, AssetVersion
from shinsa.catalog.storage import store_file
from shinsa.ratings.models import Assessment, Override, PublishedRating
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.ratings.conftest import publish_cut
from tests.web.page_checks import check_page

VIDEO_BYTES = bytes(range(256)) * 40  # 10,240 bytes


def _client(user, language: str = "en") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def _ok(response, language: str) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert check_page(html, language=language) == []
    return html


@pytest.fixture
def video(catalog, media_root, tmp_path):  # noqa: F811 - the fixture imported above
    source = tmp_path / "clip.mp4"
    source.write_bytes(VIDEO_BYTES)
    digest = hashlib.sha256(VIDEO_BYTES).hexdigest()
    asset = Asset.objects.create(title_version=catalog.film_cut, kind="video")
    return AssetVersion.objects.create(
        asset=asset,
        number=1,
        sha256=digest,
        size_bytes=len(VIDEO_BYTES),
        file=store_file(source, digest, ".mp4"),
        media_type="video/mp4",
    )


@pytest.mark.parametrize("language", ["en", "ja"])
def test_it_runs_the_whole_workflow_in_the_console(cast, catalog, video, language):
    rin, sora = _client(cast.rin, language), _client(cast.sora, language)
    cut_page = _ok(rin.get("/ratings/cut/film-1/theatrical/"), language)
    assert "/ratings/cut/film-1/theatrical/" in cut_page
    started = rin.post("/ratings/cut/film-1/theatrical/")
    assessment = Assessment.objects.get()
    assert started.url == f"/ratings/assessments/{assessment.pk}/"
    page = _ok(rin.get(started.url), language)
    assert "data-player-video" in page and 'src="/media/' in page
    assert 'data-mark="in"' in page and 'data-mark="out"' in page
    added = rin.post(
        f"/ratings/assessments/{assessment.pk}/add-finding",
        {
            "descriptor": "violence",
            "intensity": "3",
            "context": ["realistic"],
            "start_ms": "1000",
            "end_ms": "5000",
            "frame_ms": "2500",
            "note": "fight",
        },
    )
    assert added.status_code == 302
    finding = assessment.findings.get()
    assert (finding.start_ms, finding.end_ms, finding.evidence_id, finding.frame_ms) == (
        1000,
        5000,
        video.pk,
        2500,
    )
    rin.post(f"/ratings/assessments/{assessment.pk}/submit")
    page = _ok(rin.get(f"/ratings/assessments/{assessment.pk}/"), language)
    assert 'data-proposal="bbfc-GB"' in page and ("00:00:01.000–00:00:05.000" in page)
    assert ("暴力" if language == "ja" else "Violence") in page
    rin.post(
        f"/ratings/assessments/{assessment.pk}/request-override",
        {"scheme": "bbfc", "territory": "GB", "level": "18", "reason": "sadistic focus"},
    )
    override = Override.objects.get()
    # The requester sees no decision buttons; a second reviewer does.
    assert (
        f"/ratings/overrides/{override.pk}/decide"
        not in rin.get(f"/ratings/assessments/{assessment.pk}/").content.decode()
    )
    assert f"/ratings/overrides/{override.pk}/decide" in _ok(
        sora.get(f"/ratings/assessments/{assessment.pk}/"), language
    )
    sora.post(f"/ratings/overrides/{override.pk}/decide", {"decision": "approve"})
    rin.post(f"/ratings/assessments/{assessment.pk}/publish")
    assert (
        PublishedRating.objects.get(title_version=catalog.film_cut, scheme="bbfc", territory="GB").level
        == "18"
    )
    compliance = _ok(rin.get("/ratings/"), language)
    assert "series-1-s1-e1/original" in compliance and "film-1/theatrical" not in compliance


def test_it_shows_a_refused_change_as_a_message(cast, catalog):
    rin = _client(cast.rin)
    rin.post("/ratings/cut/film-1/theatrical/")
    assessment = Assessment.objects.get()
    response = rin.post(
        f"/ratings/assessments/{assessment.pk}/add-finding",
        {"descriptor": "violence", "intensity": "3", "start_ms": "5000", "end_ms": "1000"},
        follow=True,
    )
    assert "before start_ms" in response.content.decode()
    assert not assessment.findings.exists()


def test_it_refuses_the_requester_s_own_approval_through_the_page(cast, catalog):
    sora = _client(cast.sora)
    sora.post("/ratings/cut/film-1/theatrical/")
    assessment = Assessment.objects.get()
    sora.post(
        f"/ratings/assessments/{assessment.pk}/add-finding", {"descriptor": "violence", "intensity": "3"}
    )
    sora.post(f"/ratings/assessments/{assessment.pk}/submit")
    sora.post(
        f"/ratings/assessments/{assessment.pk}/request-override",
        {"scheme": "bbfc", "territory": "GB", "level": "18", "reason": "r"},
    )
    override = Override.objects.get()
    sora.post(f"/ratings/overrides/{override.pk}/decide", {"decision": "approve"})
    override.refresh_from_db()
    assert override.status == "requested"


def test_it_keeps_the_outsider_and_anonymous_visitors_out(cast, catalog, video):
    olive = _client(cast.olive)
    for path in ("/ratings/", "/ratings/cut/film-1/theatrical/", f"/media/{video.pk}/play"):
        assert olive.get(path).status_code == 403
        anonymous = Client().get(path)
        assert anonymous.status_code == 302 and anonymous.url.startswith("/login/")
    assert _client(cast.kai).post("/ratings/cut/film-1/theatrical/").status_code == 403


def test_it_serves_media_with_range_requests(cast, catalog, video):
    client = _client(cast.rin)
    whole = client.get(f"/media/{video.pk}/play")
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == VIDEO_BYTES
    assert whole["Accept-Ranges"] == "bytes" and "no-store" in whole["Cache-Control"]
    part = client.get(f"/media/{video.pk}/play", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(VIDEO_BYTES)}"
    assert b"".join(part.streaming_content) == VIDEO_BYTES[100:200]
    tail = client.get(f"/media/{video.pk}/play", headers={"Range": "bytes=-10"})
    assert b"".join(tail.streaming_content) == VIDEO_BYTES[-10:]
    beyond = client.get(f"/media/{video.pk}/play", headers={"Range": f"bytes={len(VIDEO_BYTES)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(VIDEO_BYTES)}"


@pytest.mark.parametrize("language", ["en", "ja"])
def test_it_records_a_certificate_from_the_cut_page(cast, catalog, language):
    rin = _client(cast.rin, language)
    _ok(rin.get("/ratings/cut/film-1/theatrical/"), language)
    form = {
        "scheme": "bbfc",
        "level": "12",
        "number": "BBFC-77",
        "issued_on": "2025-01-02",
        "medium": "video",
        "authority": "BBFC",
        "advice_en": "moderate violence\n",
        "advice_ja": "中程度の暴力",
    }
    assert rin.post("/ratings/cut/film-1/theatrical/certificates", form).status_code == 302
    certificate = catalog.film_cut.certificates.get()
    assert (certificate.level, certificate.advice_en, certificate.advice_ja) == (
        "12",
        ["moderate violence"],
        ["中程度の暴力"],
    )
    refused = rin.post("/ratings/cut/film-1/theatrical/certificates", form | {"scheme": "mpa", "level": "15"})
    assert refused.status_code == 422 and "15" in refused.content.decode()
    assert check_page(refused.content.decode(), language=language) == []


def test_it_reads_each_page_in_a_fixed_number_of_queries(cast, catalog, django_assert_max_num_queries):
    publish_cut(cast.rin, catalog.film_cut, ("violence", 3))
    publish_cut(cast.rin, catalog.episode_cuts[0], ("violence", 3))
    rin = _client(cast.rin)
    rin.post("/ratings/cut/film-1/theatrical/")
    assessment = Assessment.objects.get(status="draft")
    for second in range(5):
        rin.post(
            f"/ratings/assessments/{assessment.pk}/add-finding",
            {"descriptor": "violence", "intensity": "2", "start_ms": str(second * 1000), "end_ms": "9000"},
        )
    rin.post(f"/ratings/assessments/{assessment.pk}/submit")
    rin.get("/ratings/")  # the back-test is remembered from here on: three aggregates replace its reads
    for path, most in (
        ("/ratings/", 11),
        (f"/ratings/assessments/{assessment.pk}/", 10),  # + the graphic category for the player
        ("/ratings/cut/film-1/theatrical/", 7),
    ):
        with django_assert_max_num_queries(most):
            assert rin.get(path).status_code == 200


def test_it_lists_one_row_per_cut_and_filters_by_territory(cast, catalog):
    rin = _client(cast.rin)
    page = _ok(rin.get("/ratings/"), "en")
    # The film is available in GB, JP and US: its gaps under every scheme of the three make one row.
    assert page.count('href="/ratings/cut/film-1/theatrical/"') == 1
    assert "<code>GB</code> <code>JP</code> <code>US</code>" in page
    only_jp = _ok(rin.get("/ratings/?territory=jp"), "en")
    assert 'href="/ratings/cut/film-1/theatrical/"' in only_jp
    assert "series-1-s1-e1/original" not in only_jp  # the episode is available in GB only
    assert '<option value="JP" selected>' in only_jp
