// SPDX-License-Identifier: Apache-2.0

package metrics

import "goinstr.dev/rt/internal/model"

// Snapshot returns every series, cumulative since it started counting, as
// one Histogram per instrument that has a series (none: nil), in the
// agent's order: instruments as listed in the docs, then series by
// attribute set. TimeNs of every point is nowNs; StartNs is when the series
// counted its first span. Points share their Attrs with the Recorder: they
// must not be modified.
func (r *Recorder) Snapshot(nowNs int64) []model.Histogram {
	all := r.all()
	if len(all) == 0 {
		return nil
	}
	var out []model.Histogram
	for i := 0; i < len(all); {
		inst := all[i].key.inst
		j := i
		for j < len(all) && all[j].key.inst == inst {
			j++
		}
		info := instruments[inst]
		h := model.Histogram{
			Name:        info.name,
			Description: info.description,
			Unit:        info.unit,
			Bounds:      append([]float64(nil), durationBounds[:]...),
			Points:      make([]model.HistogramPoint, j-i),
		}
		for n, s := range all[i:j] {
			s.snapshot(&h.Points[n], nowNs)
		}
		out = append(out, h)
		i = j
	}
	return out
}
