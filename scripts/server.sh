#!/usr/bin/env bash
# Starts the Shoebox LAN sync server on its embedded defaults: all interfaces on port 2284, an
# embedded PGlite database and the upload storage under ~/.local/share/shoebox-server (see the
# README's "Sync server" section for PORT, HOST, SHOEBOX_SERVER_DATA, DATABASE_URL, ...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
# The web app for phones is served from packages/ui/dist: build it when its sources are newer.
node scripts/ui-build.ts
# The face models and the CLIP tokenizer beside the checkout are installed at start (verified),
# so faces work out of the box; the CLIP weights are downloaded by an admin on request.
if [ -z "${SHOEBOX_MODELS_IMPORT:-}" ] && [ -d "$ROOT/../shared/models" ]; then
  export SHOEBOX_MODELS_IMPORT="$ROOT/../shared/models"
fi
exec node apps/sync-server/src/main.ts
