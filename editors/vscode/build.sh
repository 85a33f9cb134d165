#!/usr/bin/env bash
# Build the VS Code extension: editors/vscode/prep-language-VERSION.vsix.
#
#   editors/vscode/build.sh [OUT_DIR]
#
# Needs node and npm (the npm registry, nothing else). `npm ci` installs the language
# client, esbuild and vsce from package-lock.json (`npm install` when there is no lock
# file yet); esbuild bundles extension.js with vscode-languageclient into
# dist/extension.js; `vsce package` writes the .vsix, which needs no network to install.
# The .vsix goes to OUT_DIR (default: this folder).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"
cd "$here"
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  npm install --no-audit --no-fund --loglevel=error
fi
npm run --silent bundle   # esbuild: the client and its library in one file, dist/extension.js
version="$(node -p 'require("./package.json").version')"
mkdir -p "$out"
npx --no-install vsce package --no-dependencies --allow-missing-repository --out "$out/prep-language-$version.vsix"
echo "built $out/prep-language-$version.vsix"
