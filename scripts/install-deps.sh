#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what goinstr needs to build and test on Debian 12. Idempotent: apt runs only when a
# package is missing. Needs root (CI runs as root).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates
  clang llvm bpftool libbpf-dev libelf-dev libdw-dev libcapstone-dev
  protobuf-compiler libprotobuf-dev libgrpc++-dev protobuf-compiler-grpc
  libyaml-cpp-dev libcli11-dev libfmt-dev libspdlog-dev nlohmann-json3-dev
  libcurl4-openssl-dev libssl-dev libcpp-httplib-dev libgtest-dev clang-format clang-tidy
  postgresql golang-1.19-go
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian's postgresql package starts a cluster on 5432; the tests run their own on another port,
# so the packaged one is left as it is.
if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  export PATH=/usr/local/go/bin:$PATH
fi
command -v go >/dev/null 2>&1 || { echo "install-deps: Go 1.26 is required (go not found)" >&2; exit 1; }
echo "install-deps: ok ($(go version), $(clang --version | head -1))"
