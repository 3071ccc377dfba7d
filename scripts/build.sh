#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configures and builds goinstr into build/ (the program lands at build/goinstr).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$repo" -B "$repo/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$repo/build" -j "$(nproc)"
