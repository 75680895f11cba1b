"""A labeling world: three skilled labelers, films with real video, a violence-segments project."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from shinsa.accounts.models import User
from shinsa.accounts.roles import Role
from shinsa.catalog.models import Asset, AssetVersion, Title, TitleVersion
from shinsa.catalog.storage import store_file
from shinsa.labeling.actions import do_create_project, do_fill_project, do_set_training_rights
from shinsa.labeling.models import LabelingProject
from shinsa.review.actions import do_sync_queues
from tests.cast import Cast, make_person
from tests.catalog.conftest import media_root  # noqa: F401 - the catalog's fixture, shared
from tests.review.conftest import give_skills

CLIP_FRAMES = 96  # 4 s at 24 fps


def encoded_clip(folder: Path) -> Path:
    from shinsa.media.synthetic import ClipSpec, Scene, encode_clip

    path = folder / "clip.mp4"
    if not path.exists():
        encode_clip(
            ClipSpec(scenes=(Scene(frames=48, hue=0.3), Scene(frames=48, hue=0.8)), fps=Fraction(24)), path
        )
    return path


def film(external_id: str, clip: Path, *, parent: Title | None = None, rights: bool = True) -> TitleVersion:
    title = Title.objects.create(
        external_id=external_id,
        kind="episode" if parent else "film",
        parent=parent,
        number=1 if parent else None,
        original_title=external_id,
        original_language="ja",
    )
    version = TitleVersion.objects.create(title=title, label="original")
    content = clip.read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    asset = Asset.objects.create(title_version=version, kind="video")
    AssetVersion.objects.create(
        asset=asset,
        number=1,
        sha256=digest,
        size_bytes=len(content),
        file=store_file(clip, digest, ".mp4"),
        media_type="video/mp4",
    )
    do_set_training_rights(actor="system", title=title, allowed=rights)
    return version


@dataclass(frozen=True)
class World:
    rin: User
    sora: User
    ken: User
    mei: User  # ops manager: runs projects and exports
    olive: User
    project: LabelingProject


def make_project(slug: str = "violence-demo", **options) -> LabelingProject:
    project = do_create_project(
        actor="system",
        slug=slug,
        name_ja="暴力シーン",
        name_en="Violent scenes",
        instructions_ja="暴力が映っている区間をすべて囲んでください。",
        instructions_en="Mark every range where violence is on screen.",
        schema_id=options.pop("schema_id", "violence_segments"),
        policy_area="violence",
        **({"source_kind": "catalog", "graphic_category": "violence_gore", "graphic_level": 2} | options),
    )
    do_fill_project(actor="system", project=project)
    return project


@pytest.fixture
def world(cast: Cast, media_root, tmp_path) -> World:  # noqa: F811 - the fixture imported above
    do_sync_queues(actor="system")
    clip = encoded_clip(tmp_path)
    film("film-a", clip)
    film("film-b", clip)
    ken = make_person("ken", Role.REVIEWER)
    return World(
        rin=give_skills(cast.rin),
        sora=give_skills(cast.sora),
        ken=give_skills(ken),
        mei=cast.mei,
        olive=cast.olive,
        project=make_project(),
    )
