// SPDX-License-Identifier: Apache-2.0
// OpenTelemetry semantic-convention keys used by goinstr, in one place so both instrumentation
// modes (runtime agent, compile-time weaving) name things identically.
#pragma once

namespace goinstr::semconv {

inline constexpr const char* kHttpRequestMethod = "http.request.method";
inline constexpr const char* kHttpResponseStatusCode = "http.response.status_code";
inline constexpr const char* kHttpRoute = "http.route";
inline constexpr const char* kUrlPath = "url.path";
inline constexpr const char* kUrlFull = "url.full";
inline constexpr const char* kServerAddress = "server.address";
inline constexpr const char* kServerPort = "server.port";
inline constexpr const char* kClientAddress = "client.address";
inline constexpr const char* kClientPort = "client.port";
inline constexpr const char* kNetworkProtocolVersion = "network.protocol.version";
inline constexpr const char* kErrorType = "error.type";
inline constexpr const char* kUrlScheme = "url.scheme";
inline constexpr const char* kDbSystemName = "db.system.name";
inline constexpr const char* kDbOperationName = "db.operation.name";
inline constexpr const char* kDbCollectionName = "db.collection.name";
inline constexpr const char* kDbQueryText = "db.query.text";
// RPC, as semantic conventions v1.44.0 name them (rpc.system and rpc.grpc.status_code before).
inline constexpr const char* kRpcSystemName = "rpc.system.name";
inline constexpr const char* kRpcMethod = "rpc.method";
inline constexpr const char* kRpcMethodOriginal = "rpc.method_original";
inline constexpr const char* kRpcResponseStatusCode = "rpc.response.status_code";
inline constexpr const char* kNetworkPeerAddress = "network.peer.address";
inline constexpr const char* kNetworkPeerPort = "network.peer.port";

inline constexpr const char* kServiceName = "service.name";
inline constexpr const char* kProcessPid = "process.pid";
inline constexpr const char* kProcessExecutableName = "process.executable.name";
inline constexpr const char* kProcessRuntimeName = "process.runtime.name";
inline constexpr const char* kProcessRuntimeVersion = "process.runtime.version";
inline constexpr const char* kHostName = "host.name";
inline constexpr const char* kTelemetrySdkName = "telemetry.sdk.name";
inline constexpr const char* kTelemetrySdkLanguage = "telemetry.sdk.language";
inline constexpr const char* kTelemetrySdkVersion = "telemetry.sdk.version";

}  // namespace goinstr::semconv
