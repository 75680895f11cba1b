# Sourced by bin/demo and bin/test: finds a Python >= 3.12, creates .venv and installs the pinned
# dependencies once (again only when pyproject.toml changes).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

python_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
  local c
  for c in "${SHINSA_PYTHON:-}" python3.13 python3.12 python3 python; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && python_ok "$c" && { command -v "$c"; return; }
  done
  # pyenv installs interpreters that its shims may not expose in this shell.
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -x "$c" ] && python_ok "$c" && { echo "$c"; return; }
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! python_ok .venv/bin/python; then
  PY="$(find_python)" || { echo "Shinsa needs Python 3.12 or newer (Django 6); none was found. Install one or set SHINSA_PYTHON=/path/to/python3.12." >&2; exit 1; }
  echo "Creating .venv with $PY ($("$PY" --version))"
  rm -rf .venv
  "$PY" -m venv .venv
fi

STAMP=.venv/.shinsa-installed
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "Installing pinned dependencies into .venv ..."
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "pip==25.3"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[media,classifier,dev]"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
