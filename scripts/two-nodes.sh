#!/usr/bin/env bash
# Two API processes on one PostgreSQL and Redis behind a round-robin proxy on $PORT (default
# 3000). See scripts/two-nodes.mjs for the settings and README "Production-like run".
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/two-nodes.mjs "$@"
