// SPDX-License-Identifier: Apache-2.0
// The functions goinstr hooks and the struct fields its BPF programs read, as data. `inspect` shows
// this plan resolved against a binary; the agent attaches exactly this plan.
#pragma once

#include <array>
#include <string_view>

namespace goinstr::agent {

struct HookSpec {
  std::string_view symbol;   // Go symbol name
  std::string_view program;  // BPF program in the skeleton
  std::string_view purpose;
  bool optional;  // a missing optional hook is a warning, not an error
};

inline constexpr std::array kHttpServerHooks = {
    HookSpec{"net/http.serverHandler.ServeHTTP", "uprobe__net_http__server_start",
             "server span start: request, response, goroutine", false},
    HookSpec{"net/http.(*response).finishRequest", "uprobe__net_http__server_end",
             "server span end: status code, route pattern", false},
};

struct FieldSpec {
  std::string_view type;
  std::string_view field;
  bool optional;  // absent in some Go versions (e.g. Request.Pattern before 1.23)
};

inline constexpr std::array kHttpServerFields = {
    FieldSpec{"runtime.g", "goid", false},
    FieldSpec{"net/http.response", "conn", false},
    FieldSpec{"net/http.response", "req", false},
    FieldSpec{"net/http.response", "status", false},
    FieldSpec{"net/http.conn", "bufr", false},
    FieldSpec{"bufio.Reader", "buf", false},
    FieldSpec{"bufio.Reader", "r", false},
    FieldSpec{"net/http.Request", "Method", false},
    FieldSpec{"net/http.Request", "URL", false},
    FieldSpec{"net/http.Request", "ProtoMajor", false},
    FieldSpec{"net/http.Request", "ProtoMinor", false},
    FieldSpec{"net/http.Request", "Host", false},
    FieldSpec{"net/http.Request", "RemoteAddr", false},
    FieldSpec{"net/http.Request", "Pattern", true},  // Go 1.23+
    FieldSpec{"net/http.Request", "pat", true},      // Go 1.22 only
    FieldSpec{"net/http.pattern", "str", true},      // Go 1.22+
    FieldSpec{"net/url.URL", "Path", false},
};

}  // namespace goinstr::agent
