# Sourced by scripts/run and scripts/test: a project-local virtualenv, installed once
# and again whenever pyproject.toml or requirements.lock changes. The versions are the
# ones in requirements.lock (the Dockerfile and CI install from it too); regenerate it
# with scripts/lock after changing the dependencies in pyproject.toml.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" -m venv "$VENV"
fi
STAMP="$VENV/.nhacviec-installed"
WANT="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)-${EXTRAS:-}"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$WANT" ]; then
  "$VENV/bin/python" -m pip install --quiet --upgrade pip
  "$VENV/bin/python" -m pip install --quiet -c requirements.lock -e ".${EXTRAS:+[$EXTRAS]}"
  echo "$WANT" > "$STAMP"
fi
export PATH="$VENV/bin:$PATH"
