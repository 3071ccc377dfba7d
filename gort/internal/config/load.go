// SPDX-License-Identifier: Apache-2.0

// Load stacks the layers in order, reading the file GOINSTR_CONFIG names.

package config

import (
	"errors"
	"os"
	"syscall"
)

// EnvConfigFile names the YAML file, as --config does for the agent.
const EnvConfigFile = "GOINSTR_CONFIG"

// Load is Default(), then the file GOINSTR_CONFIG names (if set and not
// blank, as for every variable), then the OTEL_* variables of env, then
// Validate. A file that cannot be read is an error naming the path and the
// reason, worded as the agent words it for --config.
func Load(env map[string]string) (Config, error) {
	c := Default()
	if path, ok := lookup(env, EnvConfigFile); ok {
		text, err := os.ReadFile(path)
		if err != nil {
			return c, errors.New("cannot read config file " + path + ": " + reason(err))
		}
		if err := ApplyYAML(&c, text, path); err != nil {
			return c, err
		}
	}
	if err := ApplyEnvironment(&c, env); err != nil {
		return c, err
	}
	if err := Validate(&c); err != nil {
		return c, err
	}
	return c, nil
}

// reason is the C library's strerror text for the errno under err ("No such
// file or directory", "Is a directory"), which is what the agent prints; Go's
// table holds the same texts starting with a lowercase letter.
func reason(err error) string {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			return pathErr.Err.Error()
		}
		return err.Error()
	}
	text := errno.Error()
	if text != "" && text[0] >= 'a' && text[0] <= 'z' {
		text = string(text[0]-'a'+'A') + text[1:]
	}
	return text
}

// Environ is os.Environ as a map; for a name given twice the first wins, as
// with getenv.
func Environ() map[string]string {
	entries := os.Environ()
	env := make(map[string]string, len(entries))
	for _, entry := range entries {
		eq := indexByte(entry, '=')
		if eq < 0 {
			continue
		}
		if _, seen := env[entry[:eq]]; !seen {
			env[entry[:eq]] = entry[eq+1:]
		}
	}
	return env
}
