#!/usr/bin/env bash
# The office front-end builds with Node.js >= 20.19 and npm (Vite 7); names what to install when they are missing.
set -euo pipefail
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "building the office front-end needs Node.js >= 20.19 with npm (https://nodejs.org or your distribution's nodejs 20+)" >&2
    exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
    echo "building the office front-end needs Node.js >= 20.19; found $(node --version)" >&2
    exit 1
}
