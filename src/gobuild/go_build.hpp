// SPDX-License-Identifier: Apache-2.0
// `goinstr go build|run|test|install|vet ...`: the go command with instrumentation woven in.
// goinstr prepares a go.mod copy that adds the runtime module (checked to select the plain
// build's versions and go line), weaves the files the rules select into its cache, and then runs
// `go SUBCOMMAND -modfile=COPY -overlay=WOVEN -tags=...,goinstr_woven ARGS...`. The user's
// files, go.mod and go.sum are never written; the go command's build cache keys on file
// contents, so a later plain build is unaffected and a repeated instrumented build is a cache
// hit. `goinstr go list ...` runs go list with the same copy and tags, to show the instrumented
// build's module graph.
#pragma once

#include <string>
#include <vector>

namespace goinstr::gobuild {

// Runs the command; returns the exit code (the go command's own on success of the set-up).
int run_go_command(const std::vector<std::string>& args);

}  // namespace goinstr::gobuild
