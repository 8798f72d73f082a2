#!/usr/bin/env bash
# Starts Shoebox on its embedded defaults: the library engine on 127.0.0.1 with a per-launch
# token, its data in the per-user data folder (or SHOEBOX_DATA). Folders given here are added to
# the library first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
# The app's UI is served from packages/ui/dist: build it when its sources are newer.
node scripts/ui-build.ts
# Models shipped beside the checkout (the face models, the CLIP tokenizer) are installed into the
# data folder once, checksum-verified; the CLIP weights are downloaded from the app on request.
if [ -z "${SHOEBOX_MODELS_DIR:-}" ] && [ -d "$ROOT/../shared/models" ]; then
  node apps/desktop/src/cli/shoebox.ts ml import "$ROOT/../shared/models" >/dev/null || true
fi
if [ "$#" -gt 0 ]; then
  for folder in "$@"; do node apps/desktop/src/cli/shoebox.ts add "$folder" || true; done
fi
exec node apps/desktop/src/cli/shoebox.ts serve
