#!/usr/bin/env bash
# Makes `nu` (nushell) available to the tests, which look for it on PATH (test/support/nu.ts).
# nushell is not a devDependency: the registry here carries only its linux-x64 build, so a lock
# that names it cannot be verified by `npm ci`. It is installed apart, as Node 24 is, into the
# user's cache, and its binary directory is printed for the caller to put on PATH.
set -euo pipefail
version=0.115.1
prefix="${STSX_NU_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/stsx-ci/nushell}"
os=$(node -p "process.platform === 'win32' ? 'windows' : process.platform")
arch=$(node -p process.arch)
dir="$prefix/node_modules/@nushell/${os}-${arch}/bin"
if ! "$dir/nu" --version 2>/dev/null | grep -qx "$version"; then
  echo "installing nushell $version from the npm registry into $prefix" >&2
  mkdir -p "$prefix"
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "nushell@$version" >&2
fi
"$dir/nu" --version >/dev/null
echo "$dir"
