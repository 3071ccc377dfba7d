// SPDX-License-Identifier: Apache-2.0

// The shared test vectors (data/sqltext/vectors.json) against the Go port.
// The eBPF agent's C++ implementation runs the same file
// (tests/unit/sqltext/vectors_test.cpp), so a case added there is checked on
// both sides and the two implementations cannot drift apart. The file is read
// by the tests only: _test.go files are not compiled into goinstr's embedded
// runtime.

package sqltext

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
)

// vectorsFile is relative to this package's directory, where go test runs.
const vectorsFile = "../../../data/sqltext/vectors.json"

var vectorFamilies = []string{
	"summarize", "span_name", "db_system_for_package", "known_drivers",
	"endpoint_from_dsn", "dsn_secrets", "sanitize",
}

func loadVectors(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	data, err := os.ReadFile(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatalf("%s: %v", vectorsFile, err)
	}
	return all
}

// vectorFamily decodes one family into []T, each vector checked to carry the
// required keys; DisallowUnknownFields rejects misspelt ones. It returns the
// vectors and their JSON text for messages.
func vectorFamily[T any](t *testing.T, name string, required ...string) ([]T, []string) {
	t.Helper()
	var raws []json.RawMessage
	if err := json.Unmarshal(loadVectors(t)[name], &raws); err != nil || len(raws) == 0 {
		t.Fatalf("%s: no family %q (%v)", vectorsFile, name, err)
	}
	out := make([]T, len(raws))
	texts := make([]string, len(raws))
	for i, raw := range raws {
		texts[i] = string(raw)
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(raw, &keys); err != nil {
			t.Fatalf("%s vector %s: %v", name, raw, err)
		}
		for _, k := range required {
			if _, ok := keys[k]; !ok {
				t.Errorf("%s vector lacks %q: %s", name, k, raw)
			}
		}
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&out[i]); err != nil {
			t.Fatalf("%s vector %s: %v", name, raw, err)
		}
	}
	return out, texts
}

func TestVectorsFileHasExactlyTheKnownFamilies(t *testing.T) {
	for key := range loadVectors(t) {
		known := key == "_comment"
		for _, f := range vectorFamilies {
			known = known || key == f
		}
		if !known {
			t.Errorf("family %q is not run by this test", key)
		}
	}
}

func TestVectorsSummarize(t *testing.T) {
	vs, texts := vectorFamily[struct {
		SQL        string `json:"sql"`
		Operation  string `json:"operation"`
		Collection string `json:"collection"`
		Note       string `json:"note"`
	}](t, "summarize", "sql", "operation", "collection")
	for i, v := range vs {
		got := Summarize(v.SQL)
		if got.Operation != v.Operation || got.Collection != v.Collection {
			t.Errorf("%s: got {%q, %q}", texts[i], got.Operation, got.Collection)
		}
	}
}

func TestVectorsSpanName(t *testing.T) {
	vs, texts := vectorFamily[struct {
		Operation  *string `json:"operation"`
		Collection *string `json:"collection"`
		SQL        *string `json:"sql"`
		System     string  `json:"system"`
		Want       string  `json:"want"`
		Note       string  `json:"note"`
	}](t, "span_name", "system", "want")
	for i, v := range vs {
		// Either a summary given as operation + collection, or the summary of a query.
		var s Summary
		switch {
		case v.SQL != nil && v.Operation == nil && v.Collection == nil:
			s = Summarize(*v.SQL)
		case v.SQL == nil && (v.Operation != nil || v.Collection != nil):
			if v.Operation != nil {
				s.Operation = *v.Operation
			}
			if v.Collection != nil {
				s.Collection = *v.Collection
			}
		default:
			t.Errorf("%s: wants sql, or operation and collection", texts[i])
			continue
		}
		if got := SpanName(s, v.System); got != v.Want {
			t.Errorf("%s: got %q", texts[i], got)
		}
	}
}

func TestVectorsSystemForPackage(t *testing.T) {
	vs, texts := vectorFamily[struct {
		Package string `json:"package"`
		System  string `json:"system"`
		Note    string `json:"note"`
	}](t, "db_system_for_package", "package", "system")
	for i, v := range vs {
		if got := SystemForPackage(v.Package); got != v.System {
			t.Errorf("%s: got %q", texts[i], got)
		}
	}
}

