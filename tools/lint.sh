#!/usr/bin/env bash
# Types, lint and the import contracts (issue 10). Needs the lint extra: pip install -e ".[lint]".
# Run from anywhere; exits non-zero if any of the three finds something.
set -uo pipefail
cd "$(dirname "$0")/.."
bin="${HMIP_LINT_BIN:-.venv/bin}"
[ -x "$bin/ruff" ] || bin="$(dirname "$(command -v ruff)")"

# mypy cannot follow setuptools' editable-install finder, and the folders core/ and plugins/
# are the packages hmip_inspect.core and hmip_inspect.plugins: link them under build/mypy
# (pyproject's mypy_path) so mypy sees the installed names.
mkdir -p build/mypy/hmip_inspect
ln -sfn ../../../core build/mypy/hmip_inspect/core
ln -sfn ../../../plugins build/mypy/hmip_inspect/plugins

status=0
echo "== ruff"
"$bin/ruff" check core plugins tests tools bench || status=1
echo "== mypy"
"$bin/mypy" -p hmip_inspect.core -p hmip_inspect.plugins || status=1
echo "== import-linter"
"$bin/lint-imports" --no-cache || status=1
exit $status
