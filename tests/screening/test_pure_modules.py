"""The subtitle reader and the text screening engine import no Django (they run in any process)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_it_imports_the_pure_packages_without_django():
    code = (
        "import sys\n"
        "import shinsa.screening.subtitles, shinsa.screening.text\n"
        "from shinsa.screening.text import load_lexicon_directory, screen_text\n"
        "lexicons = load_lexicon_directory(sys.argv[1])\n"
        "print(len(screen_text('お前をぶっ殺す', lexicons.for_language('ja'))))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    policies = os.path.join(os.path.dirname(__file__), "..", "..", "policies")
    result = subprocess.run(
        [sys.executable, "-c", code, policies], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["1", "[]"]
