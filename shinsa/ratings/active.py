"""The rating policies of this installation (``settings.POLICY_DIR``), loaded once per change.

The files are re-read only when one of them changes (name, size or modification time), so the system
check and the ``rate`` command share one load per process.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from shinsa.ratings.policies import DESCRIPTORS_FILE, SCHEMES_FOLDER, RatingPolicies, load_rating_policies

type _Fingerprint = tuple[tuple[str, int, int], ...]

_loaded: dict[Path, tuple[_Fingerprint, RatingPolicies]] = {}


def _fingerprint(policy_dir: Path) -> _Fingerprint:
    paths = [policy_dir / DESCRIPTORS_FILE, *sorted((policy_dir / SCHEMES_FOLDER).glob("*.toml"))]
    marks = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            marks.append((str(path), -1, -1))
        else:
            marks.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(marks)


def active_rating_policies() -> RatingPolicies:
    """Loads (or reuses) the policies under ``settings.POLICY_DIR``; raises PolicyFileError."""
    policy_dir = Path(settings.POLICY_DIR)
    fingerprint = _fingerprint(policy_dir)
    cached = _loaded.get(policy_dir)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    policies = load_rating_policies(policy_dir)
    _loaded[policy_dir] = (fingerprint, policies)
    return policies
