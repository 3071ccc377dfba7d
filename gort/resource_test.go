// SPDX-License-Identifier: Apache-2.0

// Tests of the resource: the agent's attributes, and service.name's
// precedence between the executable, OTEL_RESOURCE_ATTRIBUTES and the
// configured service name.

package rt

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"goinstr.dev/rt/internal/config"
	"goinstr.dev/rt/internal/model"
)

// resourceOf builds the resource for the configuration env gives.
func resourceOf(t *testing.T, env map[string]string) map[string]interface{} {
	t.Helper()
	c, err := config.Load(env)
	if err != nil {
		t.Fatal(err)
	}
	r := newResource(&c)
	return attrMap(t, r.Attrs) // fails on a key given twice
}

func TestResourceDetected(t *testing.T) {
	r := resourceOf(t, map[string]string{})
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]interface{}{
		"service.name":             filepath.Base(exe),
		"telemetry.sdk.name":       "goinstr",
		"telemetry.sdk.language":   "go",
		"telemetry.sdk.version":    Version,
		"telemetry.distro.name":    "goinstr",
		"telemetry.distro.version": Version,
		"process.pid":              int64(os.Getpid()),
		"process.executable.name":  filepath.Base(exe),
		"process.executable.path":  exe,
		"process.runtime.name":     "go",
		"process.runtime.version":  runtime.Version(),
	}
	if host, err := os.Hostname(); err == nil && host != "" {
		want["host.name"] = host
	}
	compareAttrs(t, "resource", r, want)
}

func TestResourceServiceNamePrecedence(t *testing.T) {
	exe, _ := os.Executable()
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, filepath.Base(exe)},
		{map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attrs,deployment.environment.name=test"},
			"from-attrs"},
		{map[string]string{"OTEL_SERVICE_NAME": "checkout"}, "checkout"},
		{map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "service.name=from-attrs", "OTEL_SERVICE_NAME": "checkout"},
			"checkout"},
	}
	for _, c := range cases {
		if got := resourceOf(t, c.env)["service.name"]; got != c.want {
			t.Errorf("%v: service.name %v, want %q", c.env, got, c.want)
		}
	}
}

func TestResourceAttributesOverrideDetected(t *testing.T) {
	r := resourceOf(t, map[string]string{
		"OTEL_RESOURCE_ATTRIBUTES": "host.name=override,deployment.environment.name=prod,team=a%20b"})
	if r["host.name"] != "override" || r["deployment.environment.name"] != "prod" || r["team"] != "a b" {
		t.Errorf("resource %v", r)
	}
	if r["telemetry.sdk.language"] != "go" {
		t.Errorf("telemetry.sdk.language %v", r["telemetry.sdk.language"])
	}
}

func TestServiceNameOfTheResource(t *testing.T) {
	keepGlobals(t)
	c, _ := config.Load(map[string]string{"OTEL_SERVICE_NAME": "billing"})
	resource = newResource(&c)
	if got := serviceName(); got != "billing" {
		t.Errorf("serviceName %q", got)
	}
	resource = model.Resource{}
	if got := serviceName(); got != "" {
		t.Errorf("serviceName of an empty resource %q", got)
	}
}

// serviceName is the resource's service.name.
func serviceName() string {
	for _, a := range resource.Attrs {
		if a.Key == "service.name" {
			return a.Str
		}
	}
	return ""
}
