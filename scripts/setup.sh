#!/usr/bin/env bash
# Set up jianbao on a fresh Debian machine: system packages (as root), a venv, the package.
#   bash scripts/setup.sh          fonts + poppler, then `pip install -e .`
#   bash scripts/setup.sh --test   also Chromium and the test tools (`pip install -e .[test]`)
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[[ "${1:-}" == "--test" ]] && with_tests=1

packages=(fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai fonts-liberation poppler-utils)
(( with_tests )) && packages+=(chromium)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if (( ${#missing[@]} )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages as root: ${missing[*]}" >&2
  fi
fi

python=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if (( with_tests )); then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
else
  .venv/bin/python -m pip install -q --disable-pip-version-check -e .
fi
echo "setup: ready (.venv/bin/jianbao)"
