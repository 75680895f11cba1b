"""The console is used all day over home connections (~10 Mbps): its own CSS and JS stay small."""

from pathlib import Path

import shinsa

STATIC = Path(shinsa.__file__).parent / "static" / "shinsa"
BUDGET_BYTES = 32 * 1024


def test_it_keeps_the_consoles_own_css_and_js_under_budget():
    total = sum(path.stat().st_size for path in STATIC.iterdir() if path.suffix in {".css", ".js"})
    assert 0 < total < BUDGET_BYTES
