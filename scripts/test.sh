#!/usr/bin/env bash
# Runs every check on a fresh clone: set-up, lint (with the layering rules), types, the committed
# OpenAPI file, and every package's tests on real files and real databases.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
echo "== lint" >&2
pnpm run --silent lint
echo "== typecheck" >&2
pnpm run --silent typecheck
echo "== openapi.json" >&2
pnpm run --silent openapi:check
echo "== postgres" >&2
bash "$ROOT/scripts/postgres-up.sh"
echo "== tests" >&2
node scripts/run-tests.ts