func TestVectorsKnownDrivers(t *testing.T) {
	vs, texts := vectorFamily[struct {
		Module string `json:"module"`
		System string `json:"system"`
		Note   string `json:"note"`
	}](t, "known_drivers", "module", "system")
	if len(vs) != len(knownDrivers) {
		t.Errorf("%d known drivers, the vectors list %d", len(knownDrivers), len(vs))
	}
	for i, v := range vs {
		if i < len(knownDrivers) && (knownDrivers[i].module != v.Module || knownDrivers[i].system != v.System) {
			t.Errorf("%s: knownDrivers[%d] is %+v", texts[i], i, knownDrivers[i])
		}
		if got := SystemForPackage(v.Module); got != v.System {
			t.Errorf("%s: got %q", texts[i], got)
		}
	}
}

type dsnVector struct {
	System     string   `json:"system"`
	DSN        string   `json:"dsn"`
	Address    *string  `json:"address"`
	Port       *int     `json:"port"`
	NoEndpoint bool     `json:"no_endpoint"`
	Secrets    []string `json:"secrets"`
	Note       string   `json:"note"`
}

// checkEndpoint compares EndpointFromDSN with the vector's address and port,
// when it has them; it returns the endpoint found.
func checkEndpoint(t *testing.T, v dsnVector, text string) (Endpoint, bool) {
	t.Helper()
	ep, ok := EndpointFromDSN(v.System, v.DSN)
	if v.Address == nil && v.Port == nil {
		return ep, ok
	}
	switch {
	case v.Address == nil || v.Port == nil:
		t.Errorf("%s: wants address and port", text)
	case !ok:
		t.Errorf("%s: no endpoint", text)
	case ep.Address != *v.Address || ep.Port != *v.Port:
		t.Errorf("%s: got %q port %d", text, ep.Address, ep.Port)
	}
	return ep, ok
}

func TestVectorsEndpointFromDSN(t *testing.T) {
	vs, texts := vectorFamily[dsnVector](t, "endpoint_from_dsn", "system", "dsn")
	for i, v := range vs {
		switch {
		case v.Secrets != nil:
			t.Errorf("%s: secrets belong in dsn_secrets", texts[i])
		case v.NoEndpoint && (v.Address != nil || v.Port != nil):
			t.Errorf("%s: no_endpoint with address or port", texts[i])
		case v.NoEndpoint:
			if ep, ok := EndpointFromDSN(v.System, v.DSN); ok {
				t.Errorf("%s: got %q port %d", texts[i], ep.Address, ep.Port)
			}
		case v.Address == nil || v.Port == nil:
			t.Errorf("%s: wants address and port, or no_endpoint", texts[i])
		default:
			checkEndpoint(t, v, texts[i])
		}
	}
}

// DSNs built so that a careless split would take the host or port from the
// password.
func TestVectorsDSNSecrets(t *testing.T) {
	vs, texts := vectorFamily[dsnVector](t, "dsn_secrets", "system", "dsn", "secrets")
	for i, v := range vs {
		if v.NoEndpoint {
			t.Errorf("%s: no_endpoint belongs in endpoint_from_dsn", texts[i])
		}
		ep, ok := checkEndpoint(t, v, texts[i])
		if !ok {
			continue
		}
		for _, s := range v.Secrets {
			if strings.Contains(ep.Address, s) || strings.Contains(strconv.Itoa(ep.Port), s) {
				t.Errorf("%s: %q leaked into %q port %d", texts[i], s, ep.Address, ep.Port)
			}
		}
	}
}

// The sanitised query text of capture_queries, identical in both modes.
func TestVectorsSanitize(t *testing.T) {
	vs, texts := vectorFamily[struct {
		SQL      string `json:"sql"`
		DBSystem string `json:"db_system"`
		Expected string `json:"expected"`
		Note     string `json:"note"`
	}](t, "sanitize", "sql", "db_system", "expected")
	for i, v := range vs {
		if got := Sanitize(v.SQL, v.DBSystem); got != v.Expected {
			t.Errorf("%s: got %q", texts[i], got)
		}
	}
}
