// SPDX-License-Identifier: Apache-2.0

// The YAML layer, ported from the agent's src/config/yaml_config.cpp. The
// schema is small and fixed, so it is a table of dotted keys walked over
// yaml.Node trees rather than a binding to structs: every key is checked
// against the table, so a typo fails with its line and a suggestion instead
// of being ignored, and a duplicate key (which yaml.Node keeps) is caught.

package config

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// ApplyYAML applies a YAML file's text; errors name the file, the 1-based
// line of the key and the dotted key ("goinstr.yaml:4:
// instrumentation.http.enable: unknown key (did you mean 'enabled'?)").
// An empty file, or one with only comments, leaves c alone.
func ApplyYAML(c *Config, text []byte, filename string) error {
	var documents []*yaml.Node
	decoder := yaml.NewDecoder(bytes.NewReader(text))
	for {
		document := new(yaml.Node)
		err := decoder.Decode(document)
		if err == io.EOF {
			break
		}
		if err != nil {
			line, message := yamlErrorLine(err, text)
			return fmt.Errorf("%s:%d: invalid YAML: %s", filename, line, message)
		}
		documents = append(documents, document)
	}
	if len(documents) > 1 {
		return fmt.Errorf("%s: expected one YAML document, found %d", filename, len(documents))
	}
	if len(documents) == 0 || len(documents[0].Content) == 0 {
		return nil
	}
	root := resolve(documents[0].Content[0])
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: expected a mapping at the top level, got %s",
			filename, root.Line, describe(root))
	}
	layer := yamlLayer{c: c, filename: filename}
	if err := layer.walk(root, ""); err != nil {
		return err
	}
	resolveExporters(c)
	return nil
}

// yamlErrorLine splits yaml.v3's "yaml: line N: reason". It leaves the line
// out when its mark is on the first line, and for an undefined alias, whose
// line is then that of the first "*name".
func yamlErrorLine(err error, text []byte) (int, string) {
	message := strings.TrimPrefix(err.Error(), "yaml: ")
	if hasPrefix(message, "line ") {
		rest := message[len("line "):]
		if colon := strings.Index(rest, ": "); colon > 0 {
			if line, convErr := strconv.Atoi(rest[:colon]); convErr == nil {
				return line, rest[colon+2:]
			}
		}
	}
	const prefix, suffix = "unknown anchor '", "' referenced"
	if hasPrefix(message, prefix) && strings.HasSuffix(message, suffix) {
		name := message[len(prefix) : len(message)-len(suffix)]
		if at := bytes.Index(text, []byte("*"+name)); at >= 0 {
			return 1 + bytes.Count(text[:at], []byte("\n")), message
		}
	}
	return 1, message
}

// resolve follows an alias to the node it names, as yaml-cpp does.
func resolve(node *yaml.Node) *yaml.Node {
	for node.Kind == yaml.AliasNode && node.Alias != nil {
		node = node.Alias
	}
	return node
}

// isNull is yaml-cpp's IsNull: a plain "", "~" or "null" (any case yaml
// allows), not a quoted one.
func isNull(node *yaml.Node) bool {
	return node.Kind == yaml.ScalarNode && node.ShortTag() == "!!null"
}

func isScalar(node *yaml.Node) bool {
	return node.Kind == yaml.ScalarNode && !isNull(node)
}

// describe names what was found instead, as the agent's messages do.
func describe(node *yaml.Node) string {
	switch {
	case node.Kind == yaml.MappingNode:
		return "a mapping"
	case node.Kind == yaml.SequenceNode:
		return "a list"
	case isNull(node):
		return "nothing"
	}
	return "'" + node.Value + "'"
}
