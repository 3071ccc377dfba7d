// SPDX-License-Identifier: Apache-2.0

// The resource, attribute for attribute the runtime agent's
// (src/config/resource.cpp): the same service looks the same in both modes.

package rt

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"goinstr.dev/rt/internal/config"
	"goinstr.dev/rt/internal/model"
)

func getenv(name string) string { return strings.TrimSpace(os.Getenv(name)) }

func newResource(c *config.Config) model.Resource {
	var r model.Resource
	set := func(a model.Attr) {
		for i := range r.Attrs {
			if r.Attrs[i].Key == a.Key {
				r.Attrs[i] = a
				return
			}
		}
		r.Attrs = append(r.Attrs, a)
	}
	exe, _ := os.Executable()
	name := filepath.Base(exe)
	if exe == "" {
		name = ""
		if len(os.Args) > 0 && os.Args[0] != "" {
			name = filepath.Base(os.Args[0])
		}
	}
	if name == "" {
		set(model.String("service.name", "unknown_service"))
	} else {
		set(model.String("service.name", name))
	}
	set(model.String("telemetry.sdk.name", "goinstr"))
	set(model.String("telemetry.sdk.language", "go"))
	set(model.String("telemetry.sdk.version", Version))
	set(model.String("telemetry.distro.name", "goinstr"))
	set(model.String("telemetry.distro.version", Version))
	set(model.Int("process.pid", int64(os.Getpid())))
	if name != "" {
		set(model.String("process.executable.name", name))
		if exe != "" {
			set(model.String("process.executable.path", exe))
		}
	}
	set(model.String("process.runtime.name", "go"))
	set(model.String("process.runtime.version", runtime.Version()))
	if host, err := os.Hostname(); err == nil && host != "" {
		set(model.String("host.name", host))
	}
	// OTEL_RESOURCE_ATTRIBUTES overrides what was detected, except an explicitly
	// configured service name (the OTel specification's rule, as in the agent).
	for _, kv := range c.ResourceAttributes {
		if kv[0] == "service.name" && c.ServiceName != "" {
			continue
		}
		set(model.String(kv[0], kv[1]))
	}
	if c.ServiceName != "" {
		set(model.String("service.name", c.ServiceName))
	}
	return r
}
