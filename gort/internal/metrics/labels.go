// SPDX-License-Identifier: Apache-2.0

package metrics

// labels is the label set of one series, in order, as prometheus_text.cpp
// builds it. Reused from series to series of one rendering.
type labels struct {
	names, values []string
}

func (ls *labels) reset(job, instance string) {
	ls.names, ls.values = ls.names[:0], ls.values[:0]
	ls.add("job", job)
	ls.add("instance", instance)
}

// add sanitises key into a label name. Two OTel keys may sanitise alike
// ("a.b", "a_b"), and a repeated label name makes the whole exposition
// invalid, so the first one wins.
func (ls *labels) add(key, value string) {
	name := labelName(key)
	for _, n := range ls.names {
		if n == name {
			return
		}
	}
	ls.names = append(ls.names, name)
	ls.values = append(ls.values, value)
}

// appendTo writes {name="value",...}, with le="..." last when le is not
// empty; nothing when there are no labels at all.
func (ls *labels) appendTo(b []byte, le string) []byte {
	if len(ls.names) == 0 && le == "" {
		return b
	}
	b = append(b, '{')
	for i, n := range ls.names {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLabel(b, n, ls.values[i])
	}
	if le != "" {
		if len(ls.names) > 0 {
			b = append(b, ',')
		}
		b = appendLabel(b, "le", le)
	}
	return append(b, '}')
}

func appendLabel(b []byte, name, value string) []byte {
	b = append(b, name...)
	b = append(b, `="`...)
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '"':
			b = append(b, `\"`...)
		case '\n':
			b = append(b, `\n`...)
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// labelName maps a key to [a-zA-Z_][a-zA-Z0-9_]*: every other byte becomes
// '_' (so a multi-byte character becomes several), and a leading digit gets
// a '_' prefix.
func labelName(key string) string {
	if key == "" {
		return "_"
	}
	clean := key[0] < '0' || key[0] > '9'
	for i := 0; clean && i < len(key); i++ {
		clean = isAlnum(key[i])
	}
	if clean {
		return key // the common case: "job", "instance"
	}
	b := make([]byte, 0, len(key)+1)
	if key[0] >= '0' && key[0] <= '9' {
		b = append(b, '_')
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; isAlnum(c) {
			b = append(b, c)
		} else {
			b = append(b, '_')
		}
	}
	return string(b)
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// metricName is the Prometheus name of an OTel instrument: the name
// sanitised, and the unit as a suffix (only seconds occur here).
func metricName(name, unit string) string {
	n := labelName(name)
	if unit == "s" {
		n += "_seconds"
	}
	return n
}
