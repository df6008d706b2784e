#!/usr/bin/env bash
# Makes `nu` (nushell) available to the tests, which look for it on PATH (test/support/nu.ts), and
# prints its binary directory for the caller to put on PATH. scripts/with-node.mjs does the work
# (`npm test` runs it with --nu), so the version and the place are written once.
set -euo pipefail
exec node "$(dirname "$0")/../with-node.mjs" --nu-bin
