// SPDX-License-Identifier: Apache-2.0
// gRPC status codes by name (grpc's doc/statuscodes.md): what goinstr's gRPC spans record and
// what its OTLP/gRPC exporter reports.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace goinstr::model {

// "OK" for 0 ... "UNAUTHENTICATED" for 16; empty outside that range.
inline std::string_view grpc_code_name(int64_t code) {
  static constexpr std::array<std::string_view, 17> kNames = {"OK",
                                                              "CANCELLED",
                                                              "UNKNOWN",
                                                              "INVALID_ARGUMENT",
                                                              "DEADLINE_EXCEEDED",
                                                              "NOT_FOUND",
                                                              "ALREADY_EXISTS",
                                                              "PERMISSION_DENIED",
                                                              "RESOURCE_EXHAUSTED",
                                                              "FAILED_PRECONDITION",
                                                              "ABORTED",
                                                              "OUT_OF_RANGE",
                                                              "UNIMPLEMENTED",
                                                              "INTERNAL",
                                                              "UNAVAILABLE",
                                                              "DATA_LOSS",
                                                              "UNAUTHENTICATED"};
  if (code < 0 || code >= static_cast<int64_t>(kNames.size())) return {};
  return kNames[static_cast<size_t>(code)];
}

}  // namespace goinstr::model
