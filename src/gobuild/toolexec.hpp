// SPDX-License-Identifier: Apache-2.0
// `go build -toolexec 'goinstr toolexec' ...`, the interface the talk shows. The go command runs
// every tool through goinstr; goinstr passes compile, asm and the rest through unchanged and, at
// the link of a program, builds that program with `goinstr go build` (same flags, same package)
// into the file the linker was asked to write. So the result is exactly what `goinstr go build`
// gives, with no module or import surgery inside the go command's own build. The linker's
// `-V=full` answer carries goinstr's version and rules digest, so the go command's cache never
// hands a plain build an instrumented binary or the reverse; compiles are shared with plain
// builds (their output is unchanged).
#pragma once

#include <string>
#include <vector>

namespace goinstr::gobuild {

// args: the tool's path and its arguments, as the go command passed them.
int run_toolexec(const std::vector<std::string>& args);

// The `goinstr go ...` arguments that rebuild, instrumented, what the parent go command
// (`parent_argv`, from /proc) is linking: `import_path` (TOOLEXEC_IMPORTPATH) into `output`.
// Empty when the parent's command line cannot be mapped (the caller then fails loudly).
std::vector<std::string> nested_build_args(const std::vector<std::string>& parent_argv,
                                           const std::string& import_path,
                                           const std::string& output);

}  // namespace goinstr::gobuild
