#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole test suite on a fresh machine: installs dependencies, builds, starts Jaeger and
# Postgres (scripts/services.sh), runs ctest, and stops the services again. Needs root: the
# runtime agent's tests load BPF programs.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/install-deps.sh"
export PATH=/usr/local/go/bin:$PATH
"$repo/scripts/build.sh"

"$repo/scripts/services.sh" start-jaeger
"$repo/scripts/services.sh" start-postgres >/dev/null
trap '"$repo/scripts/services.sh" stop-jaeger; "$repo/scripts/services.sh" stop-postgres' EXIT

cd "$repo/build"
ctest --output-on-failure --timeout 600 "$@"
