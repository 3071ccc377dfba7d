// SPDX-License-Identifier: Apache-2.0
// The Method section: how the numbers were taken and how to read them, so the report stands on
// its own next to results.json.
#include "bench/report_format.hpp"
#include "bench/report_sections.hpp"
#include "bench/stats.hpp"

namespace goinstr::bench {
namespace {

std::string order_paragraph(const BenchResults& results) {
  return "Order. Every variant ran every scenario once per round, " +
         std::to_string(rounds_of(results)) +
         " rounds, interleaved: round 1 runs all variant x scenario pairs in turn, then round 2, "
         "and so on, so a slow drift of the machine (temperature, frequency, other tenants, "
         "caches, the database growing) spreads over all variants instead of favouring the one "
         "that ran first. Each run's position is its order in results.json.";
}

std::vector<std::string> metric_definitions() {
  return {
      "throughput: responses per second over the measured part of the run.",
      "p50, p90, p99, p99.9, max: request latency seen by the load generator, in ms.",
      "errors: responses with HTTP status 400 or above plus transport errors (timeouts are "
      "counted apart in results.json).",
      "service CPU: user plus system CPU time of the service over the run, as a percentage of "
      "one core (100 = one core busy the whole run). Agent CPU is the same for the runtime "
      "agent (or another attach-style tool), collector CPU for the OTLP receiver.",
      "CPU per request: service plus agent CPU time divided by the responses, in µs: the cost "
      "of instrumentation wherever it runs.",
      "RSS peak and mean: the service's resident memory sampled during the run, in MiB; agent "
      "RSS peak is the same for the agent's own process.",
      "build time: wall time of each build of the variant's binary, with the Go build cache as "
      "it was: the first build compiles what the cache lacks, later ones are warm rebuilds.",
  };
}

std::string interval_paragraph() {
  const BootstrapOptions options;
  return "Intervals. A cell is the median over the successful repeats; the brackets are its " +
         format_number(options.confidence * 100) +
         "% confidence interval by the percentile bootstrap: " + std::to_string(options.resamples) +
         " times, draw n repeats with replacement and take their median; the interval runs from "
         "the 2.5th to the 97.5th percentile of those medians. A ratio against the baseline is "
         "median(variant) / median(baseline); its interval resamples the variant's and the "
         "baseline's repeats independently and takes the ratio of the two medians each time. "
         "The random generator has a fixed seed, so the same results.json always gives the same "
         "report. With n=1 the interval is the point itself, and with 3 to 5 repeats it is close "
         "to the range of the runs: honest about the spread, not precise. Numbers have three "
         "significant digits. Failed runs are left out and listed above.";
}

std::string caution_paragraph(const BenchResults& results) {
  return "Caution. Differences whose intervals overlap are not shown by this data. One run "
         "proves little: in the single-run numbers of the talk this bench follows, the "
         "uninstrumented baseline came out slowest, which no instrumentation can cause; that is "
         "noise (frequency scaling, scheduling, the load generator sharing the machine). Here "
         "the service, the load generator, the collector and any agent share " +
         std::to_string(results.machine.cores) +
         " cores, so CPU one of them uses is CPU the others lack.";
}

}  // namespace

void add_method(Document& doc, const BenchResults& results) {
  doc.push_back(Heading{2, "Method"});
  doc.push_back(Paragraph{order_paragraph(results)});
  doc.push_back(Paragraph{"Metrics, per run:"});
  doc.push_back(BulletList{metric_definitions()});
  doc.push_back(Paragraph{interval_paragraph()});
  doc.push_back(Paragraph{
      "Charts (report.html). Latency over time shows p50 and p99 per second from one run per "
      "variant: the repeat with the median throughput. The CPU and memory bars are the medians "
      "of the tables, the whiskers their 95% intervals."});
  doc.push_back(Paragraph{caution_paragraph(results)});
}

}  // namespace goinstr::bench
