#!/usr/bin/env bash
# Builds the desktop app (electron-vite: main, preload, renderer into apps/desktop/out) and opens it
# in Electron. Needs a machine that can download the Electron binary once (from GitHub's releases,
# or ELECTRON_MIRROR): the npm registry alone is not enough. Arguments go to the app;
# `--dev` runs electron-vite's dev mode instead (rebuilds main and the preload when they change and
# restarts the app; the renderer is the build of packages/ui made first).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bootstrap.sh
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
# bootstrap installs the electron package without its binary; fetch the binary (once, then cached).
unset ELECTRON_SKIP_BINARY_DOWNLOAD
node apps/desktop/node_modules/electron/install.js
pnpm --filter @shoebox/desktop electron:build
if [ "${1:-}" = "--dev" ]; then
  shift
  exec pnpm --filter @shoebox/desktop exec electron-vite dev --watch -- "$@"
fi
exec pnpm --filter @shoebox/desktop exec electron . "$@"
