// SPDX-License-Identifier: Apache-2.0

// Attribute keys as plain strings: the eBPF agent writes the same literal keys
// (src/model/semconv.hpp), so spelling them out here keeps the two modes in
// step without tying this module to one semconv package version.

package rt

const (
	keyHTTPRequestMethod         = "http.request.method"
	keyHTTPRequestMethodOriginal = "http.request.method_original"
	keyHTTPResponseStatusCode    = "http.response.status_code"
	keyHTTPRoute                 = "http.route"
	keyURLPath                   = "url.path"
	keyURLFull                   = "url.full"
	keyNetworkProtocolVersion    = "network.protocol.version"
	keyServerAddress             = "server.address"
	keyServerPort                = "server.port"
	keyClientAddress             = "client.address"
	keyClientPort                = "client.port"
	keyUserAgentOriginal         = "user_agent.original"
	keyErrorType                 = "error.type"

	keyDBSystemName     = "db.system.name"
	keyDBOperationName  = "db.operation.name"
	keyDBCollectionName = "db.collection.name"
	keyDBQueryText      = "db.query.text"
)
