// SPDX-License-Identifier: Apache-2.0
// Whether a program uses the OpenTelemetry API itself: only then is goinstr's bridge
// (goinstr.dev/rt/otelbridge) linked. A module graph often holds go.opentelemetry.io/otel without
// the program importing it (grpc's graph does), and linking the bridge there would add the otel
// packages to a binary that never used them.
#pragma once

#include <filesystem>
#include <vector>

namespace goinstr::gobuild {

// True when a .go file (tests included) of the modules rooted at `roots` imports a package under
// go.opentelemetry.io/ (the API, otelhttp, an SDK). Skips vendor/, testdata/, hidden and `_`
// directories and nested modules, as the go command does. A mention in a comment counts too: the
// bridge is then linked needlessly, never missing.
bool program_imports_opentelemetry(const std::vector<std::filesystem::path>& roots);

}  // namespace goinstr::gobuild
