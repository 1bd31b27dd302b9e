#!/usr/bin/env bash
# System packages the report's tests need on Debian 12: Chromium (driven by Playwright, whose
# own browser download is not used) and WeasyPrint's libraries (Pango with its FreeType
# backend, HarfBuzz's subsetter for embedded font subsets) and a font. Idempotent: apt runs
# only when something is missing; sudo only when not root.
set -euo pipefail
PACKAGES=(chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi
echo "installing: ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
