# Shared set-up for scripts/demo and scripts/test (sourced, not run).
# Finds Python 3.13 or 3.12, makes .venv and installs the project when pyproject.toml changed.
# Everything it needs it installs itself. The Spanish catalog is compiled in the repository
# (commonground/locale/es/LC_MESSAGES/django.mo), so an installed package speaks Spanish.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $*"; fi
}

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null || die "cannot install $* (no apt-get on this machine): install it by hand"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

find_python() {
  local candidates=()
  if command -v pyenv >/dev/null 2>&1; then
    local root; root="$(pyenv root)"
    for v in 3.13 3.12; do
      for dir in $(ls -d "$root"/versions/"$v"* 2>/dev/null | sort -rV); do candidates+=("$dir/bin/python3"); done
    done
  fi
  candidates+=(python3.13 python3.12 python3)
  for py in "${candidates[@]}"; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(not (3, 12) <= sys.version_info[:2] < (4, 0))' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  return 1
}

ensure_venv() {
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    local py
    py="$(find_python)" || die "CommonGround needs Python 3.12 or newer, and none was found (looked in pyenv's versions, python3.13, python3.12, python3). Install one, e.g. 'pyenv install 3.13'."
    say "Creating .venv with $("$py" --version)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    say "Installing CommonGround and its pinned dependencies"
    "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
    "$VENV/bin/python" -m pip install -q -e ".[dev]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}

ensure_gettext() {
  command -v msgfmt >/dev/null || { say "Installing gettext (to compile translations)"; apt_install gettext; }
}
