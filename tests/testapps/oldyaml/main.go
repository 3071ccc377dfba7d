// SPDX-License-Identifier: Apache-2.0
// oldyaml: a program whose module graph selects an old pseudo-version of gopkg.in/yaml.v3 (from
// before v3.0.0), the module goinstr's runtime reads its configuration with. The runtime must
// take that version rather than lift it to v3.0.1 (tests/e2e/compile_time_identity_test.cpp).
//
//	oldyaml   prints the YAML document on stdin as Go values
package main

import (
	"fmt"
	"log"
	"os"

	"gopkg.in/yaml.v3"
)

func main() {
	var doc map[string]interface{}
	if err := yaml.NewDecoder(os.Stdin).Decode(&doc); err != nil {
		log.Fatal(err)
	}
	fmt.Println(doc)
}
