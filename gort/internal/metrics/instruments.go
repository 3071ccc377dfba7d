// SPDX-License-Identifier: Apache-2.0

// Package metrics derives the RED histograms (rate, errors, duration) of the
// woven program from the spans it makes, as the runtime agent does
// (src/metrics/ in the C++ tree): the same five instruments, attributes,
// error.type rules, buckets and series limit, so a service shows the same
// metrics whichever mode instruments it. The Recorder aggregates; Snapshot
// feeds the OTLP encoder; AppendPrometheus and ServePrometheus are the
// Prometheus pull endpoint. data/metrics/vectors.json is run against both
// implementations so they cannot drift.
package metrics

// instrument is one of the five histograms, in the C++ enum's order (which
// is also the order of Snapshot and of the Prometheus families).
type instrument uint8

const (
	httpServerDuration instrument = iota
	httpClientDuration
	dbClientDuration
	rpcServerDuration
	rpcClientDuration
	numInstruments
)

type instrumentInfo struct {
	name        string // OTel name
	description string // OTLP description and Prometheus HELP
	unit        string // UCUM
}

var instruments = [numInstruments]instrumentInfo{
	{"http.server.request.duration", "Duration of HTTP server requests.", "s"},
	{"http.client.request.duration", "Duration of HTTP client requests.", "s"},
	{"db.client.operation.duration", "Duration of database client operations.", "s"},
	{"rpc.server.call.duration", "Duration of incoming RPCs.", "s"},
	{"rpc.client.call.duration", "Duration of outgoing RPCs.", "s"},
}

// durationBounds are the semantic conventions' advised bucket boundaries
// for these durations, in seconds; bucket i counts (b[i-1], b[i]], the last
// one (b[13], +Inf).
var durationBounds = [...]float64{
	0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

const bucketCount = len(durationBounds) + 1

// bucketIndex is the bucket of v: bounds are inclusive upper limits (OTLP,
// Prometheus). A loop, not sort.Search: 14 compares beat a closure call.
func bucketIndex(v float64) int {
	i := 0
	for i < len(durationBounds) && durationBounds[i] < v {
		i++
	}
	return i
}

// DefaultMaxSeries is the agent's series limit (AggregatorOptions).
const DefaultMaxSeries = 2000

// otherErrorType is semconv's error.type when nothing more specific is known.
const otherErrorType = "_OTHER"

// Attribute keys the rules read. The ids index spanIndex; keyNames holds the
// keys themselves.
const (
	keyErrorType = iota
	keyHTTPMethod
	keyHTTPStatus
	keyHTTPRoute
	keyProtocolVersion
	keyURLScheme
	keyServerAddress
	keyServerPort
	keyDBSystem
	keyDBNamespace
	keyDBOperation
	keyDBCollection
	keyDBStatus
	keyRPCSystem
	keyRPCMethod
	keyRPCStatus
	numKeys
)

var keyNames = [numKeys]string{
	keyErrorType:       "error.type",
	keyHTTPMethod:      "http.request.method",
	keyHTTPStatus:      "http.response.status_code",
	keyHTTPRoute:       "http.route",
	keyProtocolVersion: "network.protocol.version",
	keyURLScheme:       "url.scheme",
	keyServerAddress:   "server.address",
	keyServerPort:      "server.port",
	keyDBSystem:        "db.system.name",
	keyDBNamespace:     "db.namespace",
	keyDBOperation:     "db.operation.name",
	keyDBCollection:    "db.collection.name",
	keyDBStatus:        "db.response.status_code",
	keyRPCSystem:       "rpc.system.name",
	keyRPCMethod:       "rpc.method",
	keyRPCStatus:       "rpc.response.status_code",
}

// keyID maps an attribute key to its id, or -1. A switch compiles to length
// and byte compares, so one pass over a span's attributes finds them all.
func keyID(key string) int {
	switch key {
	case "error.type":
		return keyErrorType
	case "http.request.method":
		return keyHTTPMethod
	case "http.response.status_code":
		return keyHTTPStatus
	case "http.route":
		return keyHTTPRoute
	case "network.protocol.version":
		return keyProtocolVersion
	case "url.scheme":
		return keyURLScheme
	case "server.address":
		return keyServerAddress
	case "server.port":
		return keyServerPort
	case "db.system.name":
		return keyDBSystem
	case "db.namespace":
		return keyDBNamespace
	case "db.operation.name":
		return keyDBOperation
	case "db.collection.name":
		return keyDBCollection
	case "db.response.status_code":
		return keyDBStatus
	case "rpc.system.name":
		return keyRPCSystem
	case "rpc.method":
		return keyRPCMethod
	case "rpc.response.status_code":
		return keyRPCStatus
	}
	return -1
}

// maxAttrs is the largest attribute set of any instrument (the database's).
const maxAttrs = 8

// layouts lists, per instrument, the attributes a measurement carries, sorted
// by key as the C++ sorts them: a series key is then positional and the
// attribute set needs no sort. Only low-cardinality keys are here (never
// url.path, url.full, client.address, db.query.text): every distinct set is
// a new series. server.address/port are opt-in for RPC servers, so only
// clients carry them.
var layouts = [numInstruments][]int{
	httpServerDuration: {keyErrorType, keyHTTPMethod, keyHTTPStatus, keyHTTPRoute,
		keyProtocolVersion, keyURLScheme},
	httpClientDuration: {keyErrorType, keyHTTPMethod, keyHTTPStatus, keyProtocolVersion,
		keyServerAddress, keyServerPort},
	dbClientDuration: {keyDBCollection, keyDBNamespace, keyDBOperation, keyDBStatus,
		keyDBSystem, keyErrorType, keyServerAddress, keyServerPort},
	rpcServerDuration: {keyErrorType, keyRPCMethod, keyRPCStatus, keyRPCSystem},
	rpcClientDuration: {keyErrorType, keyRPCMethod, keyRPCStatus, keyRPCSystem,
		keyServerAddress, keyServerPort},
}
