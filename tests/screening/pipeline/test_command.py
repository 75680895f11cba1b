"""`shinsa screening run`: one line per run, a progress bar only on a terminal, non-zero on a failed run."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from shinsa.screening.management.commands.screening import ProgressBar
from shinsa.screening.models import RunStatus, ScreeningRun
from tests.catalog.conftest import media_root  # noqa: F401 - shared fixture
from tests.media.test_images import png_declaring
from tests.screening.pipeline.conftest import stored_version

pytestmark = pytest.mark.media


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_only():
    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar(stream, "#7")
        bar("decode", 0.5)
        bar("decode", 0.5)  # unchanged: not drawn again
        bar("review", 1.0)
        bar.close()
    assert pipe.getvalue() == ""
    drawn = terminal.getvalue()
    assert drawn.count("\r#7 decode  [###############...............]  50%") == 1
    assert "\r#7 review  [##############################] 100%" in drawn
    assert drawn.endswith("\r")


def test_it_runs_every_asset_version_with_all_and_reports_each(media_root, catalog):  # noqa: F811
    out = io.StringIO()
    call_command("screening", "run", "--all", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert f"asset version {catalog.subtitle.pk} (subtitle): done, 2 hits" in lines
    assert f"asset version {catalog.video.pk} (video): done, 0 hits" in lines
    assert ScreeningRun.objects.filter(status=RunStatus.DONE).count() == 4


def test_queue_leaves_the_work_to_the_workers(media_root, catalog, django_capture_on_commit_callbacks):  # noqa: F811
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("screening", "run", "--queue", str(catalog.metadata.pk), stdout=out)
    assert out.getvalue().strip() == "queued: 1"
    assert ScreeningRun.objects.get(asset_version=catalog.metadata).status == RunStatus.QUEUED
    assert DBTaskResult.objects.filter(task_path="shinsa.screening.tasks.screen_asset_version").count() == 1


def test_hostile_inputs_fail_their_run_with_one_line(media_root, catalog, tmp_path):  # noqa: F811
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.srt"
    binary.write_bytes(bytes(range(256)) * 40)
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_declaring(100_000, 100_000))
    versions = [
        stored_version(catalog.cut, "video", empty, name="empty", media_type="video/mp4"),
        stored_version(catalog.cut, "subtitle", binary, language="ja", name="binary"),
        stored_version(catalog.cut, "artwork", bomb, name="bomb", media_type="image/png"),
    ]
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 runs failed"):
        call_command("screening", "run", *[str(v.pk) for v in versions], stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and all(": failed: " in line for line in lines)
    assert lines[0].split(": failed: ")[1].startswith("probe: ")
    assert lines[1].split(": failed: ")[1].startswith("text: ")
    assert lines[2].split(": failed: ")[1].startswith("decode: ")
    for version in versions:
        run = ScreeningRun.objects.get(asset_version=version)
        assert run.status == RunStatus.FAILED and "\n" not in run.error and len(run.error) < 300
