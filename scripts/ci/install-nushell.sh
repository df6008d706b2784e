#!/usr/bin/env bash
# Makes `nu` (nushell) available to the tests (test/support/nu.ts looks on PATH, then in
# node_modules). Preferred: `nushell` is a devDependency, so `npm ci` already installed it and
# this only checks. Otherwise it installs the npm package without touching package.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
os=$(node -p "process.platform === 'win32' ? 'windows' : process.platform")
arch=$(node -p process.arch)
bin="node_modules/@nushell/${os}-${arch}/bin/nu"
if command -v nu >/dev/null 2>&1; then
  echo "nushell: $(command -v nu) $(nu --version)"
  exit 0
fi
if [ ! -x "$bin" ]; then
  npm install --no-save --no-audit --no-fund nushell@0.115.1
fi
echo "nushell: $bin $("$bin" --version)"
